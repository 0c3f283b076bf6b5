"""Assignments of a right: ``assign`` (holder asks, or assigns in one transaction with the assignee's signature),
``accept`` (assignee; also signed off line, relayed or revoked), ``record`` (the office's registrar: title moves),
``cancel`` (holder) and ``reject`` (registrar)."""

from __future__ import annotations

import click

from pathlib import Path

from ipledger import types
from ipledger.cli.actions import POSITIVE_ID, accept_or_sign, right_action, signed_deadline
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import Address, Date, Hash32, RightRef, Signature, digest
from ipledger.errors import UsageError


def _signature(value: str | None, what: str) -> str | None:
    """A signature given as 0x-hex or as a file holding it (as ``--sign-as`` prints it), checked."""
    if value is None:
        return None
    text = value
    if not value.startswith("0x"):
        path = Path(value)
        if not path.is_file():
            raise UsageError(f"{what} {value!r} is neither 0x and 130 hex digits nor a readable file")
        words = path.read_text().split()  # the bare signature, or --sign-as's text output
        text = next((w for w in words if w.startswith("0x") and len(w) == 2 + 2 * types.SIGNATURE_LEN), "")
    types.signature(text, what, length=types.SIGNATURE_LEN)
    return text


@click.command()
@click.argument("right", type=RightRef())
@click.argument("assignee", type=Address("assignee"))
@click.option("--deed", type=click.Path(dir_okay=False), help="The deed of assignment (its SHA-256 is recorded).")
@click.option("--deed-hash", type=Hash32("deed hash"), help="The deed's hash.")
@click.option("--sign-as", type=click.Choice(["holder", "assignee"]),
              help="Print this account's signature of the one-transaction assignment (AssignTitle) instead.")
@click.option("--assignee-signature", help="The assignee's AssignTitle signature (0x-hex or a file): the holder "
                                           "assigns in one transaction (offices without recordal).")
@click.option("--holder-signature", help="The holder's AssignTitle signature (0x-hex or a file): with "
                                         "--assignee-signature, the office's registrar records in one transaction.")
@click.option("--deadline", type=Date("deadline"), default=None,
              help="Signature deadline YYYY-MM-DD or an ISO timestamp (default: 1 day; with a signature: as signed).")
@chain_options
def assign(session: Session, right: int, assignee: str, deed: str | None, deed_hash: bytes | None,
           sign_as: str | None, assignee_signature: str | None, holder_signature: str | None,
           deadline: int | None) -> None:
    """Assign a right to ASSIGNEE: ask (holder; the assignee then accepts), or in one transaction with signatures.

    A signature names the right's holder and its assignment sequence number: it is good for one assignment, and
    a request or another assignment made first voids it.

    \b
    Examples:  ipledger assign EM/TM/018234567 0x90F7…b906 --deed deed.pdf --account 2
               ipledger assign RU/TM/2023101234 0x90F7…b906 --deed deed.pdf --sign-as assignee --account 3
               ipledger assign RU/TM/2023101234 0x90F7…b906 --deed deed.pdf --assignee-signature sig.txt \\
                   --deadline 2030-01-01 --account 2
               ipledger assign EM/TM/018234567 0x90F7…b906 --deed deed.pdf --holder-signature 0x… \\
                   --assignee-signature 0x… --deadline 2030-01-01 --account 1
    """
    h = digest(deed_hash, deed, "deed")
    by_assignee = _signature(assignee_signature, "--assignee-signature")
    by_holder = _signature(holder_signature, "--holder-signature")
    if sign_as and (by_assignee or by_holder):
        raise UsageError("--sign-as prints a signature; give it alone, without --assignee-signature/--holder-signature")
    if by_holder and not by_assignee:
        raise UsageError("--holder-signature needs --assignee-signature too (the registrar relays both)")
    if (by_assignee or by_holder) and deadline is None:
        raise UsageError("a relayed signature needs the --deadline it was made with (--sign-as prints it)")
    ipl = session.ledger()
    if sign_as:
        dl = signed_deadline(deadline, True, None, False)
        message = ipl.title_message(right, assignee, h, dl)
        data = {"right_id": right, "signer": sign_as, "holder": message["holder"], "assignee": message["assignee"],
                "sequence": message["sequence"], "deadline": dl,
                "signature": "0x" + ipl.sign_title_assignment(right, assignee, h, dl).hex()}
        emit(session.as_json, data, lambda: click.echo(f"signature {data['signature']}\ndeadline {dl}\n"
                                                       f"sequence {data['sequence']}"))
    elif by_holder and by_assignee and deadline is not None:
        res = ipl.record_assignment_by_sig(right, assignee, deadline, by_holder, by_assignee, deed_hash=h)
        tx_out(session.as_json, "assignment recorded", res)
    elif by_assignee and deadline is not None:
        tx_out(session.as_json, "assignment recorded", ipl.assign(right, assignee, deadline, by_assignee, deed_hash=h))
    else:
        tx_out(session.as_json, "assignment requested", ipl.request_assignment(right, assignee, h))


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
