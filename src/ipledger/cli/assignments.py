"""Assignments of a right: ``assign`` (holder asks), ``accept`` (assignee, also signed off line or relayed),
``record`` (the office's registrar: title moves), ``cancel`` (holder) and ``reject`` (registrar)."""

from __future__ import annotations

import click

from ipledger.cli.actions import accept_or_sign, right_action
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import tx_out
from ipledger.cli.params import Address, Date, Hash32, RightRef, Signature, digest


@click.command()
@click.argument("right", type=RightRef())
@click.argument("assignee", type=Address("assignee"))
@click.option("--deed", type=click.Path(dir_okay=False), help="The deed of assignment (its SHA-256 is recorded).")
@click.option("--deed-hash", type=Hash32("deed hash"), help="The deed's hash.")
@chain_options
def assign(session: Session, right: int, assignee: str, deed: str | None, deed_hash: bytes | None) -> None:
    """Ask to assign a right to ASSIGNEE (holder).

    \b
    Example:  ipledger assign EM/TM/018234567 0x90F79bf6EB2c4f870365E785982E1f101E93b906 --deed deed.pdf --account 2
    """
    h = digest(deed_hash, deed, "deed")
    tx_out(session.as_json, "assignment requested", session.ledger().request_assignment(right, assignee, h))


@click.command()
@click.argument("right", type=RightRef())
@click.option("--sign-only", is_flag=True, help="Print an EIP-712 signature for someone else to relay instead.")
@click.option("--relay", "relay_sig", type=Signature(), help="Relay this acceptance signature (anyone may).")
@click.option("--deadline", type=Date("deadline"), default=None,
              help="Signature deadline YYYY-MM-DD or unix seconds (default: 1 day).")
@chain_options
def accept(session: Session, right: int, sign_only: bool, relay_sig: str | None, deadline: int | None) -> None:
    """Accept a pending assignment (assignee), sign it off line, or relay a signature.

    \b
    Examples:  ipledger accept EM/TM/018234567 --account 3
               ipledger accept EM/TM/018234567 --account 3 --sign-only --deadline 2030-01-01
               ipledger accept EM/TM/018234567 --relay 0x… --deadline 1893456000
    """
    import time

    dl = deadline or int(time.time()) + 86400
    ipl = session.ledger()
    accept_or_sign(session, sign_only, relay_sig, dl, "assignment",
                   sign=lambda d: ipl.sign_assignment_acceptance(right, d),
                   relay=lambda d, sig: ipl.accept_assignment_by_sig(right, d, sig),
                   accept=lambda: ipl.accept_assignment(right), ids={"right_id": right, "assignee": ipl.address})


record = right_action("record", "assignment recorded", lambda ipl, right: ipl.record_assignment(right),
                      """Record an accepted assignment; title moves (office registrar).

    \b
    Example:  ipledger record EM/TM/018234567 --account 1
    """)
cancel = right_action("cancel", "assignment cancelled", lambda ipl, right: ipl.cancel_assignment(right),
                      """Cancel a pending assignment (holder).

    \b
    Example:  ipledger cancel EM/TM/018234567 --account 2
    """)
reject = right_action("reject", "assignment rejected", lambda ipl, right: ipl.reject_assignment(right),
                      """Reject a pending assignment (office registrar).

    \b
    Example:  ipledger reject EM/TM/018234567 --account 1
    """)
