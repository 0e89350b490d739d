"""careers-admin load: all-or-nothing, every problem reported, idempotent, outbox per change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.loader import load_catalogue
from search_api.careers.files import CatalogueInvalid
from tests.fixtures.catalogue import (
    CATEGORIES,
    EXAMS,
    INSTITUTIONS,
    career,
    default_careers,
    write_catalogue,
)
from tests.fixtures.services import ROOT

SessionMaker = async_sessionmaker[AsyncSession]


def snapshot(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {
            "careers": conn.execute(text("SELECT id, content_hash FROM careers ORDER BY id")).all(),
            "exams": conn.execute(text("SELECT id, content_hash FROM exams ORDER BY id")).all(),
            "links": conn.execute(
                text("SELECT career_id, exam_id FROM career_exams ORDER BY 1, 2")
            ).all(),
            "outbox": conn.execute(
                text("SELECT id, career_id, operation FROM outbox ORDER BY id")
            ).all(),
        }


def run_cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CC_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


async def test_first_load_adds_everything_and_queues_outbox(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    report = await load_catalogue(db_sessionmaker, write_catalogue(tmp_path))
    assert (report.added, report.changed, report.removed, report.unchanged) == (3, 0, 0, 0)
    state = snapshot(db_engine)
    assert [row.id for row in state["careers"]] == [
        "civil-engineer",
        "doctor-mbbs",
        "mechanical-engineer",
    ]
    assert sorted((r.career_id, r.operation) for r in state["outbox"]) == [
        ("civil-engineer", "upsert"),
        ("doctor-mbbs", "upsert"),
        ("mechanical-engineer", "upsert"),
    ]
    assert ("doctor-mbbs", "neet-ug") in state["links"]


async def test_second_load_changes_nothing(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    root = write_catalogue(tmp_path)
    await load_catalogue(db_sessionmaker, root)
    before = snapshot(db_engine)
    report = await load_catalogue(db_sessionmaker, root)
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 0, 0, 3)
    assert snapshot(db_engine) == before


async def test_change_and_removal_are_applied_with_outbox_rows(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path))
    careers = default_careers()
    careers[0]["mid_salary"] = 1300000  # civil-engineer changes
    careers = [c for c in careers if c["id"] != "mechanical-engineer"]
    careers[0]["alternatives"] = ["doctor-mbbs"]
    report = await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers))
    assert (report.added, report.changed, report.removed, report.unchanged) == (0, 1, 1, 1)
    events = [(r.career_id, r.operation) for r in snapshot(db_engine)["outbox"]][3:]
    assert sorted(events) == [("civil-engineer", "upsert"), ("mechanical-engineer", "delete")]


async def test_renaming_an_exam_marks_its_careers_changed(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path))
    exams = [dict(e) for e in EXAMS]
    exams[1]["name"] = "NEET (UG)"
    report = await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, exams=exams))
    assert (report.changed, report.unchanged) == (1, 2)


async def test_dry_run_writes_nothing(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    before = snapshot(db_engine)
    report = await load_catalogue(db_sessionmaker, write_catalogue(tmp_path), dry_run=True)
    assert report.added == 3
    assert snapshot(db_engine) == before


BAD_RECORDS: list[tuple[str, dict[str, Any], str, str]] = [
    ("bad slug", {"id": "Civil_Engineer"}, "id", "String should match pattern"),
    ("salary order", {"entry_salary": 900000, "mid_salary": 500000}, "-", "salaries out of order"),
    (
        "unknown exam",
        {"entrance_exams": ["jee-mains"]},
        "entrance_exams",
        "unknown exam id 'jee-mains'",
    ),
    (
        "unknown institution",
        {"top_institutions": ["iit-bombai"]},
        "top_institutions",
        "unknown institution id 'iit-bombai'",
    ),
    (
        "unknown alternative",
        {"alternatives": ["astronaut"]},
        "alternatives",
        "unknown career id 'astronaut'",
    ),
    (
        "enum value",
        {"stress_level": "Extreme"},
        "stress_level",
        "Input should be 'Low', 'Medium' or 'High'",
    ),
    ("extra field", {"salary": 5}, "salary", "Extra inputs are not permitted"),
    (
        "unknown category",
        {"category": "Astrology"},
        "category",
        "unknown category 'Astrology'",
    ),
]


@pytest.mark.parametrize(
    ("overrides", "field", "message"), [b[1:] for b in BAD_RECORDS], ids=[b[0] for b in BAD_RECORDS]
)
async def test_bad_record_is_rejected_and_nothing_changes(
    db_sessionmaker: SessionMaker,
    db_engine: Engine,
    tmp_path: Path,
    overrides: dict[str, Any],
    field: str,
    message: str,
) -> None:
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path / "good"))
    before = snapshot(db_engine)
    careers = default_careers()
    target = careers[1]  # mechanical-engineer
    target.update(overrides)
    root = write_catalogue(tmp_path / "bad", careers)
    with pytest.raises(CatalogueInvalid) as caught:
        await load_catalogue(db_sessionmaker, root)
    matching = [p for p in caught.value.problems if message in p.message]
    assert matching, [str(p) for p in caught.value.problems]
    assert matching[0].file.endswith("careers/careers.yaml")
    assert matching[0].record == target["id"]
    assert matching[0].field == field
    assert snapshot(db_engine) == before


async def test_missing_field_is_named(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    careers = default_careers()
    del careers[2]["job_outlook"]
    with pytest.raises(CatalogueInvalid) as caught:
        await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers))
    assert [(p.record, p.field, p.message) for p in caught.value.problems] == [
        ("doctor-mbbs", "job_outlook", "Field required")
    ]
    assert snapshot(db_engine)["careers"] == []


async def test_duplicates_are_reported(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    careers = default_careers()
    careers.append(career("civil-engineer", "Structural Engineer"))
    careers[1]["aliases"] = ["MBBS"]
    with pytest.raises(CatalogueInvalid) as caught:
        await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers))
    messages = [str(p) for p in caught.value.problems]
    assert any("civil-engineer: id: duplicate career id 'civil-engineer'" in m for m in messages)
    assert any("duplicate alias 'MBBS'" in m for m in messages)


async def test_all_problems_reported_at_once(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    careers = default_careers()
    careers[0]["stress_level"] = "Huge"
    careers[1]["entrance_exams"] = ["nope"]
    careers[2]["top_institutions"] = ["nowhere"]
    with pytest.raises(CatalogueInvalid) as caught:
        await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers))
    assert {p.record for p in caught.value.problems} == {
        "civil-engineer",
        "mechanical-engineer",
        "doctor-mbbs",
    }


def test_cli_reports_file_record_field_and_exits_nonzero(
    db_url: str, db_engine: Engine, tmp_path: Path
) -> None:
    careers = default_careers()
    careers[0]["mid_salary"] = 100
    result = run_cli(db_url, "load", str(write_catalogue(tmp_path, careers)))
    assert result.returncode == 1
    assert "careers/careers.yaml: civil-engineer: mid_salary:" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(db_engine)["careers"] == []


def test_cli_loads_and_prints_counts(db_url: str, tmp_path: Path) -> None:
    root = write_catalogue(tmp_path)
    first = run_cli(db_url, "load", str(root))
    assert first.returncode == 0, first.stderr
    assert "added 3, changed 0, removed 0, unchanged 0" in first.stdout
    second = run_cli(db_url, "load", str(root))
    assert "added 0, changed 0, removed 0, unchanged 3" in second.stdout


def test_cli_unreachable_database_exit_code_two(tmp_path: Path) -> None:
    result = run_cli(
        "postgresql+psycopg://careers:secret@127.0.0.1:1/careers",
        "load",
        str(write_catalogue(tmp_path)),
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert (
        "PostgreSQL is unreachable at postgresql+psycopg://careers:***@127.0.0.1:1/careers"
        in result.stderr
    )
    assert "secret" not in result.stderr


def test_references_and_institutions_in_fixture_are_consistent() -> None:
    ids = {i["id"] for i in INSTITUTIONS}
    assert all(set(c["top_institutions"]) <= ids for c in default_careers())


async def test_house_style_is_not_a_load_error(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    """Issue 11: another catalogue written differently (one-sentence descriptions, PCM without
    PCMB, no Hindi names) loads; style rules are checks on our data/, not load errors."""
    careers = default_careers()
    careers[1]["description"] = "Designs machines and the parts inside them"
    careers[1]["streams"] = ["PCM"]
    careers[1]["skills"] = ["Mechanics"]
    report = await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers))
    assert report.added == 3
    with db_engine.connect() as conn:
        row = conn.execute(
            text("SELECT description, streams FROM careers WHERE id = 'mechanical-engineer'")
        ).one()
    assert row.streams == ["PCM"]


async def test_categories_are_data(
    db_sessionmaker: SessionMaker, db_engine: Engine, tmp_path: Path
) -> None:
    categories = [
        *[dict(c) for c in CATEGORIES],
        {"name": "Space & Astronomy", "slug": "space", "hindi_name": "", "description": ""},
    ]
    careers = default_careers()
    careers[1]["category"] = "Space & Astronomy"
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path, careers, categories=categories))
    with db_engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM categories ORDER BY name")).scalars().all()
        used = conn.execute(
            text("SELECT category FROM careers WHERE id = 'mechanical-engineer'")
        ).scalar_one()
    assert names == ["Engineering", "Medicine", "Space & Astronomy"]
    assert used == "Space & Astronomy"
    # A category nobody uses any more and that the file drops goes with the next load.
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path))
    with db_engine.connect() as conn:
        names = conn.execute(text("SELECT name FROM categories ORDER BY name")).scalars().all()
    assert names == ["Engineering", "Medicine"]
