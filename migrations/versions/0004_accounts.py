"""Accounts: encrypted emails and profiles, token families, scoped API keys, interactions
with sessions and streams, daily rollups, the audit log

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 09:00:00

What students write about themselves moves out of clear-text columns: users.email and
users.display_name become ciphertext (core.crypto, CC_ENCRYPTION_KEYS) plus an HMAC of the
email for lookups; user_profiles.interests and .skills move into the encrypted
private_data. Rows already there are converted with the configured keys, in both directions.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from search_api.core.crypto import FieldCipher, LookupHasher
from search_api.core.settings import get_settings

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same contexts as search_api.users.service and search_api.profiles.repository.
EMAIL = "users.email:{}"
NAME = "users.display_name:{}"
PRIVATE = "user_profiles.private_data:{}"


def _keys() -> tuple[FieldCipher, LookupHasher]:
    settings = get_settings()
    return FieldCipher.from_spec(settings.encryption_keys), LookupHasher(settings.email_hash_key)


def upgrade() -> None:
    bind = op.get_bind()
    cipher, hasher = _keys()

    # ---- users: encrypted email and name, a keyed email hash ----------------------------
    op.add_column("users", sa.Column("email_hash", sa.String(length=64), nullable=True))
    op.add_column("users", sa.Column("email_encrypted", sa.Text(), nullable=True))
    op.add_column("users", sa.Column("display_name_encrypted", sa.Text(), nullable=True))
    op.add_column(
        "users",
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
    )
    for row in bind.execute(sa.text("SELECT id, email, display_name FROM users")).all():
        bind.execute(
            sa.text(
                "UPDATE users SET email_hash = :h, email_encrypted = :e, "
                "display_name_encrypted = :n WHERE id = :id"
            ),
            {
                "id": row.id,
                "h": hasher.email(row.email),
                "e": cipher.encrypt(row.email.strip(), EMAIL.format(row.id)),
                "n": cipher.encrypt(row.display_name or "", NAME.format(row.id)),
            },
        )
    for column in ("email_hash", "email_encrypted", "display_name_encrypted"):
        op.alter_column("users", column, nullable=False)
    op.drop_constraint(op.f("uq_users_email"), "users", type_="unique")
    op.drop_column("users", "email")
    op.drop_column("users", "display_name")
    op.create_unique_constraint(op.f("uq_users_email_hash"), "users", ["email_hash"])

    # ---- user_profiles: what the student writes is encrypted ----------------------------
    op.add_column(
        "user_profiles",
        sa.Column("preferred_language", sa.String(length=5), server_default="en", nullable=False),
    )
    op.add_column("user_profiles", sa.Column("private_data", sa.Text(), nullable=True))
    for row in bind.execute(sa.text("SELECT user_id, interests, skills FROM user_profiles")).all():
        private = {"interests": row.interests or [], "skills": row.skills or [], "state": None}
        bind.execute(
            sa.text("UPDATE user_profiles SET private_data = :p WHERE user_id = :id"),
            {
                "id": row.user_id,
                "p": cipher.encrypt(json.dumps(private), PRIVATE.format(row.user_id)),
            },
        )
    op.drop_column("user_profiles", "interests")
    op.drop_column("user_profiles", "skills")

    # ---- user_sessions: refresh-token families ------------------------------------------
    op.add_column("user_sessions", sa.Column("family_id", sa.UUID(), nullable=True))
    op.add_column(
        "user_sessions", sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.execute("UPDATE user_sessions SET family_id = id")
    op.alter_column("user_sessions", "family_id", nullable=False)
    op.create_index("ix_user_sessions_family_id", "user_sessions", ["family_id"])

    # ---- api_keys: scopes, a visible prefix, who made it, expiry -------------------------
    op.add_column("api_keys", sa.Column("prefix", sa.String(length=16), nullable=True))
    op.add_column(
        "api_keys",
        sa.Column(
            "scopes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
    )
    op.add_column("api_keys", sa.Column("created_by", sa.UUID(), nullable=True))
    op.add_column("api_keys", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    # Keys from before had no cc_<prefix>_ form and no endpoint made them: they keep their
    # rows (and their role as scopes) but are revoked, since no current key can match them.
    op.execute(
        "UPDATE api_keys SET prefix = left(replace(id::text, '-', ''), 16), "
        "scopes = CASE WHEN role = 'admin' THEN '[\"admin\", \"read\"]'::jsonb "
        "ELSE '[\"read\"]'::jsonb END, "
        "revoked_at = coalesce(revoked_at, now())"
    )
    op.alter_column("api_keys", "prefix", nullable=False)
    op.create_unique_constraint(op.f("uq_api_keys_prefix"), "api_keys", ["prefix"])
    op.create_foreign_key(
        op.f("fk_api_keys_created_by_users"),
        "api_keys",
        "users",
        ["created_by"],
        ["id"],
        ondelete="SET NULL",
    )
    op.drop_column("api_keys", "role")

    # ---- user_interactions: sessions, streams, removed with the account ----------------
    op.add_column("user_interactions", sa.Column("session_id", sa.String(length=64), nullable=True))
    op.add_column("user_interactions", sa.Column("stream", sa.String(length=12), nullable=True))
    op.drop_constraint(
        op.f("fk_user_interactions_user_id_users"), "user_interactions", type_="foreignkey"
    )
    op.create_foreign_key(
        op.f("fk_user_interactions_user_id_users"),
        "user_interactions",
        "users",
        ["user_id"],
        ["id"],
        ondelete="CASCADE",
    )
    op.create_index(
        "ix_user_interactions_career_created",
        "user_interactions",
        ["career_id", "created_at"],
        postgresql_include=["session_id", "kind"],
        postgresql_where=sa.text("career_id IS NOT NULL"),
    )
    op.create_index(
        "ix_user_interactions_session_created",
        "user_interactions",
        ["session_id", "created_at"],
        postgresql_include=["career_id", "kind"],
        postgresql_where=sa.text("session_id IS NOT NULL"),
    )

    # ---- rollups ----------------------------------------------------------------------
    counter = {"server_default": sa.text("0"), "nullable": False}
    op.create_table(
        "career_daily_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("career_id", sa.String(length=50), nullable=False),
        sa.Column("stream", sa.String(length=12), nullable=False),
        sa.Column("views", sa.Integer(), **counter),
        sa.Column("clicks", sa.Integer(), **counter),
        sa.Column("compares", sa.Integer(), **counter),
        sa.Column("recommended", sa.Integer(), **counter),
        sa.Column("search_results", sa.Integer(), **counter),
        sa.PrimaryKeyConstraint("day", "career_id", "stream", name=op.f("pk_career_daily_stats")),
    )
    op.create_index("ix_career_daily_stats_career_day", "career_daily_stats", ["career_id", "day"])
    op.create_index(
        "ix_career_daily_stats_stream_day",
        "career_daily_stats",
        ["stream", "day"],
        postgresql_include=["career_id", "views", "clicks", "compares", "search_results"],
    )
    op.create_table(
        "career_monthly_stats",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("career_id", sa.String(length=50), nullable=False),
        sa.Column("stream", sa.String(length=12), nullable=False),
        sa.Column("views", sa.Integer(), **counter),
        sa.Column("clicks", sa.Integer(), **counter),
        sa.Column("compares", sa.Integer(), **counter),
        sa.Column("recommended", sa.Integer(), **counter),
        sa.Column("search_results", sa.Integer(), **counter),
        sa.PrimaryKeyConstraint(
            "month", "career_id", "stream", name=op.f("pk_career_monthly_stats")
        ),
    )
    op.create_index(
        "ix_career_monthly_stats_stream_month",
        "career_monthly_stats",
        ["stream", "month"],
        postgresql_include=["career_id", "views", "clicks", "compares", "search_results"],
    )
    op.create_table(
        "category_daily_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("category", sa.String(length=60), nullable=False),
        sa.Column("views", sa.Integer(), **counter),
        sa.Column("clicks", sa.Integer(), **counter),
        sa.Column("compares", sa.Integer(), **counter),
        sa.Column("recommended", sa.Integer(), **counter),
        sa.Column("search_results", sa.Integer(), **counter),
        sa.PrimaryKeyConstraint("day", "category", name=op.f("pk_category_daily_stats")),
    )
    op.create_index(
        "ix_category_daily_stats_category_day", "category_daily_stats", ["category", "day"]
    )
    op.create_table(
        "career_query_daily_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("career_id", sa.String(length=50), nullable=False),
        sa.Column("query", sa.String(length=200), nullable=False),
        sa.Column("clicks", sa.Integer(), **counter),
        sa.PrimaryKeyConstraint(
            "day", "career_id", "query", name=op.f("pk_career_query_daily_stats")
        ),
    )
    op.create_index(
        "ix_career_query_daily_stats_career_day",
        "career_query_daily_stats",
        ["career_id", "day"],
    )
    op.create_table(
        "career_pair_monthly_stats",
        sa.Column("career_id", sa.String(length=50), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("other_id", sa.String(length=50), nullable=False),
        sa.Column("sessions", sa.Integer(), **counter),
        sa.PrimaryKeyConstraint(
            "career_id", "month", "other_id", name=op.f("pk_career_pair_monthly_stats")
        ),
    )

    # ---- the audit log ----------------------------------------------------------------
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("actor_kind", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=False),
        sa.Column("target_id", sa.String(length=100), nullable=True),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_target", "audit_log", ["target_type", "target_id"])


def downgrade() -> None:
    bind = op.get_bind()
    cipher, _ = _keys()

    op.drop_table("audit_log")
    op.drop_table("career_pair_monthly_stats")
    op.drop_table("career_query_daily_stats")
    op.drop_table("category_daily_stats")
    op.drop_table("career_monthly_stats")
    op.drop_table("career_daily_stats")

    op.drop_index("ix_user_interactions_session_created", table_name="user_interactions")
    op.drop_index("ix_user_interactions_career_created", table_name="user_interactions")
    op.drop_constraint(
        op.f("fk_user_interactions_user_id_users"), "user_interactions", type_="foreignkey"
    )
    op.create_foreign_key(
        op.f("fk_user_interactions_user_id_users"),
        "user_interactions",
        "users",
        ["user_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.drop_column("user_interactions", "stream")
    op.drop_column("user_interactions", "session_id")

    op.add_column(
        "api_keys",
        sa.Column("role", sa.String(length=20), server_default="admin", nullable=False),
    )
    op.execute("UPDATE api_keys SET role = CASE WHEN scopes ? 'admin' THEN 'admin' ELSE 'read' END")
    op.alter_column("api_keys", "role", server_default=None)
    op.drop_constraint(op.f("fk_api_keys_created_by_users"), "api_keys", type_="foreignkey")
    op.drop_constraint(op.f("uq_api_keys_prefix"), "api_keys", type_="unique")
    for column in ("expires_at", "created_by", "scopes", "prefix"):
        op.drop_column("api_keys", column)

    op.drop_index("ix_user_sessions_family_id", table_name="user_sessions")
    op.drop_column("user_sessions", "rotated_at")
    op.drop_column("user_sessions", "family_id")

    jsonb = postgresql.JSONB(astext_type=sa.Text())
    for column in ("interests", "skills"):
        op.add_column(
            "user_profiles",
            sa.Column(column, jsonb, server_default=sa.text("'[]'::jsonb"), nullable=False),
        )
    for row in bind.execute(sa.text("SELECT user_id, private_data FROM user_profiles")).all():
        if not row.private_data:
            continue
        private = json.loads(cipher.decrypt(row.private_data, PRIVATE.format(row.user_id)))
        bind.execute(
            sa.text(
                "UPDATE user_profiles SET interests = CAST(:i AS jsonb), "
                "skills = CAST(:s AS jsonb) WHERE user_id = :id"
            ),
            {
                "id": row.user_id,
                "i": json.dumps(private.get("interests", [])),
                "s": json.dumps(private.get("skills", [])),
            },
        )
    op.drop_column("user_profiles", "private_data")
    op.drop_column("user_profiles", "preferred_language")

    op.add_column("users", sa.Column("email", sa.String(length=254), nullable=True))
    op.add_column("users", sa.Column("display_name", sa.String(length=100), nullable=True))
    for row in bind.execute(
        sa.text("SELECT id, email_encrypted, display_name_encrypted FROM users")
    ).all():
        bind.execute(
            sa.text("UPDATE users SET email = :e, display_name = :n WHERE id = :id"),
            {
                "id": row.id,
                "e": cipher.decrypt(row.email_encrypted, EMAIL.format(row.id)),
                "n": cipher.decrypt(row.display_name_encrypted, NAME.format(row.id))[:100],
            },
        )
    op.alter_column("users", "email", nullable=False)
    op.alter_column("users", "display_name", nullable=False)
    op.drop_constraint(op.f("uq_users_email_hash"), "users", type_="unique")
    op.create_unique_constraint(op.f("uq_users_email"), "users", ["email"])
    for column in ("updated_at", "display_name_encrypted", "email_encrypted", "email_hash"):
        op.drop_column("users", column)
