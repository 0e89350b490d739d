from __future__ import annotations

from typing import Any

from search_api.careers.records import eligible_streams
from search_api.search.facets import (
    SALARY,
    Filters,
    count_facets,
    facet_aggregations,
    filter_clauses,
    row_matches,
)


def row(cid: str, category: str, streams: list[str], mid: int, **extra: Any) -> dict[str, Any]:
    base = {
        "id": cid,
        "category": category,
        "streams": streams,
        "mid_salary": mid,
        "stress_level": "Medium",
        "work_life_balance": "Good",
        "job_outlook": "Stable",
        "remote_work": "None",
        "travel_required": "Rare",
        "exam_ids": [],
    }
    return {**base, **extra}


ROWS = [
    row("doctor", "Medicine", ["PCB", "PCMB"], 1_500_000, exam_ids=["neet-ug"]),
    row("engineer", "Engineering", ["PCM", "PCMB"], 1_200_000, exam_ids=["jee-main"]),
    row("lawyer", "Law", ["PCM", "PCB", "PCMB", "Commerce", "Humanities"], 900_000),
    row("accountant", "Commerce & Finance", ["Commerce"], 500_000),
]


def test_pcmb_is_eligible_for_pcm_and_pcb() -> None:
    assert eligible_streams(["PCMB"]) == ["PCM", "PCB", "PCMB"]
    assert eligible_streams(["Commerce"]) == ["Commerce"]
    assert filter_clauses(Filters({"stream": ("PCMB",)})) == [
        {"terms": {"streams": ["PCM", "PCB", "PCMB"]}}
    ]


def test_rows_filtered_like_opensearch() -> None:
    f = Filters({"category": ("Medicine", "Law")}, salary_min=1_000_000)
    assert [r["id"] for r in ROWS if row_matches(r, f)] == ["doctor"]
    commerce_only = {**ROWS[0], "streams": ["Commerce"]}
    assert not row_matches(commerce_only, Filters({"stream": ("PCMB",)}))


def test_multi_select_counts_ignore_own_selection() -> None:
    f = Filters({"category": ("Medicine",)})
    facets, without, total = count_facets(ROWS, f)
    assert total == 1
    categories = {c["value"]: c["count"] for c in facets["category"]}
    assert categories == {"Medicine": 1, "Engineering": 1, "Law": 1, "Commerce & Finance": 1}
    streams = {c["value"]: c["count"] for c in facets["stream"]}
    assert streams == {"PCB": 1, "PCMB": 1}  # narrowed by the category selection
    assert without["category"] == 4


def test_salary_bands_and_drop_counts() -> None:
    f = Filters({"stream": ("Commerce",)}, salary_min=600_000)
    facets, without, total = count_facets(ROWS, f)
    assert total == 1  # lawyer
    assert without[SALARY] == 2
    bands = {b["value"]: b["count"] for b in facets["salary_band"]}
    assert bands["3-6 lakh"] == 1
    assert bands["6-10 lakh"] == 1


def test_aggregations_exclude_each_facets_own_filter() -> None:
    aggs = facet_aggregations(Filters({"category": ("Law",), "stream": ("PCM",)}))
    category_filter = aggs["facet_category"]["filter"]["bool"]["filter"]
    assert category_filter == [{"terms": {"streams": ["PCM"]}}]
    assert aggs["all_filters"]["filter"]["bool"]["filter"] == [
        {"terms": {"category": ["Law"]}},
        {"terms": {"streams": ["PCM"]}},
    ]
