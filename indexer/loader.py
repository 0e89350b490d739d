"""`careers-admin load`: make Postgres mirror data/ in one transaction.

The whole catalogue is validated before anything is written. Then exams, institutions and
careers are upserted, careers no longer in the files are removed, and every career change gets
an outbox row in the same transaction, so the search index hears about exactly what changed.
All writes go through the same catalogue repository as the admin API.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.careers.files import Catalogue, read_catalogue
from search_api.careers.repository import CatalogueRepository
from search_api.careers.rows import (
    career_hash,
    career_values,
    category_values,
    exam_values,
    institution_values,
)


@dataclass
class LoadReport:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    exams: int = 0
    institutions: int = 0
    dry_run: bool = False

    @property
    def touched(self) -> int:
        return self.added + self.changed + self.removed


async def apply_catalogue(repo: CatalogueRepository, catalogue: Catalogue) -> LoadReport:
    """Write the catalogue inside the caller's transaction."""
    report = LoadReport()
    await repo.lock_catalogue()
    await repo.upsert_categories([category_values(c) for c in catalogue.categories])
    exam_rows = [exam_values(e) for e in catalogue.exams]
    inst_rows = [institution_values(i) for i in catalogue.institutions]
    await repo.upsert_exams(exam_rows)
    await repo.upsert_institutions(inst_rows)
    report.exams = len(exam_rows)
    report.institutions = len(inst_rows)

    exam_names = {e.id: e.name for e in catalogue.exams}
    inst_names = {i.id: i.name for i in catalogue.institutions}
    existing = await repo.content_hashes()
    wanted_ids = {c.id for c in catalogue.careers}

    outbox: list[tuple[str, str]] = []
    for record in catalogue.careers:
        digest = career_hash(record, exam_names, inst_names)
        previous = existing.get(record.id)
        if previous == digest:
            report.unchanged += 1
            continue
        values = career_values(record, digest)
        if previous is None:
            await repo.insert_career(values, record.entrance_exams)
            report.added += 1
        else:
            await repo.update_career(record.id, values, record.entrance_exams)
            report.changed += 1
        outbox.append((record.id, "upsert"))

    removed = sorted(set(existing) - wanted_ids)
    await repo.delete_careers(removed)
    outbox.extend((cid, "delete") for cid in removed)
    report.removed = len(removed)

    # Reference rows go last: removed careers no longer hold links to them.
    await repo.delete_exams_except(e["id"] for e in exam_rows)
    await repo.delete_institutions_except(i["id"] for i in inst_rows)
    await repo.delete_categories_except(c.name for c in catalogue.categories)
    await repo.add_outbox(outbox)
    return report


async def load_catalogue(
    sessionmaker: async_sessionmaker[AsyncSession], root: Path, dry_run: bool = False
) -> LoadReport:
    """Validate everything under root, then apply it in one transaction (rolled back on dry run).

    Raises CatalogueInvalid (nothing written) when any record is wrong.
    """
    catalogue = read_catalogue(root)
    async with sessionmaker() as session:
        try:
            report = await apply_catalogue(CatalogueRepository(session), catalogue)
        except BaseException:
            await session.rollback()
            raise
        if dry_run:
            await session.rollback()
        else:
            await session.commit()
    report.dry_run = dry_run
    return report
