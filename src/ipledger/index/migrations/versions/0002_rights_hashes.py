"""Projections: each right's current record (``rights``) and every hash an event names (``hashes``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("rights",
                    sa.Column("right_id", sa.String(66), primary_key=True),
                    sa.Column("office", sa.String(2), nullable=False),
                    sa.Column("ip_type", sa.Integer, nullable=False),
                    sa.Column("number", sa.String(64), nullable=False),
                    sa.Column("holder", sa.String(42), nullable=False),
                    sa.Column("status", sa.Integer, nullable=False),
                    sa.Column("filing_date", sa.BigInteger, nullable=False),
                    sa.Column("registration_number", sa.String(128)),
                    sa.Column("registration_date", sa.BigInteger),
                    sa.Column("expiry_date", sa.BigInteger),
                    sa.Column("content_hash", sa.String(66)),
                    sa.Column("metadata_uri", sa.Text),
                    sa.Column("filed_block", sa.BigInteger, nullable=False),
                    sa.Column("filed_at", sa.BigInteger, nullable=False),
                    sa.Column("filed_tx", sa.String(66), nullable=False),
                    sa.Column("updated_block", sa.BigInteger, nullable=False))
    op.create_index("ix_rights_holder", "rights", ["holder"])
    op.create_index("ix_rights_office", "rights", ["office", "ip_type", "status"])
    op.create_index("ix_rights_filing_date", "rights", ["filing_date"])
    op.create_index("ix_rights_number", "rights", ["number"])
    op.create_table("hashes",
                    sa.Column("hash", sa.String(66), primary_key=True),
                    sa.Column("block", sa.BigInteger, primary_key=True, autoincrement=False),
                    sa.Column("log_index", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("field", sa.String(64), primary_key=True),
                    sa.Column("name", sa.String(64), nullable=False),
                    sa.Column("contract", sa.String(64), nullable=False),
                    sa.Column("right_id", sa.String(66)))


def downgrade() -> None:
    op.drop_table("hashes")
    op.drop_table("rights")
