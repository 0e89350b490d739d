"""Interactions and the daily rollups the analytics endpoints read.

A row names the caller by user id (removed with the account: ON DELETE CASCADE) or by an
anonymous session id, never by email or name. The rollups hold counts only (per day or month,
career and stream; co-viewed pairs per month), so a year of traffic is answered from a few
thousand small rows instead of millions of raw ones.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from search_api.core.db import Base

KINDS = ("search", "view", "compare", "recommend", "click")


class Interaction(Base):
    __tablename__ = "user_interactions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=True
    )
    session_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    career_id: Mapped[str | None] = mapped_column(String(50), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    query: Mapped[str | None] = mapped_column(Text, nullable=True)
    stream: Mapped[str | None] = mapped_column(String(12), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(
            "kind IN ('view', 'search', 'click', 'save', 'compare', 'recommend')", name="kind"
        ),
        Index("ix_user_interactions_user_created", "user_id", "created_at"),
        # insights: a career's viewers in a period, and what else those sessions viewed
        Index(
            "ix_user_interactions_career_created",
            "career_id",
            "created_at",
            postgresql_include=["session_id", "kind"],
            postgresql_where=text("career_id IS NOT NULL"),
        ),
        Index(
            "ix_user_interactions_session_created",
            "session_id",
            "created_at",
            postgresql_include=["career_id", "kind"],
            postgresql_where=text("session_id IS NOT NULL"),
        ),
    )


# The stream of a rollup row: one of the streams, '' (viewer's stream unknown), or ALL (every
# viewer together, so a question about everyone reads one row per career and day, not six).
ALL = "*"


class CareerDailyStats(Base):
    """Per day (Indian date), career and viewer stream: how it was seen and chosen."""

    __tablename__ = "career_daily_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    career_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    stream: Mapped[str] = mapped_column(String(12), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    clicks: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    compares: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    recommended: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    search_results: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (
        Index("ix_career_daily_stats_career_day", "career_id", "day"),
        Index(
            "ix_career_daily_stats_stream_day",
            "stream",
            "day",
            postgresql_include=["career_id", "views", "clicks", "compares", "search_results"],
        ),
    )


class CareerMonthlyStats(Base):
    """The same counts per calendar month: a year is read as twelve rows per career."""

    __tablename__ = "career_monthly_stats"

    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    career_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    stream: Mapped[str] = mapped_column(String(12), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    clicks: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    compares: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    recommended: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    search_results: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (
        Index(
            "ix_career_monthly_stats_stream_month",
            "stream",
            "month",
            postgresql_include=["career_id", "views", "clicks", "compares", "search_results"],
        ),
    )


class CategoryDailyStats(Base):
    """Per day and category (the career's category when the interaction happened): the
    category trend without summing each of its careers."""

    __tablename__ = "category_daily_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    category: Mapped[str] = mapped_column(String(60), primary_key=True)
    views: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    clicks: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    compares: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    recommended: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    search_results: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (Index("ix_category_daily_stats_category_day", "category", "day"),)


class CareerQueryDailyStats(Base):
    """Per day and career: the search queries whose results were clicked to reach it."""

    __tablename__ = "career_query_daily_stats"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    career_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    clicks: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (Index("ix_career_query_daily_stats_career_day", "career_id", "day"),)


class CareerPairMonthlyStats(Base):
    """Per month: in how many sessions other_id was viewed as well as career_id. A pair is
    counted once per session, in the month of the later of the two first views."""

    __tablename__ = "career_pair_monthly_stats"

    career_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    other_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    sessions: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
