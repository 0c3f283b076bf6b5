"""Shapes that several commands share: one SDK call on one right or license, and the three ways to accept.

``right_action`` builds ``ipledger NAME RIGHT`` (record, cancel, reject, consent, release) and
``license_action`` builds ``ipledger license NAME LICENSE_ID`` (withdraw, terminate,
surrender): each parses its argument, connects, makes one SDK call and prints the
transaction. ``accept_or_sign`` is the body of ``accept`` and ``license accept``: accept by a
transaction, sign the acceptance off line (``--sign-only``) or relay someone's signature.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from ipledger.cli.context import Session, chain_options
from ipledger.cli.output import emit, tx_out
from ipledger.cli.params import LICENSE_ID, RightRef

if TYPE_CHECKING:
    from ipledger.sdk import IPLedger, TxResult

Call = Callable[["IPLedger", int], "TxResult"]


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


def accept_or_sign(session: Session, sign_only: bool, relay_sig: str | None, deadline: int, what: str,
                   sign: Callable[[int], bytes], relay: Callable[[int, str], Any], accept: Callable[[], Any],
                   ids: dict[str, Any]) -> None:
    """The three ways to accept: sign off line and print the signature, relay one, or accept directly."""
    if sign_only:
        data = {**ids, "deadline": deadline, "signature": "0x" + sign(deadline).hex()}
        emit(session.as_json, data, lambda: click.echo(f"signature {data['signature']}\ndeadline {deadline}"))
    elif relay_sig:
        tx_out(session.as_json, f"{what} acceptance relayed", relay(deadline, relay_sig))
    else:
        tx_out(session.as_json, f"{what} accepted", accept())
