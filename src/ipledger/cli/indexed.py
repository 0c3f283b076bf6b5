"""``ipledger show`` and ``history`` from a fresh index (docs/index.md): no web3, no SQLAlchemy, a 0.2 s process.

``--from auto`` (the default) reads the index when it can answer for the chain's present
(``ipledger.index.local.LocalIndex.open``: the deployment's SQLite index, its cursor block still the chain's and
no further behind the head than the network's ``confirmations``) and holds the right; otherwise the chain is read
as before. ``--from index`` insists and says in one line why it cannot; ``--from chain`` reads the chain only.
The records are the SDK's own (``ipledger.sdk.history``), so both sources print the same tables; an answer from
the index names the block it is valid at, and the token URI of a right whose office has no base URI (a document
the contract renders) is left to ``--from chain``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from ipledger.errors import UsageError

if TYPE_CHECKING:
    from ipledger.cli.context import Session
    from ipledger.index.local import LocalIndex
    from ipledger.sdk.results import Event
    from ipledger.types import RightKey

SOURCES = ("auto", "index", "chain")
ON_CHAIN_URI = "(rendered on chain: --from chain shows it)"


def source_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--from auto|index|chain``."""
    return click.option("--from", "source", type=click.Choice(SOURCES), default="auto", show_default=True,
                        help="Where to read: the index when fresh, else the chain (auto); only the index; only the "
                             "chain.")(func)


@dataclass
class Indexed:
    """A right's events as a fresh index holds them."""

    index: LocalIndex
    right_id: int
    events: list[Event] = field(default_factory=list)  # registry and security interests, oldest first
    licenses: list[Event] = field(default_factory=list)
    times: dict[int, int] = field(default_factory=dict)

    @property
    def source(self) -> dict[str, Any]:
        f = self.index.freshness
        return {"index": str(self.index.path), "block": f.cursor, "block_hash": f.cursor_hash, "head": f.head}

    def note(self) -> str:
        f = self.index.freshness
        return (f"from the index at block {f.cursor} ({f.cursor_hash[:10]}…; chain head {f.head}); "
                "--from chain asks the chain")


def read(session: Session, key: RightKey, source: str) -> Indexed | None:
    """The right's events from the network's fresh index; None when the chain must be read (``auto``)."""
    if source == "chain":
        return None
    from ipledger.config import load_config
    from ipledger.index.local import LocalIndex, Unusable
    from ipledger.sdk.history import event_of

    try:
        index = LocalIndex.open(load_config(), session.network)
    except Unusable as exc:
        if source == "index":
            raise UsageError(f"cannot read from the index: {exc}") from None
        return None
    rid = f"0x{key.given_id:064x}" if key.given_id is not None else index.find(key.office, key.ip_type, key.number)
    if rid is None or index.right(rid) is None:
        index.close()
        if source == "index":
            raise UsageError(f"the index holds no such right as of block {index.freshness.cursor}; check the id or "
                             "office/type/number, or read the chain (--from chain)")
        return None  # filed after the index's block, or never: the chain says which
    found = Indexed(index, int(rid, 16))
    found.events = [event_of(e) for e in index.events(rid, ("IPRegistry", "SecurityInterests"))]
    found.licenses = [event_of(e) for e in index.events(rid, ("LicenseRegistry",))]
    found.times = index.block_times({e.block for e in found.events + found.licenses})
    return found


def record(found: Indexed) -> Any:
    """The right's ``RightInfo`` and its anchors, from the index."""
    from dataclasses import replace

    from ipledger.sdk.history import anchor_of, event_of, record_of

    office = next(e.args["office"] for e in found.events if e.name == "RightFiled")
    base_uris = [event_of(e) for e in found.index.office_events(office, "BaseURISet")]
    info = record_of(found.right_id, found.events, found.times, base_uris)
    assert info is not None  # read() found the right's row, folded from its RightFiled
    anchors = [anchor_of(e.args, e.block, found.times[e.block]) for e in found.events if e.name == "DocumentAnchored"]
    return replace(info, token_uri=info.token_uri or ON_CHAIN_URI), anchors


def history(found: Indexed) -> Any:
    """The right's ``History``, from the index."""
    from ipledger.sdk.history import history_of

    return history_of(found.right_id, found.events, found.licenses, found.times)
