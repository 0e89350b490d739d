from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from search_api.profiles.schemas import Profile
from search_api.profiles.scoring import (
    WEIGHTS,
    compatibility_score,
    interest_fit,
    salary_fit,
    score_career,
    skill_fit,
    stream_fit,
)

VET: dict[str, Any] = {
    "streams": ["PCB", "PCMB"],
    "subjects": ["Biology", "Chemistry", "English"],
    "interests": ["animals", "biology", "helping animals"],
    "riasec": ["I", "S"],
    "skills": ["Animal handling", "Diagnosis", "Surgery", "Empathy"],
    "mid_salary": 900_000,
}


@dataclass(frozen=True)
class Career:
    streams: list[str]
    subjects: list[str]
    interests: list[str]
    riasec: list[str]
    skills: list[str]
    mid_salary: int


def test_weights_are_the_product_formula() -> None:
    assert dict(WEIGHTS) == {"stream": 0.3, "interest": 0.4, "skill": 0.2, "salary": 0.1}
    assert compatibility_score(
        {"stream": 1, "interest": 1, "skill": 1, "salary": 1}
    ) == pytest.approx(1)
    assert compatibility_score(
        {"stream": 1, "interest": 0, "skill": 0, "salary": 0}
    ) == pytest.approx(0.3)


def test_stream_fit_rewards_core_subjects() -> None:
    assert stream_fit("PCB", VET["streams"], VET["subjects"]).value == pytest.approx(
        0.6 + 0.4 * 2 / 3
    )
    assert stream_fit("PCMB", VET["streams"], VET["subjects"]).value > 0.6
    assert stream_fit("Commerce", VET["streams"], VET["subjects"]).value == 0.0


def test_interest_fit_mixes_semantics_and_tags() -> None:
    part = interest_fit(["biology", "cricket"], [*VET["interests"], *VET["riasec"]], semantic=0.55)
    assert part.value == pytest.approx(0.5 * 1.0 + 0.5 * 0.5)
    assert part.reasons[0] == "You enjoy biology; this career is built on it."
    assert interest_fit([], VET["interests"], 0.9).value == 0.0
    riasec = interest_fit(["Investigative"], ["I"], semantic=None)
    assert riasec.value == pytest.approx(0.5)


def test_skill_fit_is_fuzzy() -> None:
    part = skill_fit(["handling animals", "surgery", "painting"], VET["skills"])
    assert part.value == pytest.approx(2 / 3)
    assert skill_fit([], VET["skills"]).value == 0.0


def test_salary_fit_against_range() -> None:
    assert salary_fit(900_000, 500_000, 1_200_000).value == 1.0
    assert salary_fit(900_000, None, 600_000).value == pytest.approx(600_000 / 900_000)
    assert salary_fit(900_000, None, None).value == pytest.approx(0.45)
    assert "₹9.0" not in salary_fit(900_000, None, None).reasons[0]
    assert "₹9 lakh" in salary_fit(900_000, None, None).reasons[0]


def test_score_equals_formula_of_breakdown() -> None:
    profile = Profile(grade=12, stream="PCB", interests=["animals", "biology"], skills=["surgery"])
    score, breakdown, reasons = score_career(profile, Career(**VET), semantic=0.4)
    assert all(0.0 <= v <= 1.0 for v in breakdown.values())
    assert score == pytest.approx(compatibility_score(breakdown), abs=1e-4)
    assert reasons[0].startswith("You enjoy animals")
