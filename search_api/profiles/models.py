"""The saved student profile. What the student writes about themself (interests, skills,
where they live) is one encrypted column; the choices from fixed lists (grade, stream,
salary range, work preferences, language) stay in clear so constraints and the analytics
stream mix can read them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from search_api.careers.records import STREAMS
from search_api.core.db import Base


class UserProfile(Base):
    __tablename__ = "user_profiles"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    stream: Mapped[str | None] = mapped_column(String(12), nullable=True)
    salary_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    salary_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    work_preferences: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    preferred_language: Mapped[str] = mapped_column(String(5), default="en", server_default="en")
    # core.crypto token of {"interests", "skills", "state"} (JSON), bound to this row
    private_data: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        CheckConstraint("grade IS NULL OR grade IN (11, 12)", name="grade"),
        CheckConstraint(
            f"stream IS NULL OR stream IN ({', '.join(repr(s) for s in STREAMS)})", name="stream"
        ),
    )
