"""All SQL for careers, exams and institutions (async, for the API)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import array, insert
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.careers.models import (
    CATALOGUE_LOCK_KEY,
    Career,
    CareerExam,
    Exam,
    Institution,
    OutboxEvent,
)


class CareerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_catalogue(self) -> None:
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": CATALOGUE_LOCK_KEY}
        )

    async def get(self, career_id: str) -> Career | None:
        return await self.session.get(Career, career_id)

    async def many(self, ids: Sequence[str]) -> list[Career]:
        return list(await self.session.scalars(select(Career).where(Career.id.in_(list(ids)))))

    async def exists(self, career_id: str) -> bool:
        found = await self.session.scalar(select(Career.id).where(Career.id == career_id))
        return found is not None

    async def page(
        self, page: int, size: int, category: Sequence[str], streams: Sequence[str]
    ) -> tuple[int, list[Career]]:
        query = select(Career)
        if category:
            query = query.where(Career.category.in_(category))
        if streams:
            # jsonb ?| : the career lists at least one of the streams
            query = query.where(Career.streams.has_any(array(list(streams))))
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(
            query.order_by(Career.name).offset((page - 1) * size).limit(size)
        )
        return int(total or 0), list(rows)

    async def exams(self, ids: Sequence[str]) -> dict[str, Exam]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Exam).where(Exam.id.in_(ids)))
        return {row.id: row for row in rows}

    async def institutions(self, ids: Sequence[str]) -> dict[str, Institution]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Institution).where(Institution.id.in_(ids)))
        return {row.id: row for row in rows}

    async def refs(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """id -> (name, category) for the careers that exist among ids."""
        if not ids:
            return {}
        rows = await self.session.execute(
            select(Career.id, Career.name, Career.category).where(Career.id.in_(ids))
        )
        return {r.id: (r.name, r.category) for r in rows}

    async def identities(self) -> list[tuple[str, str, list[str]]]:
        """(id, name, aliases) of every career: for uniqueness checks on admin writes."""
        rows = await self.session.execute(select(Career.id, Career.name, Career.aliases))
        return [(r.id, r.name, list(r.aliases)) for r in rows]

    async def referencing(self, career_id: str) -> list[str]:
        """Careers that list career_id among their alternatives."""
        rows = await self.session.scalars(
            select(Career.id).where(Career.alternatives.has_key(career_id)).order_by(Career.id)
        )
        return list(rows)

    async def insert(self, values: dict[str, Any], exam_ids: Sequence[str]) -> None:
        await self.session.execute(insert(Career).values(values))
        await self._replace_exam_links(values["id"], exam_ids)

    async def update(self, career_id: str, values: dict[str, Any], exam_ids: Sequence[str]) -> None:
        await self.session.execute(
            update(Career).where(Career.id == career_id).values(**values, updated_at=func.now())
        )
        await self._replace_exam_links(career_id, exam_ids)

    async def delete(self, career_id: str) -> None:
        await self.session.execute(delete(Career).where(Career.id == career_id))

    async def add_outbox(self, career_id: str, operation: str) -> None:
        await self.session.execute(
            insert(OutboxEvent).values(career_id=career_id, operation=operation)
        )

    async def _replace_exam_links(self, career_id: str, exam_ids: Sequence[str]) -> None:
        await self.session.execute(delete(CareerExam).where(CareerExam.career_id == career_id))
        if exam_ids:
            await self.session.execute(
                insert(CareerExam).values(
                    [
                        {"career_id": career_id, "exam_id": e, "position": n}
                        for n, e in enumerate(exam_ids)
                    ]
                )
            )
        await self.session.flush()
