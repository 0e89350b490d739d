"""search/planning.py: understood constraints as filters, relaxation, typo rules."""

from __future__ import annotations

from typing import Any

import pytest

from search_api.search.facets import Filters, filter_clauses
from search_api.search.fusion import Fused
from search_api.search.index import IndexedCareer
from search_api.search.planning import (
    FUZZINESS,
    browse_rank,
    family_prior,
    gateway,
    plan_query,
    relax,
    rerank,
    stream_fit,
    typo_rules,
    understood,
)
from search_api.search.query import bm25_leg
from search_api.search.schemas import SearchParams
from search_api.search.understanding import Lexicon
from tests.unit.test_understanding import careers, lexicon  # noqa: F401  (fixtures)

BASE = Filters({})


def test_understood_hard_constraints_are_added_to_explicit_filters(
    lexicon: Lexicon,  # noqa: F811
) -> None:
    explicit = Filters({"category": ("Law",)})
    plan = plan_query(SearchParams(q="12th commerce without maths"), explicit, lexicon)
    assert plan.filters.values == {"category": ("Law",)}
    assert plan.filters.also is not None
    assert plan.filters.also.values == {"stream": ("Commerce",)}
    assert plan.filters.also.excluded_subjects == ("Mathematics",)
    assert plan.text == ""
    assert plan.browse


def test_understand_false_and_ignore(lexicon: Lexicon) -> None:  # noqa: F811
    off = plan_query(SearchParams(q="commerce without maths", understand=False), BASE, lexicon)
    assert off.reading is None
    assert off.filters is BASE
    q = "commerce without maths"
    kept = plan_query(SearchParams(q=q, ignore=["excluded_subject:Mathematics"]), BASE, lexicon)
    assert kept.filters.also is not None
    assert kept.filters.also.excluded_subjects == ()
    assert "maths" in kept.text


def test_relax_drops_the_last_hard_constraint_first(lexicon: Lexicon) -> None:  # noqa: F811
    plan = plan_query(SearchParams(q="commerce without maths"), BASE, lexicon)
    first = relax(plan)
    assert first is not None
    assert first.relaxed == ("excluded_subject:Mathematics",)
    assert first.filters.also is not None
    assert first.filters.also.excluded_subjects == ()
    second = relax(first)
    assert second is not None
    assert second.filters.also is None
    assert relax(second) is None


def test_excluded_subjects_and_exams_are_must_not_clauses() -> None:
    clauses = filter_clauses(
        Filters({}, excluded_subjects=("Biology",), excluded_exams=("neet-ug",))
    )
    assert clauses == [
        {
            "bool": {
                "must_not": [
                    {"match_phrase": {"subjects": "Biology"}},
                    {"terms": {"exam_ids": ["neet-ug"]}},
                ]
            }
        }
    ]


def _clauses(text: str) -> list[dict[str, Any]]:
    body = typo_rules(bm25_leg(text, BASE, 10))
    should: list[dict[str, Any]] = body["query"]["bool"]["must"][0]["bool"]["should"]
    return should


def test_fuzziness_is_one_edit_from_4_two_from_8() -> None:
    fuzzy = [
        c["multi_match"]
        for c in _clauses("charterd acountant")
        if "fuzziness" in c.get("multi_match", {})
    ]
    assert [f["fuzziness"] for f in fuzzy] == [FUZZINESS] == ["AUTO:4,8"]


@pytest.mark.parametrize("text", ["CA", "IAS", "mba", "bsc"])
def test_short_acronyms_get_no_prefix_clause(text: str) -> None:
    assert not [c for c in _clauses(text) if c.get("multi_match", {}).get("type") == "bool_prefix"]


def test_numbers_are_never_fuzzy() -> None:
    fuzzy = [c for c in _clauses("2024") if "fuzziness" in c.get("multi_match", {})]
    assert fuzzy == []
    mixed = [
        c["multi_match"]["query"]
        for c in _clauses("pilot 2024")
        if "fuzziness" in c.get("multi_match", {})
    ]
    assert mixed == ["pilot"]


# ---- browse order and bonuses ----------------------------------------------------------


def career(cid: str, **fields: Any) -> IndexedCareer:
    source: dict[str, Any] = {
        "id": cid,
        "name": cid.replace("-", " ").title(),
        "category": "Commerce & Finance",
        "streams": ["PCM", "PCB", "PCMB", "Commerce", "Humanities"],
        "subjects": ["English"],
        "stress_level": "Medium",
        "work_life_balance": "Moderate",
        "job_outlook": "Stable",
        "remote_work": "None",
        "travel_required": "Occasional",
        "entry_salary": 300_000,
        "mid_salary": 800_000,
        "senior_salary": 1_500_000,
        "prominence": 3,
    }
    source.update(fields)
    return IndexedCareer.from_source(source)


def test_stream_fit_is_the_share_of_subjects_the_stream_studies() -> None:
    core = frozenset({"accountancy", "business studies", "economics"})
    made_for_it = career("cs", subjects=["Business Studies", "Accountancy", "Economics", "English"])
    assert stream_fit(made_for_it, core) == 1.0
    assert stream_fit(career("chef", subjects=["English", "Home Science"]), core) == 0.0
    assert stream_fit(career("x", subjects=["Economics", "English", "History"]), core) == 1 / 3
    assert stream_fit(made_for_it, frozenset()) == 0.0


