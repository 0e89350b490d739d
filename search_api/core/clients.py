"""Builds and closes the outside clients. The API's lifespan, the admin CLI, the scripts and the
tests all open them here, so each client is configured in exactly one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from opensearchpy import AsyncOpenSearch
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from search_api.core.breaker import CircuitBreaker
from search_api.core.cache import make_redis
from search_api.core.db import make_async_engine, make_sessionmaker
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_async_client
from search_api.core.settings import Settings


@dataclass(frozen=True)
class Clients:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    opensearch: AsyncOpenSearch
    redis: Redis
    embedder: Embedder


def make_embedder(settings: Settings) -> Embedder:
    return Embedder(
        settings.embedding_model_path,
        settings.embedding_model_name,
        settings.embedding_dimensions,
        query_runtime=settings.embedding_query_runtime,
        cache_dir=settings.embedding_cache_dir,
        threads=settings.embedding_threads,
    )


@asynccontextmanager
async def open_clients(
    settings: Settings,
    *,
    opensearch_timeout: float | None = None,
    embedder: Embedder | None = None,
) -> AsyncIterator[Clients]:
    """opensearch_timeout: per-request deadline (default: the search deadline)."""
    engine = make_async_engine(settings.database_url, settings.dependency_timeout_seconds)
    opensearch = make_async_client(
        settings.opensearch_url, opensearch_timeout or settings.search_timeout_seconds
    )
    redis = make_redis(
        settings.redis_url,
        settings.redis_timeout_seconds,
        CircuitBreaker("redis", settings.breaker_failures, settings.breaker_cooldown_seconds),
    )
    try:
        yield Clients(
            settings=settings,
            engine=engine,
            sessionmaker=make_sessionmaker(engine),
            opensearch=opensearch,
            redis=redis,
            embedder=embedder or make_embedder(settings),
        )
    finally:
        await opensearch.close()
        await redis.aclose()
        await engine.dispose()
