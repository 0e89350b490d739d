"""Dependency checks for /health. Each check has its own deadline, and all run at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from search_api.health.schemas import DependencyStatus, HealthReport
from search_api.search.index import CareerIndex

Overall = Literal["healthy", "degraded", "unhealthy"]
# Search cannot work without these two; without Redis we only lose caching and rate limits.
CRITICAL = ("postgres", "opensearch")


async def _timed(check: Callable[[], Awaitable[str | None]], timeout: float) -> DependencyStatus:
    started = time.perf_counter()
    try:
        detail = await asyncio.wait_for(check(), timeout)
    except TimeoutError:
        return DependencyStatus(
            status="down",
            latencyMs=round(timeout * 1000, 1),
            error=f"no answer within {timeout:.1f} s",
        )
    except Exception as exc:  # any failure of a dependency is reported, never raised
        return DependencyStatus(
            status="down",
            latencyMs=round((time.perf_counter() - started) * 1000, 1),
            error=f"{type(exc).__name__}: {exc}"[:300],
        )
    return DependencyStatus(
        status="up", latencyMs=round((time.perf_counter() - started) * 1000, 1), detail=detail
    )


async def check_health(
    engine: AsyncEngine,
    index: CareerIndex,
    redis: Redis,
    embedder_loaded: bool,
    timeout: float,
) -> HealthReport:
    async def postgres() -> str | None:
        async with engine.connect() as conn:
            version = (await conn.execute(text("SHOW server_version"))).scalar_one()
        return f"PostgreSQL {version}"

    async def search() -> str | None:
        status = await index.cluster_status()
        if status == "red":
            raise RuntimeError("cluster status red")
        return f"cluster {status}"

    async def cache() -> str | None:
        await redis.ping()
        return None

    pg, os_, rd = await asyncio.gather(
        _timed(postgres, timeout), _timed(search, timeout), _timed(cache, timeout)
    )
    deps = {"postgres": pg, "opensearch": os_, "redis": rd}
    overall: Overall
    if any(deps[name].status == "down" for name in CRITICAL):
        overall = "unhealthy"
    elif rd.status == "down":
        overall = "degraded"
    else:
        overall = "healthy"
    return HealthReport(
        status=overall,
        dependencies=deps,
        embedding_model="loaded" if embedder_loaded else "not loaded",
    )
