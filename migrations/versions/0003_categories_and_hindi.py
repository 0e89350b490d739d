"""Categories as data; Hindi names, Hinglish spellings and prominence on careers

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(aliases::text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(skills::text, '') || ' ' || "
    "coalesce(interests::text, '') || ' ' || coalesce(subjects::text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '') || ' ' || "
    "coalesce(degree, '')), 'C')"
)
NEW_VECTOR = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(aliases::text, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(hinglish::text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(skills::text, '') || ' ' || "
    "coalesce(interests::text, '') || ' ' || coalesce(subjects::text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '') || ' ' || "
    "coalesce(degree, '')), 'C')"
)


def _replace_search_vector(expression: str) -> None:
    op.drop_index("ix_careers_search_vector", table_name="careers")
    op.drop_column("careers", "search_vector")
    op.add_column(
        "careers",
        sa.Column(
            "search_vector",
            postgresql.TSVECTOR(),
            sa.Computed(expression, persisted=True),
            nullable=True,
        ),
    )
    op.create_index(
        "ix_careers_search_vector", "careers", ["search_vector"], postgresql_using="gin"
    )


def upgrade() -> None:
    op.create_table(
        "categories",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("slug", sa.String(length=50), nullable=False),
        sa.Column("hindi_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_categories")),
        sa.UniqueConstraint("slug", name=op.f("uq_categories_slug")),
    )
    # Careers already loaded keep their category: it becomes a row the next load fills in.
    op.execute(
        "INSERT INTO categories (name, slug, content_hash) "
        "SELECT DISTINCT category, "
        "trim(both '-' from regexp_replace(lower(category), '[^a-z0-9]+', '-', 'g')), '' "
        "FROM careers"
    )
    op.create_foreign_key(
        op.f("fk_careers_category_categories"),
        "careers",
        "categories",
        ["category"],
        ["name"],
        onupdate="CASCADE",
        ondelete="RESTRICT",
    )
    op.add_column(
        "careers",
        sa.Column("hindi_name", sa.String(length=200), server_default="", nullable=False),
    )
    for column in ("hindi_aliases", "hinglish"):
        op.add_column(
            "careers",
            sa.Column(
                column,
                postgresql.JSONB(astext_type=sa.Text()),
                server_default=sa.text("'[]'::jsonb"),
                nullable=False,
            ),
        )
    op.add_column(
        "careers",
        sa.Column("prominence", sa.SmallInteger(), server_default=sa.text("3"), nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_careers_prominence"), "careers", "prominence BETWEEN 1 AND 5"
    )
    _replace_search_vector(NEW_VECTOR)


def downgrade() -> None:
    _replace_search_vector(OLD_VECTOR)
    op.drop_constraint(op.f("ck_careers_prominence"), "careers", type_="check")
    for column in ("prominence", "hinglish", "hindi_aliases", "hindi_name"):
        op.drop_column("careers", column)
    op.drop_constraint(op.f("fk_careers_category_categories"), "careers", type_="foreignkey")
    op.drop_table("categories")
