"""Security interests in a right: ``pledge`` (holder records one), ``consent`` (the creditor agrees to a pending
assignment of the pledged right) and ``release`` (the creditor lets go)."""

from __future__ import annotations

import click

from ipledger.cli.actions import right_action
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import tx_out
from ipledger.cli.params import Address, Hash32, RightRef, digest


@click.command()
@click.argument("right", type=RightRef())
@click.argument("creditor", type=Address("creditor"))
@click.option("--agreement", type=click.Path(dir_okay=False), help="The security agreement (SHA-256 recorded).")
@click.option("--agreement-hash", type=Hash32("agreement hash"), help="The agreement's hash.")
@chain_options
def pledge(session: Session, right: int, creditor: str, agreement: str | None, agreement_hash: bytes | None) -> None:
    """Record a security interest in favour of CREDITOR (holder).

    \b
    Example:  ipledger pledge EM/TM/018234567 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 --account 2
    """
    h = digest(agreement_hash, agreement, "agreement")
    tx_out(session.as_json, "pledge recorded", session.ledger().record_pledge(right, creditor, h))


consent = right_action("consent", "assignment consented", lambda ipl, right: ipl.consent_to_assignment(right),
                       """Consent to the pending assignment of a pledged right (creditor).

    \b
    Example:  ipledger consent EM/TM/018234567 --account 4
    """)
release = right_action("release", "pledge released", lambda ipl, right: ipl.release_pledge(right),
                       """Release the security interest (creditor).

    \b
    Example:  ipledger release EM/TM/018234567 --account 4
    """)
