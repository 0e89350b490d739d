"""Catalogue reads and admin writes. Writes validate like the loader and queue an outbox event."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from search_api.careers.files import (
    Identity,
    Problem,
    StoredIdentity,
    check_references,
    check_unique_names,
)
from search_api.careers.models import Career
from search_api.careers.records import CareerRecord
from search_api.careers.repository import CatalogueRepository
from search_api.careers.rows import career_hash, career_values
from search_api.careers.schemas import (
    CareerDetail,
    CareerPage,
    CareerRef,
    CareerSummary,
    CategoryList,
    CategoryOut,
    CompareCareer,
    CompareData,
    ExamOut,
    InstitutionOut,
)
from search_api.core.errors import ConflictError, NotFoundError, ValidationFailed, listed


class CareerNotFound(NotFoundError):
    def __init__(self, career_id: str) -> None:
        super().__init__("CAREER_NOT_FOUND", f"no career with id {career_id!r}", {"id": career_id})


def _problems_to_error(problems: Sequence[Problem]) -> ValidationFailed:
    return ValidationFailed.many([(p.field, None, p.message) for p in problems], "career")


class CareerService:
    def __init__(self, repository: CatalogueRepository) -> None:
        self.repo = repository

    async def page(
        self, page: int, size: int, category: Sequence[str], streams: Sequence[str]
    ) -> CareerPage:
        if category:
            unknown = sorted(set(category) - await self.repo.category_names())
            if unknown:
                raise ValidationFailed.field(
                    "category", "query", f"unknown category: {listed(unknown)}"
                )
        total, rows = await self.repo.page(page, size, category, streams)
        return CareerPage(
            total=total,
            page=page,
            size=size,
            results=[CareerSummary.model_validate(row, from_attributes=True) for row in rows],
        )

    async def categories(self) -> CategoryList:
        return CategoryList(
            categories=[
                CategoryOut.model_validate(c, from_attributes=True)
                for c in await self.repo.categories()
            ]
        )

    async def compare(self, ids: Sequence[str]) -> CompareData:
        """2-4 careers side by side; `differs` marks the fields where they are not all equal."""
        rows = {c.id: c for c in await self.repo.get_many(ids)}
        unknown = [i for i in ids if i not in rows]
        if unknown:
            raise NotFoundError(
                "CAREER_NOT_FOUND",
                f"no career with id {', '.join(map(repr, unknown))}",
                {"unknown": unknown},
            )
        exams = await self.repo.exams(sorted({e for c in rows.values() for e in c.entrance_exams}))
        careers = [
            CompareCareer(
                **{f: getattr(rows[i], f) for f in CompareCareer.model_fields if f != "exams"},
                exams=[exams[e].name for e in rows[i].entrance_exams if e in exams],
            )
            for i in ids
        ]
        labels = {"id", "name", "hindi_name", "category"}
        compared = [f for f in CompareCareer.model_fields if f not in labels]
        differs = {}
        for name in compared:
            values = [getattr(c, name) for c in careers]
            norm = [sorted(v) if isinstance(v, list) else v for v in values]
            differs[name] = any(v != norm[0] for v in norm[1:])
        skill_sets = [{s.casefold(): s for s in c.skills} for c in careers]
        common = set(skill_sets[0]).intersection(*skill_sets[1:])
        return CompareData(
            careers=careers,
            differs=differs,
            common_skills=sorted(skill_sets[0][k] for k in common),
        )

    async def detail(self, career_id: str) -> CareerDetail:
        career = await self.repo.get_one_or_none(career_id)
        if career is None:
            raise CareerNotFound(career_id)
        return await self._detail(career)

    async def _detail(self, career: Career) -> CareerDetail:
        exams = await self.repo.exams(career.entrance_exams)
        institutions = await self.repo.institutions(career.top_institutions)
        refs = await self.repo.refs(career.alternatives)
        return CareerDetail(
            **{
                name: getattr(career, name)
                for name in CareerDetail.model_fields
                if name not in {"entrance_exams", "top_institutions", "alternatives"}
            },
            entrance_exams=[
                ExamOut.model_validate(exams[e], from_attributes=True)
                for e in career.entrance_exams
                if e in exams
            ],
            top_institutions=[
                InstitutionOut.model_validate(institutions[i], from_attributes=True)
                for i in career.top_institutions
                if i in institutions
            ],
            alternatives=[
                CareerRef(id=a, name=refs[a][0], category=refs[a][1])
                for a in career.alternatives
                if a in refs
            ],
        )

    async def snapshot(self, career_id: str) -> dict[str, Any] | None:
        """The stored career in the admin API's own shape (the audit log's "before")."""
        career = await self.repo.get_one_or_none(career_id)
        if career is None:
            return None
        return {name: getattr(career, name) for name in CareerRecord.model_fields}

    async def _validated_values(self, record: CareerRecord) -> dict[str, object]:
        """Reference and uniqueness checks against what is in the database now."""
        exams = await self.repo.exams(record.entrance_exams)
        institutions = await self.repo.institutions(record.top_institutions)
        refs = await self.repo.refs(record.alternatives)
        problems = check_references(
            [record],
            set(exams),
            set(institutions),
            set(refs) | {record.id},
            {},
            await self.repo.category_names(),
        )
        others = [
            (StoredIdentity(cid, name, aliases), "database")
            for cid, name, aliases in await self.repo.identities()
            if cid != record.id
        ]
        unique_problems: list[Problem] = []
        candidates: list[tuple[Identity, str]] = [*others, (record, "request")]
        check_unique_names(candidates, unique_problems)
        problems.extend(p for p in unique_problems if p.record == record.id)
        if problems:
            raise _problems_to_error(problems)
        digest = career_hash(
            record,
            {k: v.name for k, v in exams.items()},
            {k: v.name for k, v in institutions.items()},
        )
        return career_values(record, digest)

    async def create(self, record: CareerRecord) -> CareerDetail:
        await self.repo.lock_catalogue()
        if await self.repo.exists(record.id):
            raise ConflictError(
                "CAREER_EXISTS", f"a career with id {record.id!r} already exists", {"id": record.id}
            )
        values = await self._validated_values(record)
        await self.repo.insert_career(values, record.entrance_exams)
        await self.repo.add_outbox([(record.id, "upsert")])
        return await self.detail(record.id)

    async def replace(self, career_id: str, record: CareerRecord) -> CareerDetail:
        if record.id != career_id:
            raise ValidationFailed.many(
                [("id", None, f"body id {record.id!r} differs from the path id")], "career"
            )
        await self.repo.lock_catalogue()
        if not await self.repo.exists(career_id):
            raise CareerNotFound(career_id)
        values = await self._validated_values(record)
        await self.repo.update_career(career_id, values, record.entrance_exams)
        await self.repo.add_outbox([(career_id, "upsert")])
        career = await self.repo.get_one_or_none(career_id)
        assert career is not None
        await self.repo.session.refresh(career)
        return await self._detail(career)

    async def delete(self, career_id: str) -> None:
        await self.repo.lock_catalogue()
        if not await self.repo.exists(career_id):
            raise CareerNotFound(career_id)
        referrers = await self.repo.referencing(career_id)
        if referrers:
            raise ConflictError(
                "CAREER_REFERENCED",
                f"{career_id!r} is listed as an alternative by {len(referrers)} career(s); "
                "update those first",
                {"referenced_by": referrers},
            )
        await self.repo.delete_careers([career_id])
        await self.repo.add_outbox([(career_id, "delete")])
