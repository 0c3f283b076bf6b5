"""A holder's rights in the order searches page them: ``(holder, filed_block, right_id)`` replaces ``(holder)``.

A search by holder orders by filing block, newest first, then right id; with the holder alone indexed, the
database sorts every right of a large holder on each page (SQLite: ``USE TEMP B-TREE FOR ORDER BY``). Read
backwards, this index hands the rows over in page order.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_rights_holder_filed", "rights", ["holder", "filed_block", "right_id"])
    op.drop_index("ix_rights_holder", "rights")


def downgrade() -> None:
    op.create_index("ix_rights_holder", "rights", ["holder"])
    op.drop_index("ix_rights_holder_filed", "rights")
