"""The chat agent: conversations (agent_sessions) and career plans owned by a student or by
an anonymous conversation

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 15:00:00

`user_sessions` already holds the accounts' refresh-token families, so conversations get
their own table. career_plans (a JSONB document since 0001) gains the career it plans for and
an owner that may be an anonymous conversation instead of an account; either owner's
deletion deletes the plan (ON DELETE CASCADE), so deleting an account deletes its
conversations and plans.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent_sessions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=True),
        sa.Column("slots", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("history", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_agent_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_sessions")),
    )
    op.create_index(op.f("ix_agent_sessions_user_id"), "agent_sessions", ["user_id"])
    op.create_index(op.f("ix_agent_sessions_expires_at"), "agent_sessions", ["expires_at"])

    op.add_column("career_plans", sa.Column("career_id", sa.String(length=50), nullable=True))
    op.add_column("career_plans", sa.Column("agent_session_id", sa.UUID(), nullable=True))
    op.alter_column("career_plans", "user_id", existing_type=sa.UUID(), nullable=True)
    op.create_foreign_key(
        op.f("fk_career_plans_agent_session_id_agent_sessions"),
        "career_plans",
        "agent_sessions",
        ["agent_session_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(op.f("ix_career_plans_agent_session_id"), "career_plans", ["agent_session_id"])
    op.create_check_constraint(
        op.f("ck_career_plans_owner"),
        "career_plans",
        "user_id IS NOT NULL OR agent_session_id IS NOT NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_career_plans_owner"), "career_plans", type_="check")
    op.drop_index(op.f("ix_career_plans_agent_session_id"), table_name="career_plans")
    op.drop_constraint(
        op.f("fk_career_plans_agent_session_id_agent_sessions"), "career_plans", type_="foreignkey"
    )
    # plans of anonymous conversations have no account to keep them under
    op.execute("DELETE FROM career_plans WHERE user_id IS NULL")
    op.alter_column("career_plans", "user_id", existing_type=sa.UUID(), nullable=False)
    op.drop_column("career_plans", "agent_session_id")
    op.drop_column("career_plans", "career_id")
    op.drop_index(op.f("ix_agent_sessions_expires_at"), table_name="agent_sessions")
    op.drop_index(op.f("ix_agent_sessions_user_id"), table_name="agent_sessions")
    op.drop_table("agent_sessions")
