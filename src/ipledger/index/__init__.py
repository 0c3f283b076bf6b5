"""The register index: one deployment's events in SQLite (a file, the default) or PostgreSQL (to share).

``Store`` is the database (schema by Alembic migrations, one transaction per span), ``sync`` follows the chain
into it (bounded spans, a confirmation depth, reorgs undone), ``Decoder`` turns logs into rows. The index is a
cache: every answer names the block it is valid at, and the chain stays the truth.
"""

from __future__ import annotations

from ipledger.index.follower import Decoder, SyncResult, plain, sync
from ipledger.index.store import Cursor, Store, database_url

__all__ = ["Cursor", "Decoder", "Store", "SyncResult", "database_url", "plain", "sync"]
