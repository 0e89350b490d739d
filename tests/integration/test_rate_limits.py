"""Rate limits against a Redis of the test's own (started here on a free port, killed here),
so stopping it never touches the shared one."""

from __future__ import annotations

import asyncio
import logging
import shutil
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
import redis

from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.auth import create_api_key, new_account
from tests.fixtures.services import closed_port

URL = "/api/v1/categories"
WINDOW = 2


@pytest.fixture
def private_redis(tmp_path: object) -> Iterator[int]:
    # scripts/bootstrap installs redis-server: without it this is a broken machine, not a skip
    assert shutil.which("redis-server"), "redis-server not found: run scripts/bootstrap"
    port = closed_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--bind",
            "127.0.0.1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield port
    finally:
        client.close()
        server.kill()
        server.wait(timeout=10)


def limited(settings: Settings, port: int, **limits: int) -> Settings:
    return settings.model_copy(
        update={
            "redis_url": f"redis://127.0.0.1:{port}/0",
            "rate_limit_window_seconds": WINDOW,
            "rate_limit_anonymous": 3,
            "rate_limit_student": 5,
            "rate_limit_api_key": 8,
            **{f"rate_limit_{name}": value for name, value in limits.items()},
        }
    )


def limits_of(response: httpx.Response) -> tuple[int, int, int]:
    h = response.headers
    return (
        int(h["X-RateLimit-Limit"]),
        int(h["X-RateLimit-Remaining"]),
        int(h["X-RateLimit-Reset"]),
    )


async def test_the_request_after_the_limit_is_429_and_the_window_resets(
    settings: Settings, private_redis: int
) -> None:
    window = 6  # 3 per 6 s: one request is freed every 2 s
    async with api_client(limited(settings, private_redis, window_seconds=window)) as api:
        passed = [await api.get(URL) for _ in range(3)]
        assert [r.status_code for r in passed] == [200, 200, 200]
        assert [limits_of(r)[:2] for r in passed] == [(3, 2), (3, 1), (3, 0)]
        assert all(1 <= limits_of(r)[2] <= window for r in passed)

        refused = await api.get(URL)
        refused_at = time.monotonic()
        assert refused.status_code == 429
        body = refused.json()
        assert body["success"] is False
        assert body["error"]["code"] == "RATE_LIMIT_EXCEEDED"
        assert body["error"]["details"]["limit"] == 3
        assert body["error"]["details"]["remaining"] == 0
        assert 1 <= body["error"]["details"]["reset_seconds"] <= window
        retry = int(refused.headers["Retry-After"])
        assert 1 <= retry <= 2
        assert limits_of(refused)[:2] == (3, 0)
        assert refused.headers["X-Request-ID"]

        # probes and docs are never limited
        health = await api.get("/health")
        assert health.status_code == 200
        assert "X-RateLimit-Limit" not in health.headers
        assert (await api.get("/openapi.json")).status_code == 200

        # GCRA frees one request per window / limit ...
        await asyncio.sleep(max(0.0, refused_at + retry + 0.1 - time.monotonic()))
        assert (await api.get(URL)).status_code == 200
        assert (await api.get(URL)).status_code == 429
        # ... and the whole burst once a window has passed
        await asyncio.sleep(window + 0.2)
        assert [(await api.get(URL)).status_code for _ in range(4)] == [200, 200, 200, 429]


async def test_students_and_keys_have_their_own_higher_limits(
    settings: Settings, private_redis: int
) -> None:
    async with api_client(limited(settings, private_redis, anonymous=1000)) as setup:
        student = await new_account(setup)
    key, _ = create_api_key(settings.database_url, ("read",))
    async with api_client(limited(settings, private_redis)) as api:
        anonymous = [(await api.get(URL)).status_code for _ in range(4)]
        signed_in = [(await api.get(URL, headers=student.headers)) for _ in range(6)]
        keyed = [(await api.get(URL, headers={"X-API-Key": key})) for _ in range(9)]
    assert anonymous == [200, 200, 200, 429]
    assert [r.status_code for r in signed_in] == [200] * 5 + [429]
    assert limits_of(signed_in[0])[:2] == (5, 4)
    assert [r.status_code for r in keyed] == [200] * 8 + [429]
    assert limits_of(keyed[0])[:2] == (8, 7)


async def test_guessed_credentials_count_against_the_ip(
    settings: Settings, private_redis: int
) -> None:
    async with api_client(limited(settings, private_redis)) as api:
        bad = {"Authorization": "Bearer not-a-token"}
        statuses = [(await api.get(URL, headers=bad)).status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


async def test_redis_down_lets_requests_through_and_says_so(
    settings: Settings, private_redis: int, caplog: pytest.LogCaptureFixture
) -> None:
    server = redis.Redis(port=private_redis)
    async with api_client(limited(settings, private_redis)) as api:
        assert (await api.get(URL)).headers["X-RateLimit-Remaining"] == "2"
        server.shutdown(nosave=True)  # the test's own Redis, never the shared one
        server.close()
        caplog.set_level(logging.WARNING, logger="search_api.ratelimit")
        started = time.perf_counter()
        responses = [await api.get(URL) for _ in range(10)]
        elapsed = time.perf_counter() - started
        assert [r.status_code for r in responses] == [200] * 10
        assert all("X-RateLimit-Limit" not in r.headers for r in responses)
        assert elapsed < 5.0  # nobody waits on a dead Redis for every request
        assert any("rate limits not enforced" in r.message for r in caplog.records)
        health = await api.get("/health")
        assert health.status_code == 206
        assert health.json()["data"]["rate_limits"] == "not enforced: redis unavailable"
