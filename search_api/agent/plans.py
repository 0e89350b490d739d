"""A dated career plan: from the student's grade and today's date to the career.

Pure: the caller passes the career's catalogue record (careers.service's CareerDetail), the
catalogue cards of its alternatives, the grade and today's date.

The school calendar: class 12 board exams in February-March, results in May, the academic
year starting in April, university admissions from July. Entrance exams taken after class 12
(the catalogue's eligibility says "Class 12") are dated at the first month the catalogue gives
for them, in the class 12 year (September-December sittings in the calendar year before the
board exams, January-August ones after). Exams that need a degree are dated after the degree.
An exam whose month the catalogue does not name ("Varies by year") gets no date, only its
text. The degree's length is the first number of years in the catalogue's `duration`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from search_api.agent.catalogue import CareerCard
from search_api.careers.records import eligible_streams
from search_api.careers.schemas import CareerDetail, ExamOut

MONTHS = {
    m: i + 1
    for i, m in enumerate(
        "january february march april may june july august september october november "
        "december".split()
    )
}
_MONTH = re.compile(r"\b(" + "|".join(MONTHS) + r")\b", re.IGNORECASE)
_YEARS = re.compile(r"(\d+(?:\.\d+)?)(?:\s*(?:-|to)\s*\d+(?:\.\d+)?)?\s*(?:-\s*)?years?\b", re.I)
BOARD_MONTH = 3  # board exams run February to March; results in May
DEGREE_START_MONTH = 8  # admissions close and classes start by August


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    target_date: date | None
    kind: str  # school, board_exam, entrance_exam, degree, skills, certification, job, backup
    detail: str = ""


def exam_months(month_text: str) -> list[int]:
    return [MONTHS[m.lower()] for m in _MONTH.findall(month_text)]


def degree_years(duration: str) -> float | None:
    m = _YEARS.search(duration)
    return float(m.group(1)) if m else None


def after_school(exam: ExamOut) -> bool:
    """Taken at the end of school (its eligibility is Class 12 or less)."""
    text = exam.eligibility.lower()
    return "class 12" in text or "class 10" in text or "10+2" in text


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    return date(year, month % 12 + 1, 1)


def board_exam_date(grade: int, today: date) -> date:
    """1 March of the year this student sits the class 12 boards."""
    # the school year runs April to March: this year's boards are still ahead before April
    year_of_next_boards = today.year if today.month <= BOARD_MONTH else today.year + 1
    if grade == 11:
        year_of_next_boards += 1
    return date(year_of_next_boards, BOARD_MONTH, 1)


def entrance_date(months: Sequence[int], boards: date, today: date) -> date | None:
    """The first sitting in the class 12 year that is still ahead of today."""
    candidates = sorted(date(boards.year - 1 if m >= 9 else boards.year, m, 1) for m in months if m)
    ahead = [d for d in candidates if d >= today]
    if ahead:
        return ahead[0]
    # every sitting of this cycle has passed: the next cycle's first one
    later = sorted(date(d.year + 1, d.month, 1) for d in candidates)
    return later[0] if later else None


def build_plan(
    career: CareerDetail,
    grade: int,
    today: date,
    stream: str | None = None,
    alternatives: Mapping[str, CareerCard] | None = None,
) -> dict[str, Any]:
    boards = board_exam_date(grade, today)
    milestones: list[Milestone] = []
    if grade == 11:
        milestones.append(
            Milestone(
                "class-11",
                "Finish class 11 with the subjects this career needs",
                date(boards.year - 1, 3, 1),
                "school",
                "Subjects the catalogue lists: " + ", ".join(career.subjects or ["any"]),
            )
        )
    milestones.append(
        Milestone(
            "class-12-boards",
            "Class 12 board exams",
            boards,
            "board_exam",
            "Board exams run from February to March; results come in May.",
        )
    )
    school_exams = [e for e in career.entrance_exams if after_school(e)]
    later_exams = [e for e in career.entrance_exams if not after_school(e)]
    undated: list[dict[str, str]] = []
    for exam in school_exams:
        when = entrance_date(exam_months(exam.month), boards, today)
        if when is None:
            undated.append({"exam": exam.name, "month": exam.month})
            continue
        milestones.append(
            Milestone(
                f"exam-{exam.id}",
                f"Sit {exam.name}",
                when,
                "entrance_exam",
                f"{exam.full_name}: {exam.month}. Register about two months before.",
            )
        )
    years = degree_years(career.duration)
    start = date(boards.year, DEGREE_START_MONTH, 1)
    last_exam = max(
        (m.target_date for m in milestones if m.kind == "entrance_exam" and m.target_date),
        default=None,
    )
    if last_exam is not None and last_exam >= start:
        start = add_months(last_exam, 2)  # a next-cycle exam pushes the start back
    milestones.append(
        Milestone("degree-start", f"Start {career.degree}", start, "degree", career.duration)
    )
    finish = add_months(start, round((years or 0) * 12)) if years else None
    if finish is not None:
        mid = add_months(start, max(1, round((years or 0) * 6)))
        milestones.append(
            Milestone(
                "skills",
                "Build the skills employers ask for",
                mid,
                "skills",
                ", ".join(career.skills[:5]),
            )
        )
    for exam in later_exams:
        months = exam_months(exam.month)
        base = finish or add_months(start, 36)
        when = None
        if months:
            options = sorted(date(base.year + k, m, 1) for k in (0, 1) for m in months)
            ahead = [d for d in options if d >= add_months(base, -6)]
            when = ahead[0] if ahead else None
        if when is None:
            undated.append({"exam": exam.name, "month": exam.month})
            continue
        milestones.append(
            Milestone(
                f"cert-{exam.id}",
                f"{exam.name} (after or near the end of the degree)",
                when,
                "certification",
                f"{exam.full_name}: {exam.month}",
            )
        )
    if finish is not None:
        milestones.append(
            Milestone("degree-finish", f"Finish {career.degree}", finish, "degree", career.duration)
        )
        milestones.append(
            Milestone(
                "first-job",
                f"First job as {career.name}",
                add_months(finish, 1),
                "job",
                f"Typical entry pay {career.entry_salary} INR a year",
            )
        )
    milestones.sort(key=lambda m: (m.target_date or date.max, m.id))
    main_exam = school_exams[0] if school_exams else None
    alt_cards = alternatives or {}
    backup_careers = []
    for ref in career.alternatives:
        card = alt_cards.get(ref.id)
        if card is None:
            continue
        if stream and not set(eligible_streams([stream])) & set(card.streams):
            continue
        backup_careers.append(
            {
                "id": card.id,
                "name": card.name,
                "needs_main_exam": bool(main_exam and main_exam.id in card.entrance_exams),
            }
        )
    backup: dict[str, Any] = {"alternatives": backup_careers}
    if main_exam is not None:
        others = [e.name for e in school_exams[1:]]
        backup["if_main_exam_fails"] = (
            f"If {main_exam.name} does not work out: "
            + (f"sit {', '.join(others)} in the same year, " if others else "")
            + f"take it again next cycle ({main_exam.month}), or move to an alternative "
            "that does not need it."
        )
    eligible = stream is None or bool(set(eligible_streams([stream])) & set(career.streams))
    return {
        "career": {"id": career.id, "name": career.name},
        "grade": grade,
        "stream": stream,
        "stream_eligible": eligible,
        "created_on": today.isoformat(),
        "degree": {"name": career.degree, "duration": career.duration, "years": years},
        "milestones": [
            {
                "id": m.id,
                "title": m.title,
                "target_date": m.target_date.isoformat() if m.target_date else None,
                "kind": m.kind,
                "detail": m.detail,
                "status": "pending",
            }
            for m in milestones
        ],
        "undated_exams": undated,
        "backup": backup,
    }
