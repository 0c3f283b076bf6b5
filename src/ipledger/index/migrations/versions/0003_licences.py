"""Projections of the licence register: interned terms (``terms``) and each licence's record (``licences``).

Revision ID: 0003
Revises: 0002

An index made before this revision holds the licence events already but no licence rows: the upgrade folds them
from ``events`` (terms first, then every licence event in chain order), so no re-sync is needed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("terms",
                    sa.Column("terms_id", sa.BigInteger, primary_key=True, autoincrement=False),
                    sa.Column("content_hash", sa.String(66), nullable=False),
                    sa.Column("kind", sa.Integer, nullable=False),
                    sa.Column("territories", sa.JSON, nullable=False),
                    sa.Column("field_hash", sa.String(66), nullable=False),
                    sa.Column("field_label", sa.Text, nullable=False),
                    sa.Column("period_start", sa.BigInteger, nullable=False),
                    sa.Column("period_end", sa.BigInteger, nullable=False),
                    sa.Column("royalty_bps", sa.Integer, nullable=False),
                    sa.Column("sublicensable", sa.Boolean, nullable=False),
                    sa.Column("transferable", sa.Boolean, nullable=False),
                    sa.Column("terms_hash", sa.String(66), nullable=False),
                    sa.Column("terms_uri", sa.Text, nullable=False),
                    sa.Column("block", sa.BigInteger, nullable=False),
                    sa.Column("log_index", sa.Integer, nullable=False),
                    sa.Column("tx_hash", sa.String(66), nullable=False))
    op.create_table("licences",
                    sa.Column("licence_id", sa.BigInteger, primary_key=True, autoincrement=False),
                    sa.Column("right_id", sa.String(66), nullable=False),
                    sa.Column("parent_id", sa.BigInteger, nullable=False),
                    sa.Column("depth", sa.Integer, nullable=False),
                    sa.Column("offered_by", sa.String(42), nullable=False),
                    sa.Column("licensee", sa.String(42), nullable=False),
                    sa.Column("kind", sa.Integer, nullable=False),
                    sa.Column("terms_id", sa.BigInteger, nullable=False),
                    sa.Column("territories", sa.JSON, nullable=False),
                    sa.Column("field_hash", sa.String(66), nullable=False),
                    sa.Column("period_start", sa.BigInteger, nullable=False),
                    sa.Column("period_end", sa.BigInteger, nullable=False),
                    sa.Column("deadline", sa.BigInteger, nullable=False),
                    sa.Column("state", sa.Integer, nullable=False),
                    sa.Column("by_signature", sa.Boolean, nullable=False),
                    sa.Column("offered_block", sa.BigInteger, nullable=False),
                    sa.Column("offered_at", sa.BigInteger, nullable=False),
                    sa.Column("offered_tx", sa.String(66), nullable=False),
                    sa.Column("accepted_block", sa.BigInteger),
                    sa.Column("accepted_at", sa.BigInteger),
                    sa.Column("accepted_tx", sa.String(66)),
                    sa.Column("ended_block", sa.BigInteger),
                    sa.Column("ended_at", sa.BigInteger),
                    sa.Column("ended_tx", sa.String(66)),
                    sa.Column("updated_block", sa.BigInteger, nullable=False))
    op.create_index("ix_licences_licensee", "licences", ["licensee", "licence_id"])
    op.create_index("ix_licences_right", "licences", ["right_id", "parent_id"])
    op.create_index("ix_licences_state", "licences", ["state", "licence_id"])
    from ipledger.index.licences import backfill

    backfill(op.get_bind())


def downgrade() -> None:
    op.drop_table("licences")
    op.drop_table("terms")
