"""Reading OpenSearch hits: fields from the hit's _source, or from the careers search already
holds when the legs ask for ids and scores only (search_api.search.index._hits)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from search_api.search.facets import Filters
from search_api.search.index import _hits, _unknown
from search_api.search.query import CANDIDATE_FIELDS, bm25_leg, dense_leg, page_request
from tests.unit.test_planning import career


def response(*hits: dict[str, Any]) -> dict[str, Any]:
    return {"hits": {"total": {"value": len(hits)}, "hits": list(hits)}}


def test_a_source_less_hit_takes_its_career_from_the_known_ones() -> None:
    known = {"pilot": career("pilot"), "nurse": career("nurse")}
    read = _hits(
        response(
            {"_id": "nurse", "_score": 2.5, "matched_queries": ["description"]},
            {"_id": "pilot", "_score": 1.0},
        ),
        known,
    )
    assert [(h.id, h.score, h.career.name) for h in read.hits] == [
        ("nurse", 2.5, "Nurse"),
        ("pilot", 1.0, "Pilot"),
    ]
    assert read.hits[0].matched == ("description",)


def test_an_unknown_hit_is_reported_then_left_out_never_shown_empty() -> None:
    known = {"pilot": career("pilot")}
    raw = response(
        {"_id": "pilot", "_score": 2.0},
        {"_id": "glacier-surveyor", "_score": 1.0, "_source": {"id": "glacier-surveyor"}},
    )
    assert _unknown([raw], known) == {"glacier-surveyor"}
    assert [h.id for h in _hits(raw, known).hits] == ["pilot"]


def test_a_hit_with_its_fields_needs_nothing_known() -> None:
    source = asdict(career("actuary"))
    raw = response({"_id": "actuary", "_score": 1.0, "_source": source})
    assert _unknown([raw], {}) == set()
    assert [h.career.name for h in _hits(raw).hits] == ["Actuary"]


def test_legs_and_page_ask_for_fields_only_when_nothing_is_known() -> None:
    filters = Filters({})
    assert bm25_leg("pilot", filters, 50)["_source"] == {"includes": CANDIDATE_FIELDS}
    assert bm25_leg("pilot", filters, 50, source=False)["_source"] is False
    assert dense_leg([0.1] * 4, 0.6, filters, 50, source=False)["_source"] is False
    page = page_request(["pilot"], "pilot", source=False)
    # the id keeps _source loaded once for the highlighter (see page_request)
    assert page["_source"] == {"includes": ["id"]}
    assert "highlight" in page
