"""The pure parts of personalised search: constraints, the inline profile, the blend."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from search_api.careers.records import eligible_streams
from search_api.core.errors import ValidationFailed
from search_api.profiles.constraints import hard_constraints, soft_preference_notes
from search_api.profiles.schemas import ProfileQuery, StudentProfile, WorkPreferences
from search_api.profiles.scoring import compatibility_score
from search_api.search.facets import filter_clauses, row_matches
from search_api.search.index import IndexedCareer
from search_api.search.personalise import FitCatalogue, blend, constraint_filters, rerank
from search_api.search.schemas import SearchResult

BASE = IndexedCareer(
    id="x",
    name="X",
    category="Engineering",
    description="",
    aliases=[],
    skills=["Programming", "Mathematics"],
    subjects=["Mathematics", "Physics"],
    interests=["coding", "computers"],
    riasec=["I"],
    streams=["PCM", "PCMB"],
    degree="",
    duration="",
    stress_level="Medium",
    work_life_balance="Good",
    job_outlook="Growing",
    remote_work="Full",
    travel_required="Rare",
    entry_salary=500_000,
    mid_salary=1_500_000,
    senior_salary=3_000_000,
    exam_ids=[],
    exams=[],
    institutions=[],
)


def career(career_id: str, **changes: Any) -> IndexedCareer:
    return replace(BASE, id=career_id, name=career_id.title(), **changes)


def result(c: IndexedCareer, score: float) -> SearchResult:
    return SearchResult(
        id=c.id,
        name=c.name,
        hindi_name="",
        category=c.category,
        score=score,
        highlights={},
        matched_by=["bm25"],
        description="",
        streams=c.streams,
        entry_salary=c.entry_salary,
        mid_salary=c.mid_salary,
        senior_salary=c.senior_salary,
        stress_level=c.stress_level,
        work_life_balance=c.work_life_balance,
        job_outlook=c.job_outlook,
        remote_work=c.remote_work,
    )


def test_constraints_follow_the_profile() -> None:
    strict = StudentProfile(
        stream="PCMB",
        salary_min=800_000,
        work_preferences=WorkPreferences(remote=True, max_stress="Medium"),
    )
    constraints = hard_constraints(strict)
    assert constraints.values == {
        "stream": ("PCMB",),
        "remote_work": ("Partial", "Full"),
        "stress_level": ("Low", "Medium"),
    }
    assert constraints.salary_min == 800_000
    loose = strict.model_copy(
        update={"work_preferences": strict.work_preferences.model_copy(update={"strict": False})}
    )
    assert hard_constraints(loose).values == {"stream": ("PCMB",)}
    assert not hard_constraints(StudentProfile(interests=["art"]))


def test_constraint_filters_match_in_opensearch_and_python_alike() -> None:
    profile = StudentProfile(stream="PCB", work_preferences=WorkPreferences(max_stress="Low"))
    filters = constraint_filters(profile)
    assert filters is not None
    clauses = filter_clauses(filters)
    assert {"terms": {"streams": ["PCB"]}} in clauses
    assert {"terms": {"stress_level": ["Low"]}} in clauses
    vet = career("vet", streams=["PCB", "PCMB"], stress_level="Low")
    engineer = career("eng")
    for c, expected in ((vet, True), (engineer, False)):
        row = {**vars_of(c), "exam_ids": []}
        assert row_matches(row, filters) is expected
        assert satisfies(profile, c) is expected


def satisfies(profile: StudentProfile, c: IndexedCareer) -> bool:
    """The rule as a counsellor states it, written apart from the filter code."""
    allowed = set(eligible_streams([profile.stream])) if profile.stream else None
    prefs = profile.work_preferences
    return (
        (allowed is None or bool(allowed & set(c.streams)))
        and (
            prefs.max_stress is None
            or c.stress_level
            in ("Low", "Medium", "High")[: ("Low", "Medium", "High").index(prefs.max_stress) + 1]
        )
        and (profile.salary_min is None or c.mid_salary >= profile.salary_min)
    )


def vars_of(c: IndexedCareer) -> dict[str, Any]:
    return {name: getattr(c, name) for name in c.__dataclass_fields__}


def test_soft_preferences_become_reasons() -> None:
    prefs = WorkPreferences(max_stress="Low", max_travel="Rare", strict=False)
    notes = soft_preference_notes(prefs, career("x", stress_level="High"))
    assert notes == ["Its stress level is High, above what you want."]
    assert soft_preference_notes(prefs.model_copy(update={"strict": True}), career("x")) == []


def test_inline_profile_lays_over_the_saved_one() -> None:
    saved = StudentProfile(stream="PCM", interests=["coding"], skills=["maths"])
    query = ProfileQuery(profile_interest=["robots"], profile_max_stress="Low")
    merged = query.apply_to(saved)
    assert (merged.stream, merged.interests, merged.skills) == ("PCM", ["robots"], ["maths"])
    assert merged.work_preferences.max_stress == "Low"
    assert not ProfileQuery().has_inline_profile()
    assert ProfileQuery(profile_stream="PCB").has_inline_profile()
    with pytest.raises(ValidationFailed):
        ProfileQuery(profile_salary_min=900_000).apply_to(StudentProfile(salary_max=500_000))


def test_rerank_blends_relevance_with_the_formula() -> None:
    profile = StudentProfile(stream="PCM", interests=["coding"], skills=["Programming"])
    coder = career("coder")
    painter = career("painter", interests=["painting"], skills=["Drawing"], subjects=["Fine Arts"])
    catalogue = FitCatalogue(
        {"coder": coder, "painter": painter},
        {"coder": 0, "painter": 1},
        np.asarray([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32),
    )
    vector = np.asarray([1.0, 0.0], dtype=np.float32)
    results = [result(painter, 0.9), result(coder, 0.8)]
    ranked = rerank(results, profile, catalogue, vector, weight=0.5, reorder=True)
    assert [r.id for r in ranked] == ["coder", "painter"]
    for r in ranked:
        assert r.fit is not None
        parts = r.fit.breakdown.model_dump()
        assert r.fit.score == pytest.approx(compatibility_score(parts), abs=1e-4)
        assert r.score == pytest.approx(blend(r.fit.relevance, r.fit.score, 0.5), abs=1e-4)
    assert ranked[1].fit is not None
    assert ranked[1].fit.relevance == 1.0
    kept = rerank(results, profile, catalogue, vector, weight=0.5, reorder=False)
    assert [r.id for r in kept] == ["painter", "coder"]
    assert [r.score for r in kept] == [0.9, 0.8]
    nothing = rerank(results, profile, catalogue, vector, weight=0.0, reorder=True)
    assert [r.id for r in nothing] == ["painter", "coder"]
