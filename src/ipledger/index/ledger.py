"""The index of one SDK connection's deployment: where it lives, how it is opened and brought up to date.

``default_location(config, chain_id)`` is ``.ipledger/index/<chain-id>.sqlite`` under the project; ``open_for``
opens (and migrates) the database and binds it to the connection's deployment; ``update`` runs one sync with the
network's settings (its ``max_log_span`` and ``confirmations`` from brownie-config.yaml unless given).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Protocol

from ipledger.config import Config
from ipledger.errors import UsageError
from ipledger.index.follower import Decoder, SyncResult, sync
from ipledger.index.local import default_location
from ipledger.index.store import Store


class IPLedger(Protocol):
    """What the index needs of an SDK connection (``ipledger.sdk.IPLedger``, a layer above the index)."""

    @property
    def config(self) -> Config | None: ...
    @property
    def contracts(self) -> Mapping[str, Any]: ...
    @property
    def deployment(self) -> Any: ...
    @property
    def chain(self) -> Any: ...
    @property
    def w3(self) -> Any: ...


def decoder_for(ipl: IPLedger) -> Decoder:
    """A decoder of every contract of the connection's deployment (proxies with their implementations' ABIs)."""
    return Decoder({name: (c.address, c.abi) for name, c in ipl.contracts.items()})


def open_for(ipl: IPLedger, db: str | Path | Store | None = None) -> Store:
    """The index database of ``ipl``'s deployment (made on first use), bound to it. ``db`` may be a store
    already opened (a command opens a given ``--db`` before it connects to the chain, to fail fast)."""
    if db is None:
        if ipl.config is None:
            raise UsageError("this connection has no project configuration: give the index's --db")
        db = default_location(ipl.config, ipl.deployment.chain_id)
    store = db if isinstance(db, Store) else Store(db)
    try:
        store.bind(ipl.deployment.chain_id, {n: c.address for n, c in ipl.contracts.items()},
                   ipl.deployment.first_block)
    except BaseException:
        store.close()
        raise
    return store


def update(ipl: IPLedger, store: Store, *, confirmations: int | None = None, span: int | None = None,
           until: int | None = None, progress: Callable[[int, int], None] | None = None) -> SyncResult:
    """One sync of ``store`` with the chain ``ipl`` is connected to."""
    settings = ipl.chain.settings
    return sync(ipl.w3, store, decoder_for(ipl), ipl.deployment.first_block,
                confirmations=settings.confirmations if confirmations is None else confirmations,
                span=settings.max_log_span if span is None else span, until=until, progress=progress)
