"""Redis client. Redis holds only rebuildable things (cache, rate limits), so failures degrade."""

from __future__ import annotations

from redis.asyncio import Redis


def make_redis(url: str, timeout_seconds: float) -> Redis:
    return Redis.from_url(
        url,
        socket_connect_timeout=timeout_seconds,
        socket_timeout=timeout_seconds,
        decode_responses=False,
        health_check_interval=30,
    )
