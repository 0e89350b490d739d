"""Dated career plans from the real catalogue records (data/): dates in the future and in
order, the catalogue's exams and months, the degree's duration."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from search_api.agent.catalogue import CareerCard
from search_api.agent.plans import board_exam_date, build_plan, degree_years, exam_months
from search_api.careers.schemas import CareerDetail, CareerRef, ExamOut

ROOT = Path(__file__).resolve().parents[2]


def _rows(folder: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return rows


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    return {c["id"]: c for c in _rows("careers")}, {e["id"]: e for e in _rows("exams")}


DEFAULTS: dict[str, Any] = {
    "entry_salary": 1, "mid_salary": 1, "senior_salary": 1, "work_hours": "",
    "work_environment": "", "stress_level": "Medium", "work_life_balance": "Average",
    "travel_required": "Minimal", "remote_work": "None", "job_outlook": "Stable",
    "pros": [], "cons": [], "suitable_for": [], "interests": [], "aliases": [],
    "hindi_name": "", "hindi_aliases": [], "hinglish": [], "prominence": 3,
}  # fmt: skip
FIELDS = set(CareerDetail.model_fields) - {"entrance_exams", "top_institutions", "alternatives"}


def detail(career_id: str, catalogue: Any) -> CareerDetail:
    """The career as careers.service's CareerDetail would give it, from the data/ record."""
    careers, exams = catalogue
    c = careers[career_id]
    return CareerDetail(
        **{k: c.get(k, DEFAULTS.get(k)) for k in FIELDS},
        entrance_exams=[
            ExamOut(**{k: exams[e][k] for k in ExamOut.model_fields}) for e in c["entrance_exams"]
        ],
        top_institutions=[],
        alternatives=[
            CareerRef(id=a, name=careers[a]["name"], category=careers[a]["category"])
            for a in c.get("alternatives", [])
            if a in careers
        ],
    )


TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    "career_id", ["doctor-mbbs", "software-engineer", "chartered-accountant", "lawyer"]
)
@pytest.mark.parametrize("grade", [11, 12])
def test_dates_are_ahead_and_in_order(career_id: str, grade: int, catalogue: Any) -> None:
    plan = build_plan(detail(career_id, catalogue), grade, TODAY)
    dated = [m["target_date"] for m in plan["milestones"] if m["target_date"]]
    assert dated, plan
    assert all(date.fromisoformat(d) >= TODAY for d in dated)
    assert dated == sorted(dated)
    kinds = [m["kind"] for m in plan["milestones"]]
    assert kinds.index("board_exam") < kinds.index("degree")
    finish = next(m for m in plan["milestones"] if m["id"] == "degree-finish")
    job = next(m for m in plan["milestones"] if m["kind"] == "job")
    assert job["target_date"] > finish["target_date"]


def test_entrance_exams_and_months_come_from_the_catalogue(catalogue: Any) -> None:
    careers, exams = catalogue
    plan = build_plan(detail("doctor-mbbs", catalogue), 12, TODAY)
    neet = next(m for m in plan["milestones"] if m["id"] == "exam-neet-ug")
    assert exams["neet-ug"]["month"] == "May"
    # class 12 boards in March 2027, NEET-UG in May of the same year
    assert neet["target_date"] == "2027-05-01"
    assert exams["neet-ug"]["month"] in neet["detail"]
    planned = {m["id"].removeprefix("exam-").removeprefix("cert-") for m in plan["milestones"]}
    undated = {u["exam"] for u in plan["undated_exams"]}
    for exam_id in careers["doctor-mbbs"]["entrance_exams"]:
        assert exam_id in planned or exams[exam_id]["name"] in undated


def test_the_degree_duration_is_the_catalogues(catalogue: Any) -> None:
    careers, _ = catalogue
    plan = build_plan(detail("doctor-mbbs", catalogue), 12, TODAY)
    assert plan["degree"]["duration"] == careers["doctor-mbbs"]["duration"]
    assert plan["degree"]["years"] == 5.5
    start = next(m for m in plan["milestones"] if m["id"] == "degree-start")["target_date"]
    finish = next(m for m in plan["milestones"] if m["id"] == "degree-finish")["target_date"]
    months = (date.fromisoformat(finish).year - date.fromisoformat(start).year) * 12 + (
        date.fromisoformat(finish).month - date.fromisoformat(start).month
    )
    assert months == 66


def test_a_backup_route_lists_catalogue_alternatives(catalogue: Any) -> None:
    careers, _ = catalogue
    cards = {
        a: CareerCard(a, careers[a]["name"], careers[a]["category"], tuple(careers[a]["streams"]),
                      (), tuple(careers[a]["entrance_exams"]), careers[a]["mid_salary"], ())
        for a in careers["doctor-mbbs"]["alternatives"]
    }  # fmt: skip
    plan = build_plan(detail("doctor-mbbs", catalogue), 12, TODAY, "PCB", cards)
    names = {b["name"] for b in plan["backup"]["alternatives"]}
    assert names
    assert names <= {careers[a]["name"] for a in careers["doctor-mbbs"]["alternatives"]}
    assert "NEET-UG" in plan["backup"]["if_main_exam_fails"]


def test_an_exam_already_past_this_cycle_moves_to_the_next() -> None:
    # grade 12 on 2 December 2026: a December sitting counts from its first day, so 2027's
    from search_api.agent.plans import entrance_date

    boards = board_exam_date(12, TODAY)
    assert boards == date(2027, 3, 1)
    assert entrance_date([12], boards, TODAY) == date(2027, 12, 1)
    assert entrance_date([1, 4], boards, TODAY) == date(2027, 1, 1)


@pytest.mark.parametrize(
    ("today", "grade", "boards"),
    [
        (date(2026, 12, 2), 12, date(2027, 3, 1)),
        (date(2026, 12, 2), 11, date(2028, 3, 1)),
        (date(2027, 2, 10), 12, date(2027, 3, 1)),
        (date(2027, 6, 1), 11, date(2029, 3, 1)),
    ],
)
def test_board_exams_follow_the_school_year(today: date, grade: int, boards: date) -> None:
    assert board_exam_date(grade, today) == boards


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("5.5 years (4.5 years of study + 1-year internship)", 5.5),
        ("3 years (B.Com)", 3.0),
        ("1-2 years (ITI) plus apprenticeship", 1.0),
        ("Varies", None),
    ],
)
def test_degree_years(text: str, years: float | None) -> None:
    assert degree_years(text) == years


def test_exam_months() -> None:
    assert exam_months("January and April (two sessions)") == [1, 4]
    assert exam_months("Varies by year") == []
