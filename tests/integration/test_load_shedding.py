"""Load shedding: past the in-flight limit a request is refused at once with 503 and
Retry-After, in the envelope; health is never shed (issue 9)."""

from __future__ import annotations

import asyncio

import httpx

from search_api.core.settings import Settings
from tests.fixtures.api import api_client


async def test_requests_past_the_in_flight_limit_get_a_fast_503(settings: Settings) -> None:
    limited = settings.model_copy(update={"max_in_flight_requests": 2, "overload_queue_size": 0})
    async with api_client(limited) as api:

        async def search(i: int) -> httpx.Response:
            return await api.get("/api/v1/careers/search", params={"q": f"engineer {i}"})

        responses = await asyncio.gather(*(search(i) for i in range(20)))
        health = await asyncio.gather(*(api.get("/health") for _ in range(5)))
    shed = [r for r in responses if r.status_code == 503]
    served = [r for r in responses if r.status_code == 200]
    assert len(served) >= 2
    assert shed, [r.status_code for r in responses]
    assert len(served) + len(shed) == len(responses)
    first = shed[0]
    assert first.headers["Retry-After"] == "1"
    body = first.json()
    assert body["success"] is False
    assert body["error"]["code"] == "SERVICE_OVERLOADED"
    assert body["error"]["details"] == {"in_flight_limit": 2, "retry_after_seconds": 1}
    assert body["meta"]["requestId"] == first.headers["X-Request-ID"]
    assert all(r.status_code != 503 or "SERVICE_OVERLOADED" not in r.text for r in health)


async def test_no_shedding_below_the_limit(settings: Settings) -> None:
    async with api_client(settings) as api:
        responses = await asyncio.gather(
            *(api.get("/api/v1/careers/search", params={"q": "doctor"}) for _ in range(10))
        )
    assert [r.status_code for r in responses] == [200] * 10
