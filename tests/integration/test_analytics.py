"""Interactions are written in the background, aggregated into the analytics answers, carry
no email or name, and go with the account."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from opensearchpy import AsyncOpenSearch
from sqlalchemy import Engine, text

from search_api.analytics.repository import AnalyticsRepository
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.auth import Account, admin_headers, new_account
from tests.fixtures.catalogue import write_catalogue
from tests.fixtures.database import sessionmaker_for
from tests.fixtures.indexing import load_and_index

SESSION = {"X-Session-ID": "visit-" + uuid.uuid4().hex[:12]}


@pytest.fixture
async def app(
    settings: Settings,
    index_name: str,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    tmp_path: Path,
) -> AsyncIterator[tuple[httpx.AsyncClient, Settings]]:
    settings = settings.model_copy(update={"opensearch_alias": index_name})
    async with sessionmaker_for(settings.database_url) as sessionmaker:
        await load_and_index(
            sessionmaker,
            async_opensearch,
            embedder,
            settings,
            write_catalogue(tmp_path),
            index_name,
        )
    async with api_client(settings) as api:
        yield api, settings


def rows(engine: Engine, sql: str, **params: Any) -> list[Any]:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


async def wait_for(engine: Engine, count: int, where: str = "true", **params: Any) -> None:
    """The writer flushes in the background: wait (a few seconds at most) for the rows."""
    for _ in range(100):
        found = rows(engine, f"SELECT count(*) FROM user_interactions WHERE {where}", **params)
        if found[0][0] >= count:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"fewer than {count} interaction rows after 10 s")


async def browse_as(api: httpx.AsyncClient, headers: dict[str, str]) -> None:
    search = await api.get(
        "/api/v1/careers/search",
        params={"q": "engineer", "profile_stream": "PCM"},
        headers=headers,
    )
    assert search.status_code == 200
    for career in ("civil-engineer", "mechanical-engineer"):
        assert (await api.get(f"/api/v1/careers/{career}", headers=headers)).status_code == 200
    compare = await api.get(
        "/api/v1/careers/compare", params={"ids": "civil-engineer,doctor-mbbs"}, headers=headers
    )
    assert compare.status_code == 200
    click = await api.post(
        "/api/v1/interactions",
        json={"career_id": "civil-engineer", "query": "Engineer ", "position": 1},
        headers=headers,
    )
    assert click.status_code == 202


async def test_interactions_are_recorded_without_names_and_aggregated(
    app: tuple[httpx.AsyncClient, Settings], db_engine: Engine
) -> None:
    api, settings = app
    student = await new_account(api, name="Zoya Khan")
    await api.put(
        "/api/v1/users/profile", json={"grade": 12, "stream": "PCMB"}, headers=student.headers
    )
    await browse_as(api, SESSION)
    await browse_as(api, student.headers)
    await wait_for(db_engine, 12)

    recorded = rows(db_engine, "SELECT * FROM user_interactions ORDER BY id")
    columns = set(recorded[0]._mapping)
    assert not columns & {"email", "name", "display_name", "email_hash"}
    assert "Zoya" not in str(recorded)
    assert student.email not in str(recorded)
    kinds = sorted(r.kind for r in recorded)
    assert kinds == sorted(["search", "view", "view", "compare", "compare", "click"] * 2)
    anonymous = [r for r in recorded if r.user_id is None]
    assert {r.session_id for r in anonymous} == {SESSION["X-Session-ID"]}
    mine = [r for r in recorded if r.user_id is not None]
    assert {str(r.user_id) for r in mine} == {student.user_id}
    assert len({r.session_id for r in mine}) == 1  # the sign-in's session
    # the saved profile's stream, except where the search overrode it inline
    assert {r.stream for r in mine if r.kind != "search"} == {"PCMB"}
    assert [r.stream for r in mine if r.kind == "search"] == ["PCM"]
    search = next(r for r in anonymous if r.kind == "search")
    assert search.stream == "PCM"  # from the inline profile
    assert search.payload["result_ids"][0] in {"civil-engineer", "mechanical-engineer"}
    assert search.payload["personalised"] is True

    popular = (await api.get("/api/v1/analytics/careers/popular", params={"period": "7d"})).json()
    top = {c["id"]: c for c in popular["data"]["careers"]}
    assert top["civil-engineer"]["views"] == 2
    assert top["civil-engineer"]["clicks"] == 2
    assert top["civil-engineer"]["compares"] == 2
    assert top["civil-engineer"]["interest"] == 6
    assert popular["data"]["careers"][0]["id"] == "civil-engineer"
    pcmb = await api.get("/api/v1/analytics/careers/popular", params={"stream": "PCMB"})
    assert {c["id"]: c["views"] for c in pcmb.json()["data"]["careers"]}["civil-engineer"] == 1

    trend = (
        await api.get("/api/v1/analytics/trends", params={"career_id": "civil-engineer", "days": 7})
    ).json()["data"]
    assert len(trend["buckets"]) == 7
    assert trend["buckets"][-1]["views"] == 2
    assert sum(b["views"] for b in trend["buckets"][:-1]) == 0
    category = await api.get("/api/v1/analytics/trends", params={"category": "Engineering"})
    assert category.json()["data"]["buckets"][-1]["views"] == 4  # civil + mechanical, twice

    admin = admin_headers(settings.database_url)
    insights = (await api.get("/api/v1/analytics/insights/civil-engineer", headers=admin)).json()[
        "data"
    ]
    assert (insights["views"], insights["clicks"], insights["compares"]) == (2, 2, 2)
    assert insights["leading_queries"] == [{"query": "engineer", "clicks": 2}]
    assert insights["co_viewed"][0] == {
        "id": "mechanical-engineer",
        "name": "Mechanical Engineer",
        "sessions": 2,
    }
    mix = {m["stream"]: m["views"] for m in insights["stream_mix"]}
    assert mix == {"PCMB": 2, "": 2}
    assert sum(m["share"] for m in insights["stream_mix"]) == pytest.approx(1.0)


async def test_rollups_rebuilt_from_raw_rows_equal_the_writers(
    app: tuple[httpx.AsyncClient, Settings], db_engine: Engine
) -> None:
    api, settings = app
    await browse_as(api, SESSION)
    await api.post(
        "/api/v1/recommendations", json={"grade": 12, "stream": "PCM", "limit": 3}, headers=SESSION
    )
    await wait_for(db_engine, 7)
    tables = (
        "career_daily_stats",
        "career_monthly_stats",
        "category_daily_stats",
        "career_query_daily_stats",
        "career_pair_monthly_stats",
    )
    written = {t: sorted(map(tuple, rows(db_engine, f"SELECT * FROM {t}"))) for t in tables}
    assert written["career_daily_stats"]
    assert any(r[-2] > 0 for r in written["career_daily_stats"])  # recommended counted
    assert written["career_pair_monthly_stats"]
    async with sessionmaker_for(settings.database_url) as sessionmaker:
        async with sessionmaker() as session, session.begin():
            await AnalyticsRepository(session).rebuild_rollups()
    rebuilt = {t: sorted(map(tuple, rows(db_engine, f"SELECT * FROM {t}"))) for t in tables}
    assert rebuilt == written


async def test_delete_me_removes_the_students_interactions(
    app: tuple[httpx.AsyncClient, Settings], db_engine: Engine
) -> None:
    api, _ = app
    student: Account = await new_account(api)
    other: Account = await new_account(api)
    await browse_as(api, student.headers)
    await browse_as(api, other.headers)
    await wait_for(db_engine, 12)
    deleted = await api.delete("/api/v1/users/me", headers=student.headers)
    assert deleted.status_code == 200
    assert (
        rows(
            db_engine,
            "SELECT count(*) FROM user_interactions WHERE user_id = :id",
            id=student.user_id,
        )[0][0]
        == 0
    )
    assert (
        rows(
            db_engine,
            "SELECT count(*) FROM user_interactions WHERE user_id = :id",
            id=other.user_id,
        )[0][0]
        == 6
    )


async def test_a_broken_writer_never_fails_a_request(settings: Settings, db_engine: Engine) -> None:
    """The interactions table is gone: requests still answer, the rows are dropped."""
    with db_engine.begin() as conn:
        conn.execute(text("ALTER TABLE user_interactions RENAME TO user_interactions_gone"))
    async with api_client(settings) as api:
        for _ in range(3):
            response = await api.get("/api/v1/categories", headers=SESSION)
            assert response.status_code == 200
            click = await api.post(
                "/api/v1/interactions", json={"career_id": "civil-engineer"}, headers=SESSION
            )
            assert click.status_code == 202
