"""`careers-admin load`: make Postgres mirror data/ in one transaction.

The whole catalogue is validated before anything is written. Then exams, institutions and
careers are upserted, careers no longer in the files are removed, and every career change gets
an outbox row in the same transaction, so the search index hears about exactly what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from search_api.careers.catalogue import Catalogue, read_catalogue
from search_api.careers.models import (
    CATALOGUE_LOCK_KEY,
    Career,
    CareerExam,
    Exam,
    Institution,
    OutboxEvent,
)
from search_api.careers.rows import career_hash, career_values, exam_values, institution_values


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


def lock_catalogue(conn: Connection) -> None:
    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CATALOGUE_LOCK_KEY})


def _upsert_reference_table(conn: Connection, table: Any, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    stmt = insert(table).values(rows)
    columns = {c: stmt.excluded[c] for c in rows[0] if c != "id"}
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["id"],
            set_=columns,
            where=table.c.content_hash != stmt.excluded.content_hash,
        )
    )


def apply_catalogue(conn: Connection, catalogue: Catalogue, report: LoadReport) -> None:
    """Write the catalogue inside the caller's transaction."""
    lock_catalogue(conn)
    exam_rows = [exam_values(e) for e in catalogue.exams]
    inst_rows = [institution_values(i) for i in catalogue.institutions]
    _upsert_reference_table(conn, Exam.__table__, exam_rows)
    _upsert_reference_table(conn, Institution.__table__, inst_rows)
    report.exams = len(exam_rows)
    report.institutions = len(inst_rows)

    exam_names = {e.id: e.name for e in catalogue.exams}
    inst_names = {i.id: i.name for i in catalogue.institutions}
    existing = {
        row.id: row.content_hash for row in conn.execute(select(Career.id, Career.content_hash))
    }
    wanted_ids = {c.id for c in catalogue.careers}

    outbox: list[dict[str, str]] = []
    for record in catalogue.careers:
        digest = career_hash(record, exam_names, inst_names)
        previous = existing.get(record.id)
        if previous == digest:
            report.unchanged += 1
            continue
        values = career_values(record, digest)
        if previous is None:
            conn.execute(insert(Career).values(values))
            report.added += 1
        else:
            conn.execute(
                update(Career).where(Career.id == record.id).values(**values, updated_at=func.now())
            )
            report.changed += 1
        conn.execute(delete(CareerExam).where(CareerExam.career_id == record.id))
        if record.entrance_exams:
            conn.execute(
                insert(CareerExam).values(
                    [
                        {"career_id": record.id, "exam_id": exam, "position": n}
                        for n, exam in enumerate(record.entrance_exams)
                    ]
                )
            )
        outbox.append({"career_id": record.id, "operation": "upsert"})

    removed = sorted(set(existing) - wanted_ids)
    if removed:
        conn.execute(delete(Career).where(Career.id.in_(removed)))
        outbox.extend({"career_id": cid, "operation": "delete"} for cid in removed)
        report.removed = len(removed)

    # Reference rows go last: removed careers no longer hold links to them.
    conn.execute(delete(Exam).where(Exam.id.not_in([e["id"] for e in exam_rows])))
    conn.execute(delete(Institution).where(Institution.id.not_in([i["id"] for i in inst_rows])))

    if outbox:
        conn.execute(insert(OutboxEvent).values(outbox))


def load_catalogue(engine: Engine, root: Path, dry_run: bool = False) -> LoadReport:
    """Validate everything under root, then apply it in one transaction (rolled back on dry run).

    Raises CatalogueInvalid (nothing written) when any record is wrong.
    """
    catalogue = read_catalogue(root)
    report = LoadReport(dry_run=dry_run)
    with engine.connect() as conn:
        transaction = conn.begin()
        try:
            apply_catalogue(conn, catalogue, report)
        except BaseException:
            transaction.rollback()
            raise
        if dry_run:
            transaction.rollback()
        else:
            transaction.commit()
    return report
