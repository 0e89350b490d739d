"""Search that understands q (search/planning.py over search/understanding.py), on the real
catalogue in its own index: understood constraints applied and undoable, relaxation, Hindi
and Hinglish queries, acronyms never fuzzy, hindi_name in results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from search_api.core.settings import Settings
from search_api.pages.strings import LANG_COOKIE
from search_api.search.evaluation import read_career_rows
from tests.integration.test_search import SEARCH, get


@pytest.fixture(scope="module")
def careers(catalogue_settings: Settings) -> dict[str, dict[str, Any]]:
    return read_career_rows(Path(catalogue_settings.data_dir))


def constraint(data: dict[str, Any], key: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [c for c in data["understood"]["constraints"] if c["key"] == key]
    assert found, data["understood"]
    return found[0]


async def test_understood_constraints_filter_every_result(
    catalogue_api: httpx.AsyncClient, careers: dict[str, dict[str, Any]]
) -> None:
    data = (await get(catalogue_api, q="12th commerce without maths", size=50))["data"]
    assert constraint(data, "stream")["applied"] == "filter"
    assert constraint(data, "excluded_subject:Mathematics")["words"] == "without maths"
    assert data["total"] > 0
    for r in data["results"]:
        row = careers[r["id"]]
        assert "Commerce" in row["streams"], r["id"]
        assert "Mathematics" not in row["subjects"], r["id"]


async def test_salary_floor_and_remote_are_filters(
    catalogue_api: httpx.AsyncClient, careers: dict[str, dict[str, Any]]
) -> None:
    data = (await get(catalogue_api, q="work from home jobs above 8 lakh", size=50))["data"]
    assert constraint(data, "salary_min")["value"] == 800_000
    assert data["results"]
    for r in data["results"]:
        assert r["mid_salary"] >= 800_000, r["id"]
        assert r["remote_work"] in ("Partial", "Full"), r["id"]


async def test_a_ruled_out_career_comes_last_until_undone(
    catalogue_api: httpx.AsyncClient,
) -> None:
    q = "want to work in a hospital but not as a doctor"
    data = (await get(catalogue_api, q=q, size=50))["data"]
    chips = [c for c in data["understood"]["constraints"] if c["kind"] == "excluded_career"]
    assert [(c["label"], c["applied"]) for c in chips] == [("not: Doctor (MBBS)", "boost")]
    ids = [r["id"] for r in data["results"]]
    assert ids
    # it led this search before; ranked last now, under every career not ruled out
    assert "doctor-mbbs" not in ids[:10]
    undone = (await get(catalogue_api, q=q, ignore=chips[0]["key"], size=50))["data"]
    undone_ids = [r["id"] for r in undone["results"]]
    assert "doctor-mbbs" in undone_ids[:5]


async def test_understand_false_searches_the_words(catalogue_api: httpx.AsyncClient) -> None:
    understood = (await get(catalogue_api, q="commerce without maths", size=50))["data"]
    plain = (await get(catalogue_api, q="commerce without maths", understand="false", size=50))[
        "data"
    ]
    assert "understood" not in plain
    assert plain["total"] != understood["total"]


async def test_ignore_drops_one_constraint(
    catalogue_api: httpx.AsyncClient, careers: dict[str, dict[str, Any]]
) -> None:
    q = "12th commerce without maths"
    data = (await get(catalogue_api, q=q, ignore="excluded_subject:Mathematics", size=50))["data"]
    keys = [c["key"] for c in data["understood"]["constraints"]]
    assert "excluded_subject:Mathematics" not in keys
    assert "stream" in keys
    assert any("Mathematics" in careers[r["id"]]["subjects"] for r in data["results"])


async def test_explicit_facets_survive_with_understood_ones(
    catalogue_api: httpx.AsyncClient,
) -> None:
    data = (await get(catalogue_api, q="low stress jobs", category="Medicine", size=50))["data"]
    assert data["results"]
    assert {r["category"] for r in data["results"]} == {"Medicine"}
    assert {r["stress_level"] for r in data["results"]} == {"Low"}


async def test_a_constraint_that_leaves_nothing_is_relaxed_and_said(
    catalogue_api: httpx.AsyncClient,
) -> None:
    # An explicit salary ceiling and an understood floor above it: nothing has both.
    data = (await get(catalogue_api, q="jobs above 20 lakh", salary_max=500_000, size=50))["data"]
    understood = data["understood"]
    assert data["total"] > 0
    assert understood["relaxed"] == ["salary_min"]
    assert constraint(data, "salary_min")["applied"] == "relaxed"
    assert "relaxed" in understood["message"]
    # the explicit parameter is never the one relaxed
    assert all(r["mid_salary"] <= 500_000 for r in data["results"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("डॉक्टर", "doctor-mbbs"),
        ("वकील", "lawyer"),
        ("अध्यापक", "school-teacher"),
        ("daktar", "doctor-mbbs"),
        ("vakeel", "lawyer"),
        ("docter", "doctor-mbbs"),
        ("charterd acountant", "chartered-accountant"),
    ],
)
async def test_hindi_hinglish_and_typos_reach_the_career(
    catalogue_api: httpx.AsyncClient, q: str, expected: str
) -> None:
    data = (await get(catalogue_api, q=q, size=5))["data"]
    assert data["results"][0]["id"] == expected, [r["id"] for r in data["results"]]


async def test_engineer_in_devanagari_reaches_engineers(catalogue_api: httpx.AsyncClient) -> None:
    for q in ("इंजीनियर", "injiniyar"):
        data = (await get(catalogue_api, q=q, size=5))["data"]
        assert any(r["id"].endswith("engineer") for r in data["results"]), q


async def test_results_carry_the_hindi_name(
    catalogue_api: httpx.AsyncClient, careers: dict[str, dict[str, Any]]
) -> None:
    data = (await get(catalogue_api, q="lawyer", size=3))["data"]
    top = data["results"][0]
    assert top["hindi_name"] == careers[top["id"]]["hindi_name"] != ""
    detail = await catalogue_api.get(f"/api/v1/careers/{top['id']}")
    assert detail.json()["data"]["hindi_name"] == top["hindi_name"]


@pytest.mark.parametrize(
    ("q", "expected"), [("CA", "chartered-accountant"), ("IAS", "ias-officer")]
)
async def test_acronyms_are_never_fuzzy_prefixes(
    catalogue_api: httpx.AsyncClient, q: str, expected: str
) -> None:
    data = (await get(catalogue_api, q=q, size=20))["data"]
    assert data["results"][0]["id"] == expected
    # A text match on "CA" as a prefix or one edit away would be Cabin Crew, Cardiologist,
    # Cartographer: no career found by the BM25 leg may have a name word that merely starts so.
    word = q.casefold()
    for r in data["results"]:
        if "bm25" not in r["matched_by"]:
            continue
        names = r["name"].casefold().replace("(", " ").replace(")", " ").split()
        assert not any(w.startswith(word) and w != word for w in names), r["name"]


async def test_understood_is_in_openapi(catalogue_api: httpx.AsyncClient) -> None:
    spec = (await catalogue_api.get("/openapi.json")).json()
    params = {p["name"] for p in spec["paths"][SEARCH]["get"]["parameters"]}
    assert {"understand", "ignore"} <= params
    assert "Understood" in spec["components"]["schemas"]


async def test_explore_shows_understood_chips_that_remove_them(
    catalogue_api: httpx.AsyncClient,
) -> None:
    q = "commerce without maths"
    html = (await catalogue_api.get("/explore", params={"q": q})).text
    assert "excluded subject: Mathematics" in html
    assert "ignore=excluded_subject%3AMathematics" in html
    assert "understand=false" in html
    undone = await catalogue_api.get(
        "/explore", params={"q": q, "ignore": "excluded_subject:Mathematics"}
    )
    assert "excluded subject: Mathematics" not in undone.text
    assert "stream: Commerce" in undone.text
    catalogue_api.cookies.set(LANG_COOKIE, "hi")
    try:
        hindi = await catalogue_api.get("/explore", params={"q": q})
    finally:
        catalogue_api.cookies.delete(LANG_COOKIE)
    assert "हमने समझा" in hindi.text
