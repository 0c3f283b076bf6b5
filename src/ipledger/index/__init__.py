"""The register index: one deployment's events in SQLite (a file, the default) or PostgreSQL (to share).

``Store`` is the database (schema by Alembic migrations, one transaction per span), ``sync`` follows the chain
into it (bounded spans, a confirmation depth, reorgs undone), ``Decoder`` turns logs into rows. The index is a
cache: every answer names the block it is valid at, and the chain stays the truth. ``local`` reads a SQLite index
with the standard library only (the fast path of ``ipledger show``/``history``); ``logs`` serves the SDK's event
reads from an index.

The names below are imported on first use, so ``ipledger.index.local`` loads neither SQLAlchemy nor web3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ipledger.index.follower import Decoder, SyncResult, plain, sync
    from ipledger.index.store import Cursor, Store, database_url

_HOME = {"Decoder": "follower", "SyncResult": "follower", "plain": "follower", "sync": "follower",
         "Cursor": "store", "Store": "store", "database_url": "store"}
__all__ = ["Cursor", "Decoder", "Store", "SyncResult", "database_url", "plain", "sync"]


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(import_module(f"ipledger.index.{_HOME[name]}"), name)
    raise AttributeError(f"module 'ipledger.index' has no attribute {name!r}")
