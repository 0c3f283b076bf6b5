"""Assignments of a right: ``assign`` (holder asks), ``accept`` (assignee; also signed off line, relayed or revoked),
``record`` (the office's registrar: title moves), ``cancel`` (holder) and ``reject`` (registrar)."""

from __future__ import annotations

import click

from ipledger.cli.actions import POSITIVE_ID, accept_or_sign, right_action, signed_deadline
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
@click.option("--revoke", "revoking", is_flag=True,
              help="Revoke your signed acceptance (made with --deadline) before anyone relays it.")
@click.option("--deadline", type=Date("deadline"), default=None,
              help="Signature deadline YYYY-MM-DD or an ISO timestamp (default: 1 day; --relay/--revoke: as signed).")
@click.option("--assignment", "assignment_id", type=POSITIVE_ID,
              help="The assignment request the signature names (default: the pending one).")
@chain_options
def accept(session: Session, right: int, sign_only: bool, relay_sig: str | None, revoking: bool,
           deadline: int | None, assignment_id: int | None) -> None:
    """Accept a pending assignment (assignee), sign it off line, relay a signature, or revoke yours.

    A signature names the assignment request's id: after a cancel or a new request it no longer counts.

    \b
    Examples:  ipledger accept EM/TM/018234567 --account 3
               ipledger accept EM/TM/018234567 --account 3 --sign-only --deadline 2030-01-01
               ipledger accept EM/TM/018234567 --relay 0x… --deadline 2030-01-01 --assignment 1
               ipledger accept EM/TM/018234567 --account 3 --revoke --deadline 2030-01-01
    """
    dl = signed_deadline(deadline, sign_only, relay_sig, revoking)
    ipl = session.ledger()
    message = ipl.acceptance_message(right, dl) if sign_only else {}
    accept_or_sign(session, sign_only, relay_sig, dl, "assignment",
                   sign=lambda d: ipl.sign_assignment_acceptance(right, d),
                   relay=lambda d, sig: ipl.accept_assignment_by_sig(right, d, sig, assignment_id=assignment_id),
                   accept=lambda: ipl.accept_assignment(right),
                   revoke=lambda d: ipl.revoke_assignment_acceptance(right, d), revoking=revoking,
                   ids={"right_id": right, "assignee": message.get("assignee", ipl.address),
                        "assignment_id": message.get("assignmentId", 0)},
                   shown=("assignment_id",))


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
