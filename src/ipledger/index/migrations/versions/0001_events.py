"""The event store: meta (chain, deployment, cursor), blocks (hashes for reorg checks), events (decoded logs).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("meta",
                    sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table("blocks",
                    sa.Column("number", sa.BigInteger, primary_key=True, autoincrement=False),
                    sa.Column("hash", sa.String(66), nullable=False),
                    sa.Column("timestamp", sa.BigInteger, nullable=False))
    op.create_table("events",
                    sa.Column("block", sa.BigInteger, primary_key=True, autoincrement=False),
                    sa.Column("log_index", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("tx_hash", sa.String(66), nullable=False),
                    sa.Column("contract", sa.String(64), nullable=False),
                    sa.Column("name", sa.String(64), nullable=False),
                    sa.Column("right_id", sa.String(66)),
                    sa.Column("args", sa.JSON, nullable=False))
    op.create_index("ix_events_right", "events", ["right_id", "block", "log_index"])
    op.create_index("ix_events_name", "events", ["name", "block"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("blocks")
    op.drop_table("meta")
