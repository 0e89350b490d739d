"""Facets and filters, defined once for the OpenSearch path and the Postgres fallback."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from search_api.careers.records import (
    JOB_OUTLOOKS,
    REMOTE_LEVELS,
    STREAMS,
    STRESS_LEVELS,
    TRAVEL_LEVELS,
    WORK_LIFE_BALANCES,
    eligible_streams,
)


@dataclass(frozen=True)
class Facet:
    param: str  # query parameter and key in data.facets
    field: str  # keyword field in the index (and attribute of a career row)
    values: tuple[str, ...] | None  # fixed vocabulary, or None (categories, exams: data)


FACETS: tuple[Facet, ...] = (
    Facet("category", "category", None),
    Facet("stream", "streams", STREAMS),
    Facet("stress_level", "stress_level", STRESS_LEVELS),
    Facet("work_life_balance", "work_life_balance", WORK_LIFE_BALANCES),
    Facet("job_outlook", "job_outlook", JOB_OUTLOOKS),
    Facet("remote_work", "remote_work", REMOTE_LEVELS),
    Facet("travel_required", "travel_required", TRAVEL_LEVELS),
    Facet("exam", "exam_ids", None),
)
FACET_BY_PARAM = {f.param: f for f in FACETS}
SALARY = "salary"  # the pseudo-facet for salary_min / salary_max, counted in bands


@dataclass(frozen=True)
class SalaryBand:
    label: str
    low: int | None  # inclusive
    high: int | None  # exclusive


SALARY_BANDS: tuple[SalaryBand, ...] = (
    SalaryBand("Under 3 lakh", None, 300_000),
    SalaryBand("3-6 lakh", 300_000, 600_000),
    SalaryBand("6-10 lakh", 600_000, 1_000_000),
    SalaryBand("10-20 lakh", 1_000_000, 2_000_000),
    SalaryBand("20 lakh and above", 2_000_000, None),
)


@dataclass(frozen=True)
class Filters:
    """Selected facet values (OR within a facet, AND across facets) and a mid-salary range.

    `also`: filters that must hold as well and that facets never relax (a student profile's
    hard constraints, search/personalise.py, and what query understanding read from the
    words, search/planning.py); facet counts are counted within them.
    excluded_subjects / excluded_exams: careers listing any of them are left out ("without
    maths", "no NEET").
    """

    values: Mapping[str, tuple[str, ...]]
    salary_min: int | None = None
    salary_max: int | None = None
    also: Filters | None = None
    excluded_subjects: tuple[str, ...] = ()
    excluded_exams: tuple[str, ...] = ()

    def active(self) -> list[str]:
        names = [p for p, v in self.values.items() if v]
        if self.salary_min is not None or self.salary_max is not None:
            names.append(SALARY)
        return names

    def matching_values(self, param: str) -> tuple[str, ...]:
        selected = self.values.get(param, ())
        return tuple(eligible_streams(selected)) if param == "stream" else selected

    def without(self, name: str) -> Filters:
        if name == SALARY:
            return replace(self, salary_min=None, salary_max=None)
        return replace(self, values={p: v for p, v in self.values.items() if p != name})

    def describe(self, name: str) -> Any:
        if name == SALARY:
            return {"salary_min": self.salary_min, "salary_max": self.salary_max}
        return list(self.values[name])


# ---- OpenSearch clauses ---------------------------------------------------------------


def filter_clauses(filters: Filters) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for facet in FACETS:
        values = filters.matching_values(facet.param)
        if values:
            clauses.append({"terms": {facet.field: list(values)}})
    if filters.salary_min is not None or filters.salary_max is not None:
        bounds: dict[str, int] = {}
        if filters.salary_min is not None:
            bounds["gte"] = filters.salary_min
        if filters.salary_max is not None:
            bounds["lte"] = filters.salary_max
        clauses.append({"range": {"mid_salary": bounds}})
    # subjects is analysed text: a phrase match drops "Mathematics" and also "Business
    # Mathematics", which a student saying "without maths" does not want either.
    excluded: list[dict[str, Any]] = [
        {"match_phrase": {"subjects": subject}} for subject in filters.excluded_subjects
    ]
    if filters.excluded_exams:
        excluded.append({"terms": {"exam_ids": list(filters.excluded_exams)}})
    if excluded:
        clauses.append({"bool": {"must_not": excluded}})
    if filters.also is not None:
        clauses.extend(filter_clauses(filters.also))
    return clauses


def facet_aggregations(filters: Filters) -> dict[str, Any]:
    """One filter aggregation per facet, holding every filter except the facet's own.

    That gives multi-select counts (choosing "Medicine" does not hide the other categories'
    counts) and, as the filter's doc_count, how many results dropping that facet would give.
    """
    aggs: dict[str, Any] = {
        "all_filters": {"filter": {"bool": {"filter": filter_clauses(filters)}}},
    }
    for facet in FACETS:
        aggs[f"facet_{facet.param}"] = {
            "filter": {"bool": {"filter": filter_clauses(filters.without(facet.param))}},
            "aggs": {"values": {"terms": {"field": facet.field, "size": 200}}},
        }
    ranges = []
    for band in SALARY_BANDS:
        r: dict[str, Any] = {"key": band.label}
        if band.low is not None:
            r["from"] = band.low
        if band.high is not None:
            r["to"] = band.high
        ranges.append(r)
    aggs["facet_salary"] = {
        "filter": {"bool": {"filter": filter_clauses(filters.without(SALARY))}},
        "aggs": {"values": {"range": {"field": "mid_salary", "ranges": ranges}}},
    }
    return aggs


def read_facet_aggregations(
    aggs: Mapping[str, Any],
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int], int]:
    """-> (facets for the response, count without each filter, count with all filters)."""
    facets: dict[str, list[dict[str, Any]]] = {}
    without: dict[str, int] = {}
    for facet in FACETS:
        agg = aggs[f"facet_{facet.param}"]
        without[facet.param] = int(agg["doc_count"])
        counts = {b["key"]: int(b["doc_count"]) for b in agg["values"]["buckets"]}
        facets[facet.param] = ordered_counts(facet, counts)
    salary = aggs["facet_salary"]
    without[SALARY] = int(salary["doc_count"])
    facets["salary_band"] = band_counts(
        {b["key"]: int(b["doc_count"]) for b in salary["values"]["buckets"]}
    )
    return facets, without, int(aggs["all_filters"]["doc_count"])


def ordered_counts(facet: Facet, counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """Fixed vocabularies keep their natural order (Low, Medium, High); others by count."""
    if facet.values is not None:
        return [{"value": v, "count": counts.get(v, 0)} for v in facet.values if counts.get(v, 0)]
    return [
        {"value": v, "count": c}
        for v, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if c
    ]


def band_counts(counts: Mapping[str, int]) -> list[dict[str, Any]]:
    return [
        {"value": b.label, "count": counts.get(b.label, 0), "min": b.low, "max": b.high}
        for b in SALARY_BANDS
    ]


# ---- the same semantics in Python, for the Postgres fallback ------------------------


def row_matches(row: Mapping[str, Any], filters: Filters) -> bool:
    for facet in FACETS:
        wanted = filters.matching_values(facet.param)
        if not wanted:
            continue
        value = row[facet.field]
        have = set(value) if isinstance(value, list | tuple) else {value}
        if not have.intersection(wanted):
            return False
    mid = int(row["mid_salary"])
    if filters.salary_min is not None and mid < filters.salary_min:
        return False
    if filters.salary_max is not None and mid > filters.salary_max:
        return False
    if filters.excluded_subjects and any(
        excluded.casefold() in subject.casefold()
        for excluded in filters.excluded_subjects
        for subject in row.get("subjects") or ()
    ):
        return False
    if set(filters.excluded_exams).intersection(
        row.get("exam_ids") or row.get("entrance_exams") or ()
    ):
        return False
    return filters.also is None or row_matches(row, filters.also)


def count_facets(
    rows: Sequence[Mapping[str, Any]], filters: Filters
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, int], int]:
    facets: dict[str, list[dict[str, Any]]] = {}
    without: dict[str, int] = {}
    for facet in FACETS:
        subset = [r for r in rows if row_matches(r, filters.without(facet.param))]
        without[facet.param] = len(subset)
        counts: dict[str, int] = {}
        for row in subset:
            value = row[facet.field]
            for v in value if isinstance(value, list | tuple) else [value]:
                counts[v] = counts.get(v, 0) + 1
        facets[facet.param] = ordered_counts(facet, counts)
    subset = [r for r in rows if row_matches(r, filters.without(SALARY))]
    without[SALARY] = len(subset)
    bands: dict[str, int] = {}
    for row in subset:
        mid = int(row["mid_salary"])
        for band in SALARY_BANDS:
            if (band.low is None or mid >= band.low) and (band.high is None or mid < band.high):
                bands[band.label] = bands.get(band.label, 0) + 1
    facets["salary_band"] = band_counts(bands)
    total = sum(1 for r in rows if row_matches(r, filters))
    return facets, without, total
