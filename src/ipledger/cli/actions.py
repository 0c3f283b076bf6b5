"""Shapes that several commands share: one SDK call on one right or license, and the ways to act on a signature.

``right_action`` builds ``ipledger NAME RIGHT`` (record, cancel, reject) and
``license_action`` builds ``ipledger license NAME LICENSE_ID`` (withdraw, terminate,
surrender): each parses its argument, connects, makes one SDK call and prints the
transaction. ``accept_or_sign`` is the body of every signed action (``accept``, ``consent``,
``license accept``), one shape for all: act by a transaction, sign off line (``--sign-only``),
relay someone's signature (``--relay``), or revoke one's own unused signature (``--revoke``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ipledger import types
from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import LICENSE_ID, RightRef
from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger, TxResult

Call = Callable[["IPLedger", int], "TxResult"]

#: An id of a pledge or an assignment request (they count from 1).
POSITIVE_ID = click.IntRange(1, types.MAX_UINT256)
#: A right's pledge version (0 before its first pledge).
VERSION = click.IntRange(0, types.MAX_UINT256)


def right_action(name: str, action: str, call: Call, doc: str) -> click.Command:
    """The command ``ipledger NAME RIGHT``: ``call(client, right_id)``, printed as ``action``."""

    @click.argument("right", type=RightRef())
    @chain_options
    def command(session: Session, right: int) -> None:
        tx_out(session.as_json, action, call(session.ledger(), right))

    command.__doc__ = doc
    return click.command(name, help=doc)(command)


def license_action(name: str, action: str, call: Call, doc: str) -> click.Command:
    """The command ``ipledger license NAME LICENSE_ID``: ``call(client, license_id)``, printed as ``action``."""

    @click.argument("license_id", type=LICENSE_ID)
    @chain_options
    def command(session: Session, license_id: int) -> None:
        tx_out(session.as_json, action, call(session.ledger(), license_id), {"license_id": license_id})

    command.__doc__ = doc
    return click.command(name, help=doc)(command)


def signed_deadline(deadline: int | None, sign_only: bool, relay_sig: str | None, revoking: bool) -> int:
    """The signature deadline: given (a relay and a revocation need the one that was signed), or one day from now.
    Checked before connecting, with the choice of at most one of ``--sign-only``, ``--relay`` and ``--revoke``."""
    if sign_only + bool(relay_sig) + revoking > 1:
        raise UsageError("give one of --sign-only, --relay and --revoke")
    if deadline is None and (relay_sig or revoking):
        raise UsageError(f"{'--relay' if relay_sig else '--revoke'} needs the --deadline the signature was made with "
                         "(--sign-only prints it)")
    if deadline is not None:
        return deadline
    import time

    return int(time.time()) + 86400


def accept_or_sign(session: Session, sign_only: bool, relay_sig: str | None, deadline: int, what: str,
                   sign: Callable[[int], bytes], relay: Callable[[int, str], Any], accept: Callable[[], Any],
                   ids: dict[str, Any], *, revoke: Callable[[int], Any] | None = None, revoking: bool = False,
                   shown: tuple[str, ...] = (), noun: str = "acceptance", done: str = "") -> None:
    """The ways to act on a signed action: sign off line and print the signature (with ``ids``; the keys in
    ``shown`` also in the text output), relay one, revoke one's own, or act directly by a transaction.
    ``what`` and ``noun`` name it in the messages ("assignment acceptance relayed"); ``done`` is the message of
    the direct action (default "<what> accepted")."""
    if sign_only + bool(relay_sig) + revoking > 1:
        raise UsageError("give one of --sign-only, --relay and --revoke")
    if sign_only:
        data = {**ids, "deadline": deadline, "signature": "0x" + sign(deadline).hex()}
        extra = "".join(f"\n{k.replace('_', ' ')} {data[k]}" for k in shown)
        emit(session.as_json, data, lambda: click.echo(f"signature {data['signature']}\ndeadline {deadline}{extra}"))
    elif relay_sig:
        tx_out(session.as_json, f"{what} {noun} relayed", relay(deadline, relay_sig))
    elif revoking:
        if revoke is None:
            raise UsageError(f"a {what} signature cannot be revoked from here")
        tx_out(session.as_json, f"{what} {noun} signature revoked", revoke(deadline))
    else:
        tx_out(session.as_json, done or f"{what} accepted", accept())
