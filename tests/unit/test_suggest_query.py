"""Suggestion ranking and the alias shown beside a name (pure parts of suggest_query)."""

from __future__ import annotations

from typing import Any

from search_api.search.index import CareerHit, IndexedCareer, SearchResponse
from search_api.search.suggest_query import (
    matched_label,
    prefix_similarity,
    read_suggestions,
    suggest_query,
)


def hit(cid: str, name: str, aliases: list[str], **extra: Any) -> CareerHit:
    source = {
        "id": cid,
        "name": name,
        "aliases": aliases,
        "category": "X",
        "description": "-",
        "stress_level": "Low",
        "work_life_balance": "Good",
        "job_outlook": "Stable",
        "remote_work": "None",
        "entry_salary": 300_000,
        "mid_salary": 600_000,
        "senior_salary": 900_000,
        **extra,
    }
    return CareerHit(cid, 1.0, IndexedCareer.from_source(source), {})


def response(*hits: CareerHit) -> SearchResponse:
    return SearchResponse(len(hits), list(hits), {})


def test_matched_label_names_the_alias_only_when_it_fits_better() -> None:
    assert matched_label("doc", "Doctor (MBBS)", ["MBBS", "chikitsak"]) is None
    assert matched_label("chikit", "Doctor (MBBS)", ["MBBS", "chikitsak"]) == "chikitsak"
    assert matched_label("shalya", "General Surgeon", ["shalya chikitsak"]) == "shalya chikitsak"
    # a typo of the name is still the name, not a short alias that contains part of it
    assert matched_label("pharmasist", "Pharmacist", ["BPharm", "D.Pharm"]) is None
    assert matched_label("", "Pharmacist", ["BPharm"]) is None


def test_prefix_similarity_looks_at_word_starts() -> None:
    assert prefix_similarity("chikit", "shalya chikitsak") == 100.0
    assert prefix_similarity("docter", "ayurvedic doctor") > 80
    assert prefix_similarity("docter", "ayurvedic doctor", first_word_only=True) < 50


def test_exact_alias_then_name_prefixes_then_typos_then_the_rest() -> None:
    response_ = response(
        hit("cardiologist", "Cardiologist", []),
        hit("ayurvedic-doctor", "Ayurvedic Doctor", []),
        hit("carpenter", "Carpenter", []),
        hit("chartered-accountant", "Chartered Accountant", ["CA"]),
        hit("cabin-crew", "Cabin Crew", [], hindi_name="केबिन क्रू"),
    )
    ranked = read_suggestions(response_, "ca", 4)
    # the exact alias first; then names starting with "ca", shorter first; cut to size
    assert [s.id for s in ranked] == [
        "chartered-accountant",
        "carpenter",
        "cabin-crew",
        "cardiologist",
    ]
    assert ranked[0].matched == "CA"
    assert ranked[2].hindi_name == "केबिन क्रू"
    assert ranked[1].hindi_name is None


def test_a_typo_at_the_start_beats_a_typo_in_a_later_word() -> None:
    response_ = response(
        hit("ayurvedic-doctor", "Ayurvedic Doctor", []),
        hit("doctor-mbbs", "Doctor (MBBS)", ["MBBS"]),
    )
    assert next(s.id for s in read_suggestions(response_, "docter", 5)) == "doctor-mbbs"


def test_query_searches_names_and_aliases_only_and_passes_text_as_match_text() -> None:
    body = suggest_query('doc"}', 6)
    should = body["query"]["bool"]["should"]
    fields = {f for clause in should[:2] for f in clause["multi_match"]["fields"]}
    assert fields == {"name.autocomplete^3", "aliases.autocomplete^2"}
    assert should[1]["multi_match"]["fuzziness"] == "AUTO:4,7"
    assert all('doc"}' in str(c) for c in should)
    assert body["size"] == 6
