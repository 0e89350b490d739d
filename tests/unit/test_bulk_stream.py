"""CareerIndex.bulk_stream when the engine dies with several requests in flight: the first
failure reaches the caller and no other request's failure is left unread (asyncio prints
those at shutdown as 'Task exception was never retrieved', a traceback the CLI must not show)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest

from search_api.search.index import BulkAction, BulkResult, CareerIndex, IndexUnavailable


class DyingIndex(CareerIndex):
    """Every request after the first `healthy` ones fails, each after the same short wait."""

    def __init__(self, healthy: int) -> None:
        super().__init__(client=None, alias="careers", timeout_seconds=1.0)  # type: ignore[arg-type]
        self.healthy = healthy
        self.sent = 0

    async def bulk(
        self,
        index: str,
        actions: Sequence[BulkAction],
        refresh: str | bool = False,
        require_alias: bool = False,
    ) -> BulkResult:
        self.sent += 1
        number = self.sent
        await asyncio.sleep(0.01)
        if number > self.healthy:
            raise IndexUnavailable(f"request {number} refused")
        result = BulkResult()
        result.succeeded.extend(actions)
        return result


async def chunks(count: int) -> AsyncIterator[Sequence[BulkAction]]:
    for number in range(count):
        yield [BulkAction(op="index", id=f"c{number}", version=1, source={"name": "x"})]


@pytest.mark.parametrize("in_flight", [2, 4])
async def test_the_first_failure_is_raised_and_none_is_left_unread(in_flight: int) -> None:
    loop = asyncio.get_running_loop()
    unread: list[dict[str, Any]] = []
    previous = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: unread.append(context))
    try:
        index = DyingIndex(healthy=1)
        with pytest.raises(IndexUnavailable, match="refused"):
            await index.bulk_stream("careers_v1", chunks(20), in_flight=in_flight)
        assert index.sent < 20, "the stream went on sending after a failure"
        gc.collect()
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(previous)
    assert unread == []


async def test_a_healthy_stream_merges_every_chunk() -> None:
    index = DyingIndex(healthy=100)
    result = await index.bulk_stream("careers_v1", chunks(9), in_flight=3)
    assert sorted(action.id for action in result.succeeded) == sorted(f"c{n}" for n in range(9))
    assert result.failures == []
