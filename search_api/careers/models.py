"""Catalogue tables: categories, careers, exams, institutions, the career-exam link and the
index outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from search_api.careers.records import (
    JOB_OUTLOOKS,
    REMOTE_LEVELS,
    STRESS_LEVELS,
    TRAVEL_LEVELS,
    WORK_LIFE_BALANCES,
)
from search_api.core.db import Base

# Weighted document for the Postgres fallback search (used when OpenSearch is down).
# jsonb::text keeps brackets and quotes, which the english parser drops as punctuation.
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('english'::regconfig, coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(aliases::text, '')), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, coalesce(hinglish::text, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(skills::text, '') || ' ' || "
    "coalesce(interests::text, '') || ' ' || coalesce(subjects::text, '')), 'B') || "
    "setweight(to_tsvector('english'::regconfig, coalesce(description, '') || ' ' || "
    "coalesce(degree, '')), 'C')"
)


def _in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK from the value lists in records.py (the SQL 0001_initial_schema created)."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Category(Base):
    __tablename__ = "categories"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    hindi_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    content_hash: Mapped[str] = mapped_column(String(64))


class Career(Base):
    __tablename__ = "careers"

    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    category: Mapped[str] = mapped_column(
        ForeignKey("categories.name", onupdate="CASCADE", ondelete="RESTRICT"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    entry_salary: Mapped[int] = mapped_column(Integer)
    mid_salary: Mapped[int] = mapped_column(Integer)
    senior_salary: Mapped[int] = mapped_column(Integer)
    work_hours: Mapped[str] = mapped_column(String(200))
    work_environment: Mapped[str] = mapped_column(String(200))
    stress_level: Mapped[str] = mapped_column(String(10))
    work_life_balance: Mapped[str] = mapped_column(String(10))
    travel_required: Mapped[str] = mapped_column(String(12))
    remote_work: Mapped[str] = mapped_column(String(10))
    degree: Mapped[str] = mapped_column(String(200))
    duration: Mapped[str] = mapped_column(String(200))
    job_outlook: Mapped[str] = mapped_column(String(12))
    entrance_exams: Mapped[list[str]] = mapped_column(JSONB, default=list)
    top_institutions: Mapped[list[str]] = mapped_column(JSONB, default=list)
    skills: Mapped[list[str]] = mapped_column(JSONB, default=list)
    pros: Mapped[list[str]] = mapped_column(JSONB, default=list)
    cons: Mapped[list[str]] = mapped_column(JSONB, default=list)
    suitable_for: Mapped[list[str]] = mapped_column(JSONB, default=list)
    alternatives: Mapped[list[str]] = mapped_column(JSONB, default=list)
    streams: Mapped[list[str]] = mapped_column(JSONB, default=list)
    subjects: Mapped[list[str]] = mapped_column(JSONB, default=list)
    interests: Mapped[list[str]] = mapped_column(JSONB, default=list)
    aliases: Mapped[list[str]] = mapped_column(JSONB, default=list)
    hindi_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    hindi_aliases: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    hinglish: Mapped[list[str]] = mapped_column(
        JSONB, default=list, server_default=text("'[]'::jsonb")
    )
    prominence: Mapped[int] = mapped_column(SmallInteger, default=3, server_default=text("3"))
    # sha256 of the record as authored plus the names of what it references: tells the
    # loader what changed, and the indexer when a document must be rebuilt.
    content_hash: Mapped[str] = mapped_column(String(64))
    search_vector: Mapped[Any] = mapped_column(
        TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True)
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        CheckConstraint(_in("stress_level", STRESS_LEVELS), name="stress_level"),
        CheckConstraint(_in("work_life_balance", WORK_LIFE_BALANCES), name="work_life_balance"),
        CheckConstraint(_in("job_outlook", JOB_OUTLOOKS), name="job_outlook"),
        CheckConstraint(_in("travel_required", TRAVEL_LEVELS), name="travel"),
        CheckConstraint(_in("remote_work", REMOTE_LEVELS), name="remote_work"),
        CheckConstraint(
            "entry_salary > 0 AND entry_salary <= mid_salary AND mid_salary <= senior_salary",
            name="salary_order",
        ),
        CheckConstraint("id ~ '^[a-z0-9-]+$'", name="id_slug"),
        CheckConstraint("prominence BETWEEN 1 AND 5", name="prominence"),
        CheckConstraint(
            "jsonb_typeof(streams) = 'array' AND jsonb_array_length(streams) > 0",
            name="streams_present",
        ),
        Index(
            "ix_careers_streams",
            "streams",
            postgresql_using="gin",
            postgresql_ops={"streams": "jsonb_path_ops"},
        ),
        Index("ix_careers_search_vector", "search_vector", postgresql_using="gin"),
    )


class Exam(Base):
    __tablename__ = "exams"

    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    full_name: Mapped[str] = mapped_column(String(200))
    conducting_body: Mapped[str] = mapped_column(String(200))
    month: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    subjects: Mapped[list[str]] = mapped_column(JSONB, default=list)
    eligibility: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))


class Institution(Base):
    __tablename__ = "institutions"

    id: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str] = mapped_column(String(100))
    type: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))


class CareerExam(Base):
    __tablename__ = "career_exams"

    career_id: Mapped[str] = mapped_column(
        ForeignKey("careers.id", ondelete="CASCADE"), primary_key=True
    )
    exam_id: Mapped[str] = mapped_column(
        ForeignKey("exams.id", ondelete="RESTRICT"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


class OutboxEvent(Base):
    """A change the search index has not seen yet. Written in the same transaction as the change."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    career_id: Mapped[str] = mapped_column(String(50))
    operation: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    applied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        CheckConstraint("operation IN ('upsert', 'delete')", name="operation"),
        Index("ix_outbox_pending", "id", postgresql_where=text("applied_at IS NULL")),
    )
