"""The response cache's background writes, against the real Redis."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from search_api.core.cache import CACHE_PREFIX, ResponseCache, make_redis
from search_api.core.settings import Settings
from tests.fixtures.services import closed_port


@pytest.fixture
async def cache(base_settings: Settings) -> AsyncIterator[ResponseCache]:
    redis = make_redis(base_settings.redis_url, 1.0)
    try:
        yield ResponseCache(redis, 60)
    finally:
        await redis.aclose()


def fresh_key() -> str:
    return f"{CACHE_PREFIX}test:{uuid.uuid4().hex}"


async def test_a_read_right_after_a_background_write_finds_it(cache: ResponseCache) -> None:
    key = fresh_key()
    cache.set_soon(key, {"answer": "नर्स", "n": 1})
    # no await in between: the write has not been sent yet, so this read must wait for it
    assert await cache.get(key) == {"answer": "नर्स", "n": 1}
    await cache.redis.delete(key)


async def test_drain_waits_for_every_background_write(cache: ResponseCache) -> None:
    keys = [fresh_key() for _ in range(5)]
    for n, key in enumerate(keys):
        cache.set_soon(key, {"n": n})
    cache.set_soon(keys[0], {"n": 0})  # the same answer twice, as two identical searches do
    await cache.drain()
    assert await cache.redis.mget(keys) == [f'{{"n": {n}}}'.encode() for n in range(5)]
    assert await cache.redis.ttl(keys[0]) > 0
    await cache.redis.delete(*keys)


async def test_a_background_write_to_a_redis_that_is_down_loses_nothing_else() -> None:
    redis = make_redis(f"redis://127.0.0.1:{closed_port()}/0", 0.2)
    cache = ResponseCache(redis, 60)
    try:
        key = fresh_key()
        cache.set_soon(key, {"n": 1})
        assert await cache.get(key) is None  # the failed write is waited for, then a miss
        await cache.drain()
    finally:
        await redis.aclose()
