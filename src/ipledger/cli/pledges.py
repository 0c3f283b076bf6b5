"""Security interests in a right: ``pledge`` (the holder records one; several may stand, ranked by recording
order), ``consent`` (a creditor agrees, for its pledge, to the pending assignment: by a transaction, signed off line,
relayed, or a signature revoked) and ``release`` (the creditor lets go, or the office records a court-ordered
release)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ipledger.cli.actions import POSITIVE_ID, VERSION, accept_or_sign, signed_deadline
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import tx_out
from ipledger.cli.params import Address, Date, Hash32, RightRef, Signature, digest
from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger


@click.command()
@click.argument("right", type=RightRef())
@click.argument("creditor", type=Address("creditor"))
@click.option("--agreement", type=click.Path(dir_okay=False), help="The security agreement (SHA-256 recorded).")
@click.option("--agreement-hash", type=Hash32("agreement hash"), help="The agreement's hash.")
@chain_options
def pledge(session: Session, right: int, creditor: str, agreement: str | None, agreement_hash: bytes | None) -> None:
    """Record a security interest in favour of CREDITOR (holder); it ranks after the active ones.

    \b
    Example:  ipledger pledge EM/TM/018234567 0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65 --account 2
    """
    h = digest(agreement_hash, agreement, "agreement")
    res = session.ledger().record_pledge(right, creditor, h)
    tx_out(session.as_json, "pledge recorded", res, {"pledge_id": res.pledge_id, "rank": res.rank})


def _needs_pledge(pledge_id: int | None, why: str) -> None:
    """Refuses ``why`` (an option acting for someone else) without ``--pledge``, before connecting."""
    if why and pledge_id is None:
        raise UsageError(f"{why} needs --pledge ID (the pledge id; `ipledger show` lists a right's pledges)")


def _pledge_on(ipl: IPLedger, right: int, pledge_id: int | None) -> int:
    """``pledge_id``, checked to be a pledge of ``right``; without it, this account's senior pledge there."""
    if pledge_id is None:
        return ipl.pledge_of(right)
    info = ipl.pledge(pledge_id)
    if info.right_id != right:
        raise UsageError(f"pledge {pledge_id} is on right {info.right_id:#x}, not on {right:#x}; check --pledge")
    return pledge_id


@click.command()
@click.argument("right", type=RightRef())
@click.option("--pledge", "pledge_id", type=POSITIVE_ID,
              help="The pledge consenting (default: your senior pledge on the right; needed to relay).")
@click.option("--sign-only", is_flag=True, help="Print an EIP-712 signature for someone else to relay instead.")
@click.option("--relay", "relay_sig", type=Signature(), help="Relay this consent signature (anyone may).")
@click.option("--revoke", "revoking", is_flag=True,
              help="Revoke your signed consent (made with --deadline) before anyone relays it.")
@click.option("--deadline", type=Date("deadline"), default=None,
              help="Signature deadline YYYY-MM-DD or an ISO timestamp (default: 1 day; --relay/--revoke: as signed).")
@click.option("--assignment", "assignment_id", type=POSITIVE_ID,
              help="The assignment the signature names (default: the pending one).")
@click.option("--pledges-version", type=VERSION, help="The pledge version the signature names (default: current).")
@chain_options
def consent(session: Session, right: int, pledge_id: int | None, sign_only: bool, relay_sig: str | None,
            revoking: bool, deadline: int | None, assignment_id: int | None, pledges_version: int | None) -> None:
    """Consent, for a pledge, to the pending assignment of the right (creditor); sign it off line, relay a signed
    consent, or revoke one. Every active creditor must consent; a new pledge or a release voids earlier consents.

    \b
    Examples:  ipledger consent EM/TM/018234567 --account 4
               ipledger consent EM/TM/018234567 --account 4 --sign-only --deadline 2030-01-01
               ipledger consent EM/TM/018234567 --pledge 1 --relay 0x… --deadline 2030-01-01
               ipledger consent EM/TM/018234567 --account 4 --revoke --deadline 2030-01-01
    """
    dl = signed_deadline(deadline, sign_only, relay_sig, revoking)
    _needs_pledge(pledge_id, "--relay" if relay_sig else "")
    ipl = session.ledger()
    pid = _pledge_on(ipl, right, pledge_id)

    def signed(d: int) -> bytes:
        return ipl.sign_assignment_consent(pid, d)

    message = ipl.consent_message(pid, dl) if sign_only else {}
    accept_or_sign(session, sign_only, relay_sig, dl, "assignment", sign=signed,
                   relay=lambda d, sig: ipl.consent_to_assignment_by_sig(
                       pid, d, sig, assignment_id=assignment_id, pledges_version=pledges_version),
                   accept=lambda: ipl.consent_to_assignment(pid, assignment_id),
                   revoke=lambda d: ipl.revoke_assignment_consent(pid, d), revoking=revoking,
                   ids={"right_id": right, "pledge_id": pid, "creditor": message.get("creditor", ""),
                        "assignment_id": message.get("assignmentId", 0),
                        "pledges_version": message.get("pledgesVersion", 0)},
                   shown=("pledge_id", "assignment_id", "pledges_version"), noun="consent",
                   done="assignment consented")


@click.command()
@click.argument("right", type=RightRef())
@click.option("--pledge", "pledge_id", type=POSITIVE_ID,
              help="The pledge to release (default: your senior pledge on the right; needed with --court-order).")
@click.option("--court-order", type=click.Path(dir_okay=False),
              help="The court order releasing the pledge (its SHA-256 is recorded; office registrar).")
@click.option("--court-order-hash", type=Hash32("court order hash"), help="The court order's hash.")
@chain_options
def release(session: Session, right: int, pledge_id: int | None, court_order: str | None,
            court_order_hash: bytes | None) -> None:
    """Release a security interest (its creditor), or record a release ordered by a court (office registrar).

    \b
    Examples:  ipledger release EM/TM/018234567 --account 4
               ipledger release EM/TM/018234567 --pledge 2 --court-order order.pdf --account 1
    """
    order = digest(court_order_hash, court_order, "court-order")
    _needs_pledge(pledge_id, "--court-order" if order else "")
    ipl = session.ledger()
    pid = _pledge_on(ipl, right, pledge_id)
    if order:
        tx_out(session.as_json, "court-ordered release recorded", ipl.release_pledge_by_court_order(pid, order),
               {"pledge_id": pid})
    else:
        tx_out(session.as_json, "pledge released", ipl.release_pledge(pid), {"pledge_id": pid})
