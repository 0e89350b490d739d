"""/api/v1/agent against the real services: sessions, errors in the envelope, ownership of
conversations and plans, the saved profile seeding the slots, account deletion, streaming."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from search_api.core.db import make_sync_engine
from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.auth import Account, new_account


@pytest.fixture(scope="module")
async def agent_api(catalogue_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(catalogue_settings) as client:
        yield client


async def start(api: httpx.AsyncClient, account: Account | None = None) -> dict[str, Any]:
    response = await api.post("/api/v1/agent/session", headers=account.headers if account else {})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def chat(
    api: httpx.AsyncClient, session_id: str, message: str, account: Account | None = None
) -> httpx.Response:
    return await api.post(
        "/api/v1/agent/chat",
        json={"session_id": session_id, "message": message},
        headers=account.headers if account else {},
    )


def assert_error(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert "requestId" in body["meta"]


async def test_an_anonymous_session_answers(agent_api: httpx.AsyncClient) -> None:
    session = await start(agent_api)
    assert session["signed_in"] is False
    response = await chat(agent_api, session["session_id"], "tell me about software engineer")
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    assert data["intent"] == "career_details"
    assert data["entities"] == {"careers": ["software-engineer"]}
    assert data["careers"] == ["software-engineer"]
    assert data["follow_ups"]


async def test_an_empty_message_is_an_envelope_error(agent_api: httpx.AsyncClient) -> None:
    session = await start(agent_api)
    assert_error(await chat(agent_api, session["session_id"], "   "), 422, "VALIDATION_ERROR")


async def test_a_message_over_2000_characters_is_refused(agent_api: httpx.AsyncClient) -> None:
    session = await start(agent_api)
    response = await chat(agent_api, session["session_id"], "doctor " * 300)
    assert_error(response, 422, "VALIDATION_ERROR")
    assert "2000" in response.json()["error"]["details"][0]["message"]


async def test_an_unknown_session_is_not_found(agent_api: httpx.AsyncClient) -> None:
    assert_error(await chat(agent_api, str(uuid.uuid4()), "hi"), 404, "SESSION_NOT_FOUND")


async def test_an_expired_session_is_gone(
    agent_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    session = await start(agent_api)
    engine = make_sync_engine(catalogue_settings.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE agent_sessions SET expires_at = now() - interval '1 minute' "
                     "WHERE id = :id"),
                {"id": session["session_id"]},
            )  # fmt: skip
    finally:
        engine.dispose()
    # the Redis copy carries the old expiry: drop it so Postgres answers
    from redis.asyncio import Redis

    client = Redis.from_url(catalogue_settings.redis_url)
    await client.delete(f"cc:agent:session:{session['session_id']}")
    await client.aclose()
    assert_error(await chat(agent_api, session["session_id"], "hi"), 410, "SESSION_EXPIRED")


async def test_another_students_conversation_is_not_found(agent_api: httpx.AsyncClient) -> None:
    asha, ravi = await new_account(agent_api), await new_account(agent_api, name="Ravi")
    session = await start(agent_api, asha)
    assert session["signed_in"] is True
    mine = await chat(agent_api, session["session_id"], "hi", asha)
    assert mine.status_code == 200
    assert_error(await chat(agent_api, session["session_id"], "hi", ravi), 404, "SESSION_NOT_FOUND")
    assert_error(await chat(agent_api, session["session_id"], "hi"), 404, "SESSION_NOT_FOUND")


async def test_the_saved_profile_fills_the_slots(agent_api: httpx.AsyncClient) -> None:
    asha = await new_account(agent_api)
    saved = await agent_api.put(
        "/api/v1/users/profile",
        json={"grade": 11, "stream": "PCB", "interests": ["biology"]},
        headers=asha.headers,
    )
    assert saved.status_code == 200, saved.text
    session = await start(agent_api, asha)
    assert session["slots"]["grade"] == 11
    assert session["slots"]["stream"] == "PCB"
    # recommendations need no stream from the message: the profile gave it
    response = await chat(agent_api, session["session_id"], "suggest careers for me", asha)
    data = response.json()["data"]
    assert data["intent"] == "recommend"
    assert data["reply"].startswith("For a PCB student")
    # and a plan needs no grade
    planned = await chat(agent_api, session["session_id"], "make a plan to become a doctor", asha)
    assert planned.json()["data"]["plan_id"] is not None


async def test_streaming_sends_the_reply_as_events(agent_api: httpx.AsyncClient) -> None:
    session = await start(agent_api)
    response = await agent_api.post(
        "/api/v1/agent/chat",
        json={"session_id": session["session_id"], "message": "salary of a pilot", "stream": True},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = [
        (block.split("\n")[0].removeprefix("event: "), json.loads(block.split("\n")[1][6:]))
        for block in response.text.strip().split("\n\n")
    ]
    names = [name for name, _ in events]
    assert names[0] == "meta"
    assert names[-1] == "done"
    assert "delta" in names
    done = events[-1][1]
    streamed = "".join(d["text"] for n, d in events if n == "delta")
    assert streamed.strip() == done["data"]["reply"]
    assert events[0][1]["intent"] == "salary"


async def test_plans_are_dated_stored_and_updated(agent_api: httpx.AsyncClient) -> None:
    asha = await new_account(agent_api)
    created = await agent_api.post(
        "/api/v1/agent/career-plan",
        json={"career_id": "doctor-mbbs", "profile": {"grade": 12, "stream": "PCB"}},
        headers=asha.headers,
    )
    assert created.status_code == 201, created.text
    plan = created.json()["data"]
    dates = [m["target_date"] for m in plan["plan"]["milestones"] if m["target_date"]]
    assert dates == sorted(dates)
    assert min(dates) >= date.today().isoformat()
    detail = (await agent_api.get("/api/v1/careers/doctor-mbbs")).json()["data"]
    assert plan["plan"]["degree"]["duration"] == detail["duration"]
    planned_exams = {m["title"].removeprefix("Sit ") for m in plan["plan"]["milestones"]}
    assert {e["name"] for e in detail["entrance_exams"]} & planned_exams

    milestone = plan["plan"]["milestones"][0]["id"]
    updated = await agent_api.put(
        f"/api/v1/agent/career-plan/{plan['id']}",
        json={"milestones": [{"id": milestone, "status": "done"}]},
        headers=asha.headers,
    )
    assert updated.status_code == 200, updated.text
    read = await agent_api.get(f"/api/v1/agent/career-plan/{plan['id']}", headers=asha.headers)
    assert read.json()["data"]["plan"]["milestones"][0]["status"] == "done"

    bad = await agent_api.put(
        f"/api/v1/agent/career-plan/{plan['id']}",
        json={"milestones": [{"id": "no-such-step", "status": "done"}]},
        headers=asha.headers,
    )
    assert_error(bad, 422, "VALIDATION_ERROR")


async def test_one_student_cannot_read_anothers_plan(agent_api: httpx.AsyncClient) -> None:
    asha, ravi = await new_account(agent_api), await new_account(agent_api, name="Ravi")
    created = await agent_api.post(
        "/api/v1/agent/career-plan",
        json={"career_id": "lawyer", "profile": {"grade": 11}},
        headers=asha.headers,
    )
    plan_id = created.json()["data"]["id"]
    url = f"/api/v1/agent/career-plan/{plan_id}"
    assert_error(await agent_api.get(url, headers=ravi.headers), 404, "PLAN_NOT_FOUND")
    assert_error(await agent_api.get(url), 404, "PLAN_NOT_FOUND")
    put = await agent_api.put(
        url, json={"milestones": [{"id": "class-11", "status": "done"}]}, headers=ravi.headers
    )
    assert_error(put, 404, "PLAN_NOT_FOUND")


async def test_an_anonymous_plan_belongs_to_its_conversation(agent_api: httpx.AsyncClient) -> None:
    session = await start(agent_api)
    refused = await agent_api.post(
        "/api/v1/agent/career-plan", json={"career_id": "lawyer", "profile": {"grade": 12}}
    )
    assert_error(refused, 422, "PLAN_OWNER_REQUIRED")
    created = await agent_api.post(
        "/api/v1/agent/career-plan",
        json={"career_id": "lawyer", "profile": {"grade": 12}, "session_id": session["session_id"]},
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/agent/career-plan/{created.json()['data']['id']}"
    assert (
        await agent_api.get(url, params={"session_id": session["session_id"]})
    ).status_code == 200
    other = await start(agent_api)
    assert_error(
        await agent_api.get(url, params={"session_id": other["session_id"]}), 404, "PLAN_NOT_FOUND"
    )


async def test_an_unknown_career_has_no_plan(agent_api: httpx.AsyncClient) -> None:
    asha = await new_account(agent_api)
    response = await agent_api.post(
        "/api/v1/agent/career-plan",
        json={"career_id": "space-tourism-pilot", "profile": {"grade": 12}},
        headers=asha.headers,
    )
    assert_error(response, 404, "CAREER_NOT_FOUND")


async def test_deleting_the_account_deletes_conversations_and_plans(
    agent_api: httpx.AsyncClient, catalogue_settings: Settings
) -> None:
    asha = await new_account(agent_api)
    session = await start(agent_api, asha)
    await chat(agent_api, session["session_id"], "tell me about lawyer", asha)
    made = await chat(agent_api, session["session_id"], "make a plan for it, class 12", asha)
    plan_id = made.json()["data"]["plan_id"]
    assert plan_id is not None
    deleted = await agent_api.delete("/api/v1/users/me", headers=asha.headers)
    assert deleted.status_code == 200, deleted.text
    engine = make_sync_engine(catalogue_settings.database_url)
    try:
        with engine.connect() as conn:
            sessions = conn.execute(
                text("SELECT count(*) FROM agent_sessions WHERE id = :id"),
                {"id": session["session_id"]},
            ).scalar_one()
            plans = conn.execute(
                text("SELECT count(*) FROM career_plans WHERE id = :id"), {"id": plan_id}
            ).scalar_one()
    finally:
        engine.dispose()
    assert (sessions, plans) == (0, 0)
    from redis.asyncio import Redis

    client = Redis.from_url(catalogue_settings.redis_url)
    try:
        assert await client.exists(f"cc:agent:session:{session['session_id']}") == 0
    finally:
        await client.aclose()
