"""Redis: the client builder and the response cache.

Redis holds only rebuildable things (cached responses, rate limits), so every failure here
degrades to "no cache" and never fails a request.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from typing import Any, cast

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from search_api.core.breaker import CircuitBreaker
from search_api.core.metrics import CACHE_REQUESTS

log = logging.getLogger("search_api.cache")

CACHE_PREFIX = "cc:v1:"
CACHE_ERRORS = (RedisError, OSError, TimeoutError)


# What says "Redis is down or hung" (an error reply such as NOSCRIPT says it is up).
REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError, TimeoutError)


class GuardedRedis(Redis):
    """Every command within a time budget and behind a circuit breaker.

    Redis only speeds things up, so a command that cannot answer within tens of milliseconds
    is worth nothing: a hung Redis then costs a request one budget per command, and once the
    breaker opens, nothing (the command fails at once with a ConnectionError).
    """

    breaker: CircuitBreaker
    budget_seconds: float

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        if not self.breaker.allow():
            raise RedisConnectionError("redis skipped: circuit open after repeated failures")
        try:
            result = await asyncio.wait_for(
                super().execute_command(*args, **options),  # type: ignore[no-untyped-call]
                self.budget_seconds,
            )
        except REDIS_DOWN:
            self.breaker.failed()
            raise
        except BaseException:
            self.breaker.released()
            raise
        self.breaker.succeeded()
        return result


def make_redis(
    url: str,
    timeout_seconds: float,
    breaker: CircuitBreaker | None = None,
) -> Redis:
    """timeout_seconds: the budget of one command, connecting included."""
    client = cast(
        GuardedRedis,
        GuardedRedis.from_url(
            url,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            decode_responses=False,
            health_check_interval=30,
        ),
    )
    client.breaker = breaker or CircuitBreaker("redis")
    client.budget_seconds = timeout_seconds
    return client


def cache_key(kind: str, payload: dict[str, Any], version: str) -> str:
    """version names what the answer was computed from (the live index and the catalogue
    version), so neither a new index nor a synced change is answered from an old cache."""
    material = json.dumps(
        {"kind": kind, "version": version, **payload}, sort_keys=True, ensure_ascii=False
    )
    return f"{CACHE_PREFIX}{kind}:" + hashlib.sha256(material.encode()).hexdigest()


class ResponseCache:
    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds
        # writes set_soon started that Redis has not yet answered: the newest per key, and
        # all of them (the event loop keeps only weak references to tasks)
        self._writing: dict[str, asyncio.Task[None]] = {}
        self._pending: set[asyncio.Task[None]] = set()

    async def get(self, key: str) -> dict[str, Any] | None:
        writing = self._writing.get(key)
        if writing is not None:
            # the answer just computed is on its way to Redis: read what was written
            await asyncio.wait({writing})
        try:
            raw = await self.redis.get(key)
        except CACHE_ERRORS as exc:
            log.warning("cache read failed: %s", type(exc).__name__)
            return None
        CACHE_REQUESTS.labels(result="miss" if raw is None else "hit").inc()
        if raw is None:
            return None
        loaded: dict[str, Any] = json.loads(raw)
        return loaded

    async def catalogue_version(self, alias: str) -> str | None:
        return await catalogue_version(self.redis, alias)

    async def set(self, key: str, value: dict[str, Any]) -> None:
        try:
            await self.redis.set(key, json.dumps(value, ensure_ascii=False), ex=self.ttl_seconds)
        except CACHE_ERRORS as exc:
            log.warning("cache write failed: %s", type(exc).__name__)

    def set_soon(self, key: str, value: dict[str, Any]) -> None:
        """set() without the caller waiting for Redis: an uncached search answered ~1 ms
        sooner (scale catalogue). A get of the same key in this process waits for the write,
        so a repeat is still answered from the cache; drain() at shutdown."""
        task = asyncio.ensure_future(self.set(key, value))
        self._writing[key] = task
        self._pending.add(task)

        def written(done: asyncio.Task[None]) -> None:
            self._pending.discard(done)
            if self._writing.get(key) is done:
                del self._writing[key]

        task.add_done_callback(written)

    async def drain(self) -> None:
        """Wait for the writes set_soon started (before Redis is closed)."""
        if self._pending:
            await asyncio.wait(set(self._pending))


def _version_key(alias: str) -> str:
    return f"{CACHE_PREFIX}catalogue-version:{alias}"


async def catalogue_version(redis: Redis, alias: str) -> str | None:
    """How many times the sync step changed the index behind alias; None when Redis cannot
    say (then nothing may be cached or read from the cache: it could be stale)."""
    try:
        raw = await redis.get(_version_key(alias))
    except CACHE_ERRORS as exc:
        log.warning("catalogue version unavailable: %s", type(exc).__name__)
        return None
    return raw.decode() if isinstance(raw, bytes) else "0"


async def advance_catalogue_version(redis: Redis, alias: str) -> bool:
    """After the sync step changed the live index: every cached answer becomes unreachable
    (its key holds the old version) and expires with its TTL. False when Redis is down."""
    try:
        await redis.incr(_version_key(alias))
    except CACHE_ERRORS as exc:
        log.warning("catalogue version not advanced: %s", type(exc).__name__)
        return False
    return True
