"""POST /api/v1/recommendations against the real catalogue index."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text

from search_api.core.db import make_sync_engine
from search_api.core.settings import Settings
from search_api.profiles.scoring import WEIGHTS
from tests.fixtures.api import api_client
from tests.fixtures.services import closed_port

URL = "/api/v1/recommendations"
LEVEL = {
    "Low": 0,
    "Medium": 1,
    "High": 2,
    "Rare": 0,
    "Occasional": 1,
    "Frequent": 2,
    "Poor": 0,
    "Moderate": 1,
    "Good": 2,
    "Excellent": 3,
}


def careers_by_id(settings: Settings, ids: list[str]) -> dict[str, Any]:
    engine = make_sync_engine(settings.database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM careers WHERE id = ANY(:ids)"), {"ids": ids})
            return {r.id: r for r in rows}
    finally:
        engine.dispose()


async def recommend(api: httpx.AsyncClient, profile: dict[str, Any]) -> dict[str, Any]:
    response = await api.post(URL, json=profile)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_scores_follow_the_formula_and_explain_themselves(
    catalogue_api: httpx.AsyncClient,
) -> None:
    body = await recommend(
        catalogue_api,
        {
            "grade": 12,
            "stream": "PCB",
            "interests": ["biology", "animals", "helping people"],
            "skills": ["patience", "observation"],
            "limit": 10,
        },
    )
    recs = body["data"]["recommendations"]
    assert len(recs) == 10
    assert body["data"]["weights"] == dict(WEIGHTS)
    scores = [r["score"] for r in recs]
    assert scores == sorted(scores, reverse=True)
    for rec in recs:
        parts = rec["breakdown"]
        assert all(0.0 <= parts[k] <= 1.0 for k in ("stream", "interest", "skill", "salary"))
        expected = sum(WEIGHTS[k] * parts[k] for k in WEIGHTS)
        assert rec["score"] == pytest.approx(expected, abs=1e-3)
        assert rec["reasons"]
    top_ids = {r["career"]["id"] for r in recs}
    assert "veterinarian" in top_ids
    vet = next(r for r in recs if r["career"]["id"] == "veterinarian")
    assert any(reason.startswith("You enjoy animals") for reason in vet["reasons"])


async def test_hard_constraints_are_never_broken(
    catalogue_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    profile = {
        "grade": 11,
        "stream": "Commerce",
        "interests": ["numbers", "money", "business"],
        "skills": ["maths"],
        "salary_min": 800000,
        "work_preferences": {
            "remote": True,
            "max_stress": "Medium",
            "min_work_life_balance": "Moderate",
            "max_travel": "Occasional",
        },
        "limit": 50,
    }
    recs = (await recommend(catalogue_api, profile))["data"]["recommendations"]
    assert recs
    rows = careers_by_id(catalogue_settings, [r["career"]["id"] for r in recs])
    for rec in recs:
        row = rows[rec["career"]["id"]]
        assert "Commerce" in row.streams
        assert row.mid_salary >= 800000
        assert row.remote_work in {"Partial", "Full"}
        assert LEVEL[row.stress_level] <= LEVEL["Medium"]
        assert LEVEL[row.work_life_balance] >= LEVEL["Moderate"]
        assert LEVEL[row.travel_required] <= LEVEL["Occasional"]


async def test_pcmb_gets_both_sides(catalogue_api: httpx.AsyncClient) -> None:
    maths = await recommend(
        catalogue_api,
        {"grade": 12, "stream": "PCMB", "interests": ["coding", "computers"], "limit": 5},
    )
    bio = await recommend(
        catalogue_api,
        {"grade": 12, "stream": "PCMB", "interests": ["medicine", "treating patients"], "limit": 5},
    )
    assert {r["career"]["category"] for r in maths["data"]["recommendations"]} & {
        "Technology",
        "Engineering",
    }
    assert {r["career"]["category"] for r in bio["data"]["recommendations"]} & {
        "Medicine",
        "Allied Health",
        "Nursing",
    }


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"grade": 10, "stream": "PCM"}, "grade"),
        ({"grade": 11, "stream": "Science"}, "stream"),
        ({"grade": 11, "stream": "PCM", "interests": [f"i{n}" for n in range(21)]}, "interests"),
        ({"grade": 11, "stream": "PCM", "salary_min": 900000, "salary_max": 100}, "body"),
        (
            {"grade": 11, "stream": "PCM", "work_preferences": {"max_stress": "None"}},
            "work_preferences.max_stress",
        ),
        ({"stream": "PCM"}, "grade"),
    ],
)
async def test_invalid_profile_is_422(
    catalogue_api: httpx.AsyncClient, profile: dict[str, Any], field: str
) -> None:
    response = await catalogue_api.post(URL, json=profile)
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert field in {d["field"] for d in body["error"]["details"]}


async def test_repeat_is_cached(catalogue_api: httpx.AsyncClient) -> None:
    profile = {
        "grade": 12,
        "stream": "Humanities",
        "interests": ["history", "writing", "debate"],
        "limit": 3,
    }
    first = await recommend(catalogue_api, profile)
    second = await recommend(catalogue_api, profile)
    assert second["meta"]["cached"] is True
    assert second["data"] == first["data"]


async def test_search_engine_down_is_degraded_from_postgres(catalogue_settings: Settings) -> None:
    """The same formula over the PostgreSQL catalogue (no semantic part), flagged degraded."""
    down = catalogue_settings.model_copy(
        update={"opensearch_url": f"http://127.0.0.1:{closed_port()}"}
    )
    async with api_client(down) as api:
        response = await api.post(URL, json={"grade": 12, "stream": "PCM", "interests": ["coding"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["meta"]["degraded"] is True
    assert body["data"]["recommendations"]


async def test_search_engine_and_postgres_down_is_503(catalogue_settings: Settings) -> None:
    down = catalogue_settings.model_copy(
        update={
            "opensearch_url": f"http://127.0.0.1:{closed_port()}",
            "database_url": f"postgresql+psycopg://careers:x@127.0.0.1:{closed_port()}/careers",
        }
    )
    async with api_client(down) as api:
        response = await api.post(URL, json={"grade": 12, "stream": "PCM", "interests": ["coding"]})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SEARCH_UNAVAILABLE"
