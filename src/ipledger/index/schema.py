"""The index's tables (SQLAlchemy Core), the one description the queries and the migrations' check share.

The index is a cache of one deployment's events: ``events`` holds every log of the register contracts it read,
decoded (one row per log, keyed by block and log index, so a re-read writes nothing twice); ``blocks`` the hash
of every block it holds events of, and of each block it stopped at, so a reorganisation is noticed and undone;
``meta`` the schema version's companions: chain id, the deployment's addresses, the cursor (the last block
processed, number and hash). Projections (rights, licences …) are folded from ``events`` and can always be
rebuilt from them (``projections``): ``rights`` (each right's current record), ``hashes`` (every hash an
event names, for proof-of-existence lookups), ``terms`` (interned licence terms, from ``TermsRegistered``) and
``licences`` (each licence's current record, ``index/licences.py``). The schema itself is made and changed only
by the migrations in ``migrations/versions`` (Alembic); tests/index checks that they produce exactly these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

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

rights = Table(
    "rights", metadata,
    Column("right_id", String(66), primary_key=True),
    Column("office", String(2), nullable=False),
    Column("ip_type", Integer, nullable=False),
    Column("number", String(64), nullable=False),
    Column("holder", String(42), nullable=False),
    Column("status", Integer, nullable=False),
    Column("filing_date", BigInteger, nullable=False),
    Column("registration_number", String(128)),
    Column("registration_date", BigInteger),
    Column("expiry_date", BigInteger),
    Column("content_hash", String(66)),
    Column("metadata_uri", Text),
    Column("filed_block", BigInteger, nullable=False),
    Column("filed_at", BigInteger, nullable=False),
    Column("filed_tx", String(66), nullable=False),
    Column("updated_block", BigInteger, nullable=False),
    Index("ix_rights_holder_filed", "holder", "filed_block", "right_id"),  # a holder's pages (migration 0004)
    Index("ix_rights_office", "office", "ip_type", "status"),
    Index("ix_rights_filing_date", "filing_date"),
    Index("ix_rights_number", "number"),
)

hashes = Table(
    "hashes", metadata,
    Column("hash", String(66), primary_key=True),
    Column("block", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("field", String(64), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("contract", String(64), nullable=False),
    Column("right_id", String(66)),
)

terms = Table(
    "terms", metadata,
    Column("terms_id", BigInteger, primary_key=True, autoincrement=False),
    Column("content_hash", String(66), nullable=False),
    Column("kind", Integer, nullable=False),
    Column("territories", JSON, nullable=False),  # ST.3 codes as text, in the event's order
    Column("field_hash", String(66), nullable=False),
    Column("field_label", Text, nullable=False),
    Column("period_start", BigInteger, nullable=False),
    Column("period_end", BigInteger, nullable=False),  # 0: until the right ends
    Column("royalty_bps", Integer, nullable=False),
    Column("sublicensable", Boolean, nullable=False),
    Column("transferable", Boolean, nullable=False),
    Column("terms_hash", String(66), nullable=False),
    Column("terms_uri", Text, nullable=False),
    Column("block", BigInteger, nullable=False),
    Column("log_index", Integer, nullable=False),
    Column("tx_hash", String(66), nullable=False),
)

licences = Table(
    "licences", metadata,
    Column("licence_id", BigInteger, primary_key=True, autoincrement=False),
    Column("right_id", String(66), nullable=False),
    Column("parent_id", BigInteger, nullable=False),  # 0 for a root licence
    Column("depth", Integer, nullable=False),  # 1 for a root licence
    Column("offered_by", String(42), nullable=False),  # the licensor that offered or granted it (the event's)
    Column("licensee", String(42), nullable=False),  # the current licensee (transfers move it)
    Column("kind", Integer, nullable=False),  # LicenseKind: 0 exclusive, 1 sole, 2 non-exclusive
    Column("terms_id", BigInteger, nullable=False),
    Column("territories", JSON, nullable=False),
    Column("field_hash", String(66), nullable=False),
    Column("period_start", BigInteger, nullable=False),
    Column("period_end", BigInteger, nullable=False),
    Column("deadline", BigInteger, nullable=False),  # the offer's; 0 for a grant by signature
    Column("state", Integer, nullable=False),  # the stored LicenseState (expiry and ended parents are read lazily)
    Column("by_signature", Boolean, nullable=False),  # accepted by a relayed signature, or granted with one
    Column("offered_block", BigInteger, nullable=False),
    Column("offered_at", BigInteger, nullable=False),
    Column("offered_tx", String(66), nullable=False),
    Column("accepted_block", BigInteger),
    Column("accepted_at", BigInteger),
    Column("accepted_tx", String(66)),
    Column("ended_block", BigInteger),  # withdrawn, terminated or surrendered
    Column("ended_at", BigInteger),
    Column("ended_tx", String(66)),
    Column("updated_block", BigInteger, nullable=False),
    Index("ix_licences_licensee", "licensee", "licence_id"),
    Index("ix_licences_right", "right_id", "parent_id"),
    Index("ix_licences_state", "state", "licence_id"),
)

TABLES = ("meta", "blocks", "events", "rights", "hashes", "terms", "licences")
