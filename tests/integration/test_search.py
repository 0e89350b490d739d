"""Career search over the real catalogue: facets against Postgres, filters, bad input,
fallback, caching, zero results and did-you-mean."""

from __future__ import annotations

import re
import socket
import uuid
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import yaml
from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import text

from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from search_api.search.facets import Filters, filter_clauses
from search_api.search.query import dense_leg
from search_api.search.service import DEFAULT_FUSION
from tests.fixtures.api import api_client
from tests.fixtures.database import sessionmaker_for
from tests.fixtures.indexing import build_index
from tests.fixtures.services import closed_port

SEARCH = "/api/v1/careers/search"
ROOT = Path(__file__).resolve().parents[2]


def pg_counts(
    settings: Settings, column: str, where: str = "true", params: dict[str, Any] | None = None
) -> dict[str, int]:
    """Counts straight from Postgres, written independently of the service's facet code."""
    engine = make_sync_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            if column == "streams":
                sql = (
                    "SELECT s, count(*) FROM careers, jsonb_array_elements_text(streams) s "
                    f"WHERE {where} GROUP BY s"
                )
            elif column == "exam":
                sql = (
                    "SELECT e, count(*) FROM careers, jsonb_array_elements_text(entrance_exams) e "
                    f"WHERE {where} GROUP BY e"
                )
            else:
                sql = f"SELECT {column}, count(*) FROM careers WHERE {where} GROUP BY {column}"
            return {str(k): int(v) for k, v in conn.execute(text(sql), params or {}).all()}
    finally:
        engine.dispose()


def pg_total(settings: Settings, where: str = "true") -> int:
    engine = make_sync_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(text(f"SELECT count(*) FROM careers WHERE {where}")).scalar_one()
            )
    finally:
        engine.dispose()


def facet_dict(data: dict[str, Any], name: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in data["facets"][name]}


