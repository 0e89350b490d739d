"""SQL used by search: the did-you-mean vocabulary, exam ids, and the full-text fallback."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.careers.models import Career, Exam

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
)
_TSQUERY_WORD = re.compile(r"[a-z0-9]+")


def or_tsquery(q: str) -> str:
    """Words joined with | so a loose phrase matches careers that share any of its words.

    Only [a-z0-9] survives, so nothing the user typed can reach tsquery syntax.
    """
    return " | ".join(dict.fromkeys(_TSQUERY_WORD.findall(q.lower().replace(".", ""))))


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def vocabulary_texts(self) -> list[str]:
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
            texts.append(row.name)
            texts.append(row.description)
            texts.append(row.degree)
            texts.append(row.category)
            for values in (row.aliases, row.skills, row.interests, row.subjects, row.suitable_for):
                texts.extend(values)
        exams = await self.session.execute(select(Exam.name, Exam.full_name))
        texts.extend(f"{r.name} {r.full_name}" for r in exams)
        return texts

    async def exam_ids(self) -> set[str]:
        return set(await self.session.scalars(select(Exam.id)))

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
        rows = await self.session.execute(query)
        out = []
        for row in rows:
            item = dict(row._mapping)
            item["exam_ids"] = item.pop("entrance_exams")
            out.append(item)
        return out
