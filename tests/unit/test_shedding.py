"""LoadSheddingMiddleware counts a request until its response is sent, not until the app
returns: work after the response (background tasks, middleware unwinding) must not make a
keep-alive client's next request look like one too many."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from search_api.core.shedding import LoadSheddingMiddleware


def scope(path: str = "/api/v1/careers/search") -> Scope:
    return {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "scheme": "http",
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
        "root_path": "",
        "state": {},
    }


class SlowApp:
    """Answers 200 at once when `respond` is set, then keeps working until `finish` is."""

    def __init__(self) -> None:
        self.respond = asyncio.Event()
        self.finish = asyncio.Event()

    def release(self) -> None:
        """Let every request answer and finish."""
        self.respond.set()
        self.finish.set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        monitoring = scope["path"] == "/health"
        if not monitoring:
            await self.respond.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok", "more_body": False})
        if not monitoring:
            await self.finish.wait()


async def call(app: Any, path: str = "/api/v1/careers/search") -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope(path), receive, send)
    return sent


async def started(app: Any) -> asyncio.Task[list[Message]]:
    """A request sent and given one turn of the loop to take its place (or join the queue)."""
    task = asyncio.create_task(call(app))
    await asyncio.sleep(0)
    return task


def status(messages: list[Message]) -> int:
    return int(next(m["status"] for m in messages if m["type"] == "http.response.start"))


async def test_a_request_still_waiting_for_its_answer_is_counted() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1)
    first = await started(shedding)
    assert shedding.in_flight == 1
    assert status(await call(shedding)) == 503
    inner.release()
    assert status(await first) == 200
    assert shedding.in_flight == 0


async def test_work_after_the_response_does_not_hold_a_place() -> None:
    inner = SlowApp()
    inner.respond.set()
    shedding = LoadSheddingMiddleware(inner, limit=1)
    first = asyncio.create_task(call(shedding))
    for _ in range(5):
        await asyncio.sleep(0)
    assert not first.done(), "the app should still be working after its response"
    assert shedding.in_flight == 0
    second = asyncio.create_task(call(shedding))
    for _ in range(5):
        await asyncio.sleep(0)
    inner.finish.set()
    assert status(await first) == 200
    assert status(await second) == 200
    assert shedding.in_flight == 0


async def test_an_app_that_fails_before_answering_releases_its_place() -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("boom")

    shedding = LoadSheddingMiddleware(broken, limit=1)
    try:
        await call(shedding)
    except RuntimeError:
        pass
    assert shedding.in_flight == 0


async def test_health_is_never_shed() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1)
    first = await started(shedding)
    assert shedding.in_flight == 1
    assert status(await call(shedding, "/health")) == 200
    inner.release()
    await first


async def test_a_burst_waits_in_the_queue_for_a_place() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1, queue_size=1, queue_wait_seconds=5.0)
    first = await started(shedding)
    queued = await started(shedding)
    assert not queued.done()
    assert status(await call(shedding)) == 503, "a full queue sheds at once"
    inner.release()
    assert status(await first) == 200
    assert status(await queued) == 200
    assert shedding.in_flight == 0


async def test_a_request_that_waits_too_long_is_shed_and_gives_its_place_back() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1, queue_size=4, queue_wait_seconds=0.05)
    first = await started(shedding)
    assert status(await call(shedding)) == 503
    inner.release()
    await first
    assert shedding.in_flight == 0
    assert status(await call(shedding)) == 200


async def test_a_client_gone_while_queued_takes_no_place() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1, queue_size=4, queue_wait_seconds=5.0)
    first = await started(shedding)
    gone = await started(shedding)
    gone.cancel()
    with pytest.raises(asyncio.CancelledError):
        await gone
    assert shedding.in_flight == 1
    inner.release()
    await first
    assert shedding.in_flight == 0
    assert status(await call(shedding)) == 200
    assert shedding.in_flight == 0


async def test_the_queue_is_first_come_first_served() -> None:
    inner = SlowApp()
    shedding = LoadSheddingMiddleware(inner, limit=1, queue_size=3, queue_wait_seconds=5.0)
    order: list[int] = []

    async def numbered(number: int) -> None:
        await call(shedding)
        order.append(number)

    tasks = []
    for number in range(4):
        tasks.append(asyncio.create_task(numbered(number)))
        await asyncio.sleep(0)
    inner.release()
    await asyncio.gather(*tasks)
    assert order == [0, 1, 2, 3]
    assert shedding.in_flight == 0