def test_browsing_a_stream_lists_the_careers_made_for_it_first(
    lexicon: Lexicon,  # noqa: F811
) -> None:
    plan = plan_query(SearchParams(q="12th commerce without maths"), BASE, lexicon)
    chef = career("chef", subjects=["English", "Home Science"], prominence=5)
    secretary = career(
        "company-secretary", subjects=["Business Studies", "Accountancy", "Economics"]
    )
    assert [cid for cid, _ in browse_rank([chef, secretary], plan)] == [
        "company-secretary",
        "chef",
    ]


def test_a_salary_floor_prefers_more_pay_and_high_salary_sorts_by_it(
    lexicon: Lexicon,  # noqa: F811
) -> None:
    low = career("low", mid_salary=2_100_000, prominence=5)
    high = career("high", mid_salary=4_000_000, prominence=3)
    floor = plan_query(SearchParams(q="jobs above 20 lakh per annum"), BASE, lexicon)
    assert browse_rank([low, high], floor)[0][0] == "high"
    best_paid = plan_query(SearchParams(q="high salary jobs"), BASE, lexicon)
    assert browse_rank([low, high], best_paid)[0][0] == "high"


def test_an_exam_query_lists_the_careers_it_leads_to_most_prominent_first(
    lexicon: Lexicon,  # noqa: F811
) -> None:
    plan = plan_query(SearchParams(q="JEE Advanced"), BASE, lexicon)
    assert plan.browse
    assert plan.filters.also is not None
    assert plan.filters.also.values == {"exam": ("jee-advanced",)}
    assert plan.hard_keys == ("exam:jee-advanced",)
    first = career("space", exam_ids=["jee-advanced"], prominence=4)
    later = career("software", exam_ids=["jee-main", "jee-advanced"], prominence=5)
    assert gateway(first, ("jee-advanced",)) == 1.0
    assert 0.95 <= gateway(later, ("jee-advanced",)) < 1.0
    assert gateway(career("none"), ("jee-advanced",)) == 0.0
    assert [cid for cid, _ in browse_rank([first, later], plan)] == ["software", "space"]
    # nothing left of it: relaxed like a hard constraint, and searched as words again
    relaxed = relax(plan)
    assert relaxed is not None
    assert relaxed.relaxed == ("exam:jee-advanced",)
    assert relaxed.text == "jee advanced"


def test_a_bare_head_word_ranks_its_family_by_prominence(lexicon: Lexicon) -> None:  # noqa: F811
    plan = plan_query(SearchParams(q="engineer"), BASE, lexicon)
    software = career("software-engineer", name="Software Engineer", prominence=5)
    telecom = career("telecom-engineer", name="Telecom Engineer", prominence=2)
    other = career("chef", name="Chef", prominence=5)
    assert family_prior(software, "engineer") > family_prior(telecom, "engineer") > 0
    assert family_prior(other, "engineer") == 0.0
    fused = [Fused("telecom-engineer", 0.94), Fused("software-engineer", 0.9)]
    careers_by_id = {c.id: c for c in (software, telecom)}
    assert [f.id for f in rerank(fused, careers_by_id, plan)] == [
        "software-engineer",
        "telecom-engineer",
    ]
    two_words = plan_query(SearchParams(q="telecom engineer"), BASE, lexicon)
    assert rerank(fused, careers_by_id, two_words)[0].id == "telecom-engineer"


def test_a_ruled_out_career_is_listed_last(lexicon: Lexicon) -> None:  # noqa: F811
    plan = plan_query(SearchParams(q="hospital jobs but not as a doctor"), BASE, lexicon)
    doctor = career("doctor-mbbs", name="Doctor (MBBS)", prominence=5)
    nurse = career("nurse", name="Nurse", prominence=4)
    fused = [Fused("doctor-mbbs", 1.0), Fused("nurse", 0.3)]
    by_id = {c.id: c for c in (doctor, nurse)}
    assert [f.id for f in rerank(fused, by_id, plan)] == ["nurse", "doctor-mbbs"]
    assert [cid for cid, _ in browse_rank([doctor, nurse], plan)] == ["nurse", "doctor-mbbs"]
    shown = understood(plan, {"doctor-mbbs": "Doctor (MBBS)"})
    assert shown is not None
    (chip,) = [c for c in shown.constraints if c.kind == "excluded_career"]
    assert (chip.label, chip.applied) == ("not: Doctor (MBBS)", "boost")
    kept = plan_query(
        SearchParams(q="hospital jobs but not as a doctor", ignore=[chip.key]), BASE, lexicon
    )
    assert rerank(fused, by_id, kept)[0].id == "doctor-mbbs"


def test_typo_rules_keep_a_sentence_to_its_content_words() -> None:
    # "I" exactly matched the alias "C&I engineer" through the fuzzy clause for "I love dancing"
    body = typo_rules(bm25_leg("I love dancing", BASE, 10, "sentence"))
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    fuzzy = [c["multi_match"]["query"] for c in should if "fuzziness" in c.get("multi_match", {})]
    assert fuzzy == ["dancing"]
