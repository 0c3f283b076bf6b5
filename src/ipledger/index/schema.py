"""The index's tables (SQLAlchemy Core), the one description the queries and the migrations' check share.

The index is a cache of one deployment's events: ``events`` holds every log of the register contracts it read,
decoded (one row per log, keyed by block and log index, so a re-read writes nothing twice); ``blocks`` the hash
of every block it holds events of, and of each block it stopped at, so a reorganisation is noticed and undone;
``meta`` the schema version's companions: chain id, the deployment's addresses, the cursor (the last block
processed, number and hash). Projections (rights, licences …) are folded from ``events`` and can always be
rebuilt from them. The schema itself is made and changed only by the migrations in ``migrations/versions``
(Alembic); tests/index checks that they produce exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

blocks = Table(
    "blocks", metadata,
    Column("number", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(66), nullable=False),
    Column("timestamp", BigInteger, nullable=False),
)

events = Table(
    "events", metadata,
    Column("block", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("tx_hash", String(66), nullable=False),
    Column("contract", String(64), nullable=False),
    Column("name", String(64), nullable=False),
    Column("right_id", String(66)),  # 0x + 64 hex digits when the event names a right, else NULL
    Column("args", JSON, nullable=False),
    Index("ix_events_right", "right_id", "block", "log_index"),
    Index("ix_events_name", "name", "block"),
)

TABLES = ("meta", "blocks", "events")
