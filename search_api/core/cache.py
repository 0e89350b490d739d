"""Redis: the client builder and the response cache.

Redis holds only rebuildable things (cached responses, rate limits), so every failure here
degrades to "no cache" and never fails a request.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError

from search_api.core.metrics import CACHE_REQUESTS

log = logging.getLogger("search_api.cache")

CACHE_PREFIX = "cc:v1:"
CACHE_ERRORS = (RedisError, OSError, TimeoutError)


def make_redis(url: str, timeout_seconds: float) -> Redis:
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        decode_responses=False,
        health_check_interval=30,
    )


def cache_key(kind: str, payload: dict[str, Any], version: str) -> str:
    """version names what the answer was computed from (the live index), so a new index is
    never answered from an old one's cache."""
    material = json.dumps(
        {"kind": kind, "version": version, **payload}, sort_keys=True, ensure_ascii=False
    )
    return f"{CACHE_PREFIX}{kind}:" + hashlib.sha256(material.encode()).hexdigest()


class ResponseCache:
    def __init__(self, redis: Redis, ttl_seconds: int) -> None:
        self.redis = redis
        self.ttl_seconds = ttl_seconds

    async def get(self, key: str) -> dict[str, Any] | None:
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

    async def set(self, key: str, value: dict[str, Any]) -> None:
        try:
            await self.redis.set(key, json.dumps(value, ensure_ascii=False), ex=self.ttl_seconds)
        except CACHE_ERRORS as exc:
            log.warning("cache write failed: %s", type(exc).__name__)
