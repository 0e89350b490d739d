"""All catalogue SQL: careers, exams, institutions, the career-exam links and the outbox.

The admin API, the loader (`careers-admin load`), search (did-you-mean words, the Postgres
fallback), reindex and sync all use this one repository, so there is one write path into the
catalogue and one definition of the lock writers take.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import array, insert

from search_api.careers.models import Career, CareerExam, Category, Exam, Institution, OutboxEvent
from search_api.core.repository import Repository

# Loader runs, admin writes and the reindex snapshot take this transaction lock, so two
# writers never interleave and a snapshot sees exactly the state up to an outbox position.
CATALOGUE_LOCK_KEY = 7_204_611

# Everything an index document needs; not the tsvector or timestamps (a third of the bytes).
DOCUMENT_COLUMNS = tuple(
    c
    for c in Career.__table__.columns
    if c.name not in {"search_vector", "created_at", "updated_at"}
)
FALLBACK_COLUMNS = (
    Career.id,
    Career.name,
    Career.category,
    Career.description,
    Career.streams,
    Career.stress_level,
    Career.work_life_balance,
    Career.job_outlook,
    Career.remote_work,
    Career.travel_required,
    Career.entry_salary,
    Career.mid_salary,
    Career.senior_salary,
    Career.entrance_exams,
    Career.aliases,
    Career.skills,
    Career.interests,
    Career.duration,
    Career.subjects,
    Career.hindi_name,
    Career.prominence,
)
_TSQUERY_WORD = re.compile(r"[a-z0-9]+")


def or_tsquery(q: str) -> str:
    """Words joined with | so a loose phrase matches careers that share any of its words.

    Only [a-z0-9] survives, so nothing the user typed can reach tsquery syntax.
    """
    return " | ".join(dict.fromkeys(_TSQUERY_WORD.findall(q.lower().replace(".", ""))))


@dataclass(frozen=True)
class Lookups:
    """Names of what careers link to, as index documents carry them."""

    exam_names: dict[str, list[str]]  # id -> [short name, full name]
    institution_names: dict[str, str]


@dataclass(frozen=True)
class OutboxItem:
    id: int
    career_id: str
    operation: str


class CatalogueRepository(Repository[Career]):
    model = Career

    async def lock_catalogue(self) -> None:
        """Held until the transaction ends."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:k)"), {"k": CATALOGUE_LOCK_KEY}
        )

    # ---- careers: reads -------------------------------------------------------------

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
        return await self.paginate(query.order_by(Career.name), page, size)

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

    async def content_hashes(self) -> dict[str, str]:
        rows = await self.session.execute(select(Career.id, Career.content_hash))
        return {r.id: r.content_hash for r in rows}

    # ---- categories, exams and institutions ------------------------------------------

    async def categories(self) -> list[Category]:
        return list(await self.session.scalars(select(Category).order_by(Category.name)))

    async def category_names(self) -> set[str]:
        return set(await self.session.scalars(select(Category.name)))

    async def upsert_categories(self, rows: Sequence[dict[str, Any]]) -> None:
        await self._upsert_by_hash(Category, rows, key="name")

    async def delete_categories_except(self, keep: Iterable[str]) -> None:
        await self.session.execute(delete(Category).where(Category.name.not_in(list(keep))))

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

    async def exam_ids(self) -> set[str]:
        return set(await self.session.scalars(select(Exam.id)))

    async def upsert_exams(self, rows: Sequence[dict[str, Any]]) -> None:
        await self._upsert_by_hash(Exam, rows)

    async def upsert_institutions(self, rows: Sequence[dict[str, Any]]) -> None:
        await self._upsert_by_hash(Institution, rows)

    async def delete_exams_except(self, keep: Iterable[str]) -> None:
        await self.session.execute(delete(Exam).where(Exam.id.not_in(list(keep))))

    async def delete_institutions_except(self, keep: Iterable[str]) -> None:
        await self.session.execute(delete(Institution).where(Institution.id.not_in(list(keep))))

    async def _upsert_by_hash(
        self,
        model: type[Exam | Institution | Category],
        rows: Sequence[Any],
        key: str = "id",
    ) -> None:
        """Insert new rows, update rows whose content hash changed, leave the rest alone."""
        if not rows:
            return
        stmt = insert(model).values(list(rows))
        columns = {c: stmt.excluded[c] for c in rows[0] if c != key}
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[key],
                set_=columns,
                where=model.content_hash != stmt.excluded.content_hash,
            )
        )

    # ---- careers: writes (admin API and loader) ---------------------------------------

    async def insert_career(self, values: Mapping[str, Any], exam_ids: Sequence[str]) -> None:
        await self.session.execute(insert(Career).values(dict(values)))
        await self._replace_exam_links(values["id"], exam_ids)

    async def update_career(
        self, career_id: str, values: Mapping[str, Any], exam_ids: Sequence[str]
    ) -> None:
        await self.session.execute(
            update(Career)
            .where(Career.id == career_id)
            .values(**dict(values), updated_at=func.now())
        )
        await self._replace_exam_links(career_id, exam_ids)

    async def delete_careers(self, ids: Sequence[str]) -> None:
        if ids:
            await self.session.execute(delete(Career).where(Career.id.in_(list(ids))))

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

    # ---- the outbox ---------------------------------------------------------------------

    async def add_outbox(self, events: Sequence[tuple[str, str]]) -> None:
        """events: (career_id, "upsert" | "delete"), written in the caller's transaction."""
        if events:
            await self.session.execute(
                insert(OutboxEvent).values(
                    [{"career_id": cid, "operation": op} for cid, op in events]
                )
            )

    async def outbox_position(self) -> int:
        """The highest outbox id so far (0 when empty)."""
        found = await self.session.scalar(select(func.coalesce(func.max(OutboxEvent.id), 0)))
        return int(found or 0)

    async def claim_pending(self, limit: int) -> list[OutboxItem]:
        """Pending events, oldest first, locked until the transaction ends. SKIP LOCKED: two
        sync workers never claim the same event."""
        rows = await self.session.execute(
            select(OutboxEvent.id, OutboxEvent.career_id, OutboxEvent.operation)
            .where(OutboxEvent.applied_at.is_(None))
            .order_by(OutboxEvent.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [OutboxItem(r.id, r.career_id, r.operation) for r in rows]

    async def events_after(self, position: int) -> list[OutboxItem]:
        """Every event after position, applied or not."""
        rows = await self.session.execute(
            select(OutboxEvent.id, OutboxEvent.career_id, OutboxEvent.operation)
            .where(OutboxEvent.id > position)
            .order_by(OutboxEvent.id)
        )
        return [OutboxItem(r.id, r.career_id, r.operation) for r in rows]

    async def mark_applied(self, ids: Sequence[int], at: datetime | None = None) -> None:
        if ids:
            await self.session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(list(ids)), OutboxEvent.applied_at.is_(None))
                .values(
                    applied_at=at or func.now(),
                    attempts=OutboxEvent.attempts + 1,
                    last_error=None,
                )
            )

    async def mark_applied_up_to(self, position: int) -> None:
        """A fresh index built from a snapshot at position reflects every event up to it."""
        await self.session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id <= position, OutboxEvent.applied_at.is_(None))
            .values(applied_at=func.now())
        )

    async def record_failures(self, reasons: Mapping[int, str]) -> None:
        for event_id, reason in reasons.items():
            await self.session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == event_id)
                .values(attempts=OutboxEvent.attempts + 1, last_error=reason[:500])
            )

    async def record_attempt(self, ids: Sequence[int], error: str) -> None:
        """The events were tried and nothing was applied (the index was unreachable)."""
        if ids:
            await self.session.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(list(ids)))
                .values(attempts=OutboxEvent.attempts + 1, last_error=error[:500])
            )

    async def pending_summary(self) -> tuple[int, datetime | None]:
        """(pending events, when the oldest was written)."""
        row = (
            await self.session.execute(
                select(func.count(), func.min(OutboxEvent.created_at)).where(
                    OutboxEvent.applied_at.is_(None)
                )
            )
        ).one()
        return int(row[0]), row[1]

    # ---- what the index is built from --------------------------------------------------

    async def lookups(self) -> Lookups:
        exams = {
            row.id: [row.name, row.full_name]
            for row in await self.session.execute(select(Exam.id, Exam.name, Exam.full_name))
        }
        institutions = {
            row.id: row.name
            for row in await self.session.execute(select(Institution.id, Institution.name))
        }
        return Lookups(exams, institutions)

    async def document_rows(self, ids: Iterable[str] | None = None) -> list[Row[Any]]:
        """Career rows in id order with every column a document needs."""
        query = select(*DOCUMENT_COLUMNS).order_by(Career.id)
        if ids is not None:
            query = query.where(Career.id.in_(list(ids)))
        return list(await self.session.execute(query))

    # ---- what search reads ------------------------------------------------------------

    async def vocabulary_texts(self) -> list[str]:
        """Every word the catalogue uses, for did-you-mean."""
        rows = await self.session.execute(
            select(
                Career.name,
                Career.aliases,
                Career.description,
                Career.skills,
                Career.interests,
                Career.subjects,
                Career.degree,
                Career.category,
                Career.suitable_for,
            )
        )
        texts: list[str] = []
        for row in rows:
            texts.extend((row.name, row.description, row.degree, row.category))
            for values in (row.aliases, row.skills, row.interests, row.subjects, row.suitable_for):
                texts.extend(values)
        exams = await self.session.execute(select(Exam.name, Exam.full_name))
        texts.extend(f"{r.name} {r.full_name}" for r in exams)
        return texts

    async def understanding_rows(
        self,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
        """What query understanding's lexicon is built from: careers (names, aliases, Hindi
        and Hinglish names, prominence, prose words), exams and category names."""
        careers = await self.session.execute(
            select(
                Career.id,
                Career.name,
                Career.aliases,
                Career.hinglish,
                Career.hindi_name,
                Career.hindi_aliases,
                Career.prominence,
                Career.category,
                Career.description,
                Career.skills,
                Career.interests,
                Career.degree,
                Career.work_environment,
            ).order_by(Career.id)
        )
        exams = await self.session.execute(
            select(Exam.id, Exam.name, Exam.full_name).order_by(Exam.id)
        )
        names = await self.session.execute(select(Category.name).order_by(Category.name))
        return (
            [dict(r._mapping) for r in careers],
            [dict(r._mapping) for r in exams],
            [str(r[0]) for r in names],
        )

    async def fallback_candidates(self, q: str) -> list[dict[str, Any]]:
        """Careers matching q by Postgres full-text search (all careers when q is empty)."""
        query = select(*FALLBACK_COLUMNS)
        terms = or_tsquery(q)
        if terms:
            tsquery = func.to_tsquery("english", terms)
            # 1|32: divide by log(document length), then squash into [0, 1) so an exact name
            # bonus added in Python always outranks plain word overlap.
            rank = func.ts_rank_cd(Career.search_vector, tsquery, 33)
            query = query.add_columns(rank.label("rank")).where(
                Career.search_vector.op("@@")(tsquery)
            )
        else:
            query = query.add_columns(literal(0.0).label("rank"))
        out = []
        for row in await self.session.execute(query):
            item = dict(row._mapping)
            item["exam_ids"] = item.pop("entrance_exams")
            out.append(item)
        return out
