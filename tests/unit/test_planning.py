"""search/planning.py: understood constraints as filters, relaxation, typo rules."""

from __future__ import annotations

from typing import Any

import pytest

from search_api.search.facets import Filters, filter_clauses
from search_api.search.planning import FUZZINESS, plan_query, relax, typo_rules
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
    body = typo_rules(bm25_leg(text, BASE, 10), text)
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
