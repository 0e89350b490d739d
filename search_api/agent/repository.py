"""All of the agent's SQL: conversations, plans, and the catalogue rows its lexicon needs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from search_api.agent.models import AgentSession, CareerPlan
from search_api.careers.models import Career, Category, Exam
from search_api.core.repository import Repository

LEXICON_FIELDS = (
    "id", "name", "aliases", "hinglish", "hindi_name", "hindi_aliases", "prominence",
    "category", "description", "skills", "interests", "streams", "subjects",
    "entrance_exams", "mid_salary",
)  # fmt: skip


class AgentSessionRepository(Repository[AgentSession]):
    model = AgentSession

    async def add(self, row: AgentSession) -> AgentSession:
        self.session.add(row)
        await self.session.flush()
        return row

    async def save_turn(
        self,
        session_id: uuid.UUID,
        slots: dict[str, Any],
        history: list[dict[str, Any]],
        expires_at: datetime,
    ) -> None:
        await self.session.execute(
            update(AgentSession)
            .where(AgentSession.id == session_id)
            .values(slots=slots, history=history, expires_at=expires_at)
        )


class CareerPlanRepository(Repository[CareerPlan]):
    model = CareerPlan

    async def add(self, row: CareerPlan) -> CareerPlan:
        self.session.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def save_document(self, plan: CareerPlan, document: dict[str, Any]) -> CareerPlan:
        plan.document = document
        await self.session.flush()
        await self.session.refresh(plan)
        return plan


class AgentCatalogueRepository:
    """Read-only: every career and exam, for the lexicon and the grounding check's names."""

    def __init__(self, session: Any) -> None:
        self.session = session

    async def rows(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
        careers = [
            {f: getattr(c, f) for f in LEXICON_FIELDS}
            for c in await self.session.scalars(select(Career))
        ]
        exams = [
            {
                "id": e.id,
                "name": e.name,
                "full_name": e.full_name,
                "month": e.month,
                "eligibility": e.eligibility,
            }
            for e in await self.session.scalars(select(Exam))
        ]
        categories = [c.name for c in await self.session.scalars(select(Category))]
        return careers, exams, categories