async def get(api: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await api.get(SEARCH, params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_browse_facets_equal_postgres_counts(
    catalogue_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    data = (await get(catalogue_api))["data"]
    assert data["total"] == pg_total(catalogue_settings)
    for facet, column in [
        ("category", "category"),
        ("stress_level", "stress_level"),
        ("job_outlook", "job_outlook"),
        ("remote_work", "remote_work"),
        ("travel_required", "travel_required"),
        ("stream", "streams"),
        ("exam", "exam"),
    ]:
        assert facet_dict(data, facet) == pg_counts(catalogue_settings, column), facet


async def test_filtered_facets_equal_postgres_counts(
    catalogue_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    data = (await get(catalogue_api, stream="Commerce", stress_level="Low"))["data"]
    where = "streams ? 'Commerce' AND stress_level = 'Low'"
    assert data["total"] == pg_total(catalogue_settings, where)
    assert facet_dict(data, "category") == pg_counts(catalogue_settings, "category", where)
    # multi-select: the stress facet is counted without its own selection
    assert facet_dict(data, "stress_level") == pg_counts(
        catalogue_settings, "stress_level", "streams ? 'Commerce'"
    )
    bands = {b["value"]: b["count"] for b in data["facets"]["salary_band"]}
    engine = make_sync_engine(catalogue_settings.database_url)
    with engine.connect() as conn:
        expected = conn.execute(
            text(
                f"SELECT count(*) FROM careers WHERE {where} "
                "AND mid_salary >= 600000 AND mid_salary < 1000000"
            )
        ).scalar_one()
    engine.dispose()
    assert bands["6-10 lakh"] == expected


async def test_multi_select_within_a_facet_is_or(catalogue_api: httpx.AsyncClient) -> None:
    law = (await get(catalogue_api, category="Law"))["data"]["total"]
    medicine = (await get(catalogue_api, category="Medicine"))["data"]["total"]
    both = (await get(catalogue_api, category=["Law", "Medicine"], size=50))["data"]
    assert both["total"] == law + medicine
    assert {r["category"] for r in both["results"]} == {"Law", "Medicine"}
    assert facet_dict(both, "category")["Design"] > 0  # other categories keep their counts


async def test_pcmb_sees_pcm_and_pcb_careers(
    catalogue_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    pcmb = (await get(catalogue_api, stream="PCMB", size=50))["data"]
    where = "streams ?| array['PCM', 'PCB', 'PCMB']"
    assert pcmb["total"] == pg_total(catalogue_settings, where)
    engineering = (await get(catalogue_api, stream="PCMB", q="software engineer"))["data"]
    medicine = (await get(catalogue_api, stream="PCMB", q="doctor"))["data"]
    assert engineering["results"][0]["id"] == "software-engineer"
    assert medicine["results"][0]["id"] == "doctor-mbbs"
    pcb = (await get(catalogue_api, stream="PCB", q="software engineer", size=50))["data"]
    assert "software-engineer" not in {r["id"] for r in pcb["results"]}


async def test_typos_abbreviations_and_phrases(catalogue_api: httpx.AsyncClient) -> None:
    cases = {
        "buisness analyst": "business-analyst",
        "BSc nursing": "nurse",
        "CA": "chartered-accountant",
        "chikitsak": "doctor-mbbs",
        "vakeel": "lawyer",
    }
    for q, expected in cases.items():
        data = (await get(catalogue_api, q=q, size=5))["data"]
        assert expected in [r["id"] for r in data["results"]], q
    puzzles = (await get(catalogue_api, q="I enjoy solving puzzles", size=5))["data"]
    assert "dense" in {leg for r in puzzles["results"] for leg in r["matched_by"]}


async def test_a_sentence_of_a_description_finds_its_career(
    catalogue_api: httpx.AsyncClient,
) -> None:
    """Every 15th career's second sentence (the first that fits a query), its name's words
    taken out, puts that career in the top 3: the description clause of sentence queries
    (query.sentence_query; without it "They work in the Reserve Bank of India, ministries
    ..." found three bank officers and not the Economist)."""
    rows = [
        row
        for path in sorted((ROOT / "data" / "careers").glob("*.yaml"))
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))
    ]
    missed = []
    for row in sorted(rows, key=lambda r: str(r["id"]))[::15]:
        name_words = {w.lower() for w in re.findall(r"[A-Za-z]+", row["name"])}
        sentences = re.split(r"(?<=\.)\s+", row["description"].strip())
        for sentence in [s for s in sentences[1:] if len(s) < 190][:1]:
            words = [
                w for w in sentence.split() if re.sub(r"[^a-z]", "", w.lower()) not in name_words
            ]
            data = (await get(catalogue_api, q=" ".join(words), size=3))["data"]
            if row["id"] not in [r["id"] for r in data["results"]]:
                missed.append((row["id"], sentence))
    assert missed == []


@pytest.mark.parametrize("q", ["I love animals", "nurce", "astronmer", "chikitsak"])
@pytest.mark.parametrize("streams", [(), ("PCB",)])
def test_dense_leg_finds_every_close_career(
    catalogue_settings: Settings,
    opensearch: OpenSearch,
    embedder: Embedder,
    q: str,
    streams: tuple[str, ...],
) -> None:
    """The dense leg returns every career within its threshold of the query, by cosine computed
    here from the stored vectors, under its filters. Lucene's radial k-NN search found none of
    them for these queries when its graph walk started far from the query."""
    index = catalogue_settings.opensearch_alias
    eligible = Filters({"stream": streams})
    hits = opensearch.search(
        index=index,
        body={
            "size": 1000,
            "_source": ["embedding"],
            "query": {"bool": {"filter": filter_clauses(eligible)}},
        },
    )["hits"]["hits"]
    vector = embedder.encode_query(q)
    cosines = np.array([h["_source"]["embedding"] for h in hits]) @ np.array(vector)
    threshold = DEFAULT_FUSION.min_cosine
    # a cosine within rounding of the threshold may fall either side
    close = {h["_id"] for h, c in zip(hits, cosines, strict=True) if c >= threshold + 1e-4}
    far = {h["_id"] for h, c in zip(hits, cosines, strict=True) if c < threshold - 1e-4}
    assert close, q
    body = dense_leg(vector, DEFAULT_FUSION.min_score, eligible, 1000)
    found = {h["_id"] for h in opensearch.search(index=index, body=body)["hits"]["hits"]}
    assert (close - found, found & far) == (set(), set())


async def test_salary_range_sort_and_paging(catalogue_api: httpx.AsyncClient) -> None:
    data = (
        await get(
            catalogue_api, salary_min=1000000, salary_max=2000000, sort="salary_desc", size=20
        )
    )["data"]
    mids = [r["mid_salary"] for r in data["results"]]
    assert mids == sorted(mids, reverse=True)
    assert all(1000000 <= m <= 2000000 for m in mids)
    page1 = (await get(catalogue_api, sort="name", size=10, page=1))["data"]["results"]
    page2 = (await get(catalogue_api, sort="name", size=10, page=2))["data"]["results"]
    names = [r["name"] for r in page1 + page2]
    assert names == sorted(names, key=str.casefold)
    assert len(set(names)) == 20


async def test_highlights_and_suggestion(catalogue_api: httpx.AsyncClient) -> None:
    data = (await get(catalogue_api, q="chartered accountant", size=3))["data"]
    assert "<em>" in data["results"][0]["highlights"]["name"][0]
    assert data["suggestion"] is None
    typo = (await get(catalogue_api, q="pharmasist"))["data"]
    assert typo["suggestion"] == "pharmacist"


async def test_zero_results_name_the_filter(catalogue_api: httpx.AsyncClient) -> None:
    data = (await get(catalogue_api, q="pilot", category="Law"))["data"]
    assert data["total"] == 0
    zero = data["zero_results"]
    assert zero["reason"] == "filters"
    assert zero["relaxations"][0]["parameter"] == "category"
    without = (await get(catalogue_api, q="pilot"))["data"]["total"]
    assert zero["relaxations"][0]["results_without_it"] == without > 0
    nothing = (await get(catalogue_api, q="qwxzv zzqj"))["data"]
    assert nothing["total"] == 0
    assert nothing["zero_results"]["reason"] == "query"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"size": 0}, "size"),
        ({"size": 51}, "size"),
        ({"page": 0}, "page"),
        ({"sort": "popular"}, "sort"),
        ({"category": "Astrology"}, "category"),
        ({"stream": "Science"}, "stream.0"),
        ({"q": "x" * 201}, "q"),
        ({"salary_min": 900000, "salary_max": 100000}, "salary_min"),
        ({"salary_min": -5}, "salary_min"),
        ({"exam": "aiims-mbbs"}, "exam"),
    ],
)
async def test_bad_input_is_422_naming_the_parameter(
    catalogue_api: httpx.AsyncClient, params: dict[str, Any], field: str
) -> None:
    response = await catalogue_api.get(SEARCH, params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert field in {d["field"] for d in body["error"]["details"]}


async def test_fallback_to_postgres_when_opensearch_is_down(catalogue_settings: Settings) -> None:
    down = catalogue_settings.model_copy(
        update={"opensearch_url": f"http://127.0.0.1:{closed_port()}"}
    )
    async with api_client(down) as api:
        body = await get(api, q="doctor", stream="PCB")
        assert body["meta"]["degraded"] is True
        data = body["data"]
        assert data["total"] > 0
        assert data["results"][0]["matched_by"] == ["postgres"]
        assert all(set(r["streams"]) & {"PCB"} for r in data["results"])
        assert facet_dict(data, "category")
        browse = await get(api, category="Law")
        assert browse["data"]["total"] == (await get(api, category="Law"))["data"]["total"] > 0


async def test_slow_opensearch_falls_back(catalogue_settings: Settings) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    slow = catalogue_settings.model_copy(
        update={
            "opensearch_url": f"http://127.0.0.1:{server.getsockname()[1]}",
            "search_timeout_seconds": 0.5,
        }
    )
    try:
        async with api_client(slow) as api:
            body = await get(api, q="architect")
        assert body["meta"]["degraded"] is True
        assert body["data"]["results"][0]["id"] == "architect"
    finally:
        server.close()


async def test_both_down_is_503(catalogue_settings: Settings) -> None:
    port = closed_port()
    down = catalogue_settings.model_copy(
        update={
            "opensearch_url": f"http://127.0.0.1:{port}",
            "database_url": f"postgresql+psycopg://careers:careers@127.0.0.1:{port}/careers",
        }
    )
    async with api_client(down) as api:
        response = await api.get(SEARCH, params={"q": "doctor"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SEARCH_UNAVAILABLE"


async def test_cache_hit_then_miss_after_reindex(
    catalogue_api: httpx.AsyncClient,
    catalogue_settings: Settings,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
) -> None:
    q = f"software engineer {uuid.uuid4().hex[:6]}"
    first = await get(catalogue_api, q=q)
    second = await get(catalogue_api, q=q)
    assert first["meta"]["cached"] is False
    assert second["meta"]["cached"] is True
    assert second["data"] == first["data"]
    async with sessionmaker_for(catalogue_settings.database_url) as sessionmaker:
        result = await build_index(
            sessionmaker,
            async_opensearch,
            embedder,
            catalogue_settings,
            catalogue_settings.opensearch_alias,
        )
    third = await get(catalogue_api, q=q)
    assert third["meta"]["cached"] is False
    assert third["meta"]["index"] == result.index != first["meta"]["index"]


async def test_redis_down_never_fails_a_search(catalogue_settings: Settings) -> None:
    broken = catalogue_settings.model_copy(
        update={"redis_url": f"redis://127.0.0.1:{closed_port()}/0"}
    )
    async with api_client(broken) as api:
        body = await get(api, q="nurse")
    assert body["meta"]["cached"] is False
    assert body["data"]["results"][0]["id"] == "nurse"


async def test_compare(catalogue_api: httpx.AsyncClient) -> None:
    response = await catalogue_api.get(
        "/api/v1/careers/compare", params={"ids": "doctor-mbbs,dentist"}
    )
    assert response.status_code == 200
    data = response.json()["data"]
    assert [c["id"] for c in data["careers"]] == ["doctor-mbbs", "dentist"]
    assert "NEET-UG" in data["careers"][0]["exams"]
    assert data["differs"]["mid_salary"] is (
        data["careers"][0]["mid_salary"] != data["careers"][1]["mid_salary"]
    )
    assert data["differs"]["streams"] is False
    missing = await catalogue_api.get(
        "/api/v1/careers/compare", params={"ids": "doctor-mbbs,astronaut"}
    )
    assert missing.status_code == 404
    assert missing.json()["error"]["details"]["unknown"] == ["astronaut"]
    for ids in ("doctor-mbbs", "a,b,c,d,e", "doctor-mbbs,doctor-mbbs", "doctor-mbbs,Bad Id"):
        bad = await catalogue_api.get("/api/v1/careers/compare", params={"ids": ids})
        assert bad.status_code == 422, ids


async def test_postgres_down_search_still_answers(catalogue_settings: Settings) -> None:
    """Postgres only feeds did-you-mean and exam-id checks; OpenSearch answers the search."""
    down = catalogue_settings.model_copy(
        update={"database_url": f"postgresql+psycopg://careers:careers@127.0.0.1:{closed_port()}/x"}
    )
    async with api_client(down) as api:
        body = await get(api, q="pharmasist", exam="bitsat", stream="PCB")
    assert body["meta"]["degraded"] is False
    assert body["data"]["results"][0]["id"] == "pharmacist"
    assert body["data"]["suggestion"] is None
