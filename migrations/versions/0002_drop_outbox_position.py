"""Drop reindex_runs.outbox_position: written on every run, read by nothing

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_column("reindex_runs", "outbox_position")


def downgrade() -> None:
    op.add_column(
        "reindex_runs",
        sa.Column("outbox_position", sa.BigInteger(), nullable=False, server_default="0"),
    )
