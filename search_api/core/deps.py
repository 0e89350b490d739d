"""Small Annotated aliases that hand endpoints the clients built in lifespan.

Lifespan yields a typed state (search_api.main.AppState); Starlette copies it into every
request's `request.state`, which is where these read it.

Every dependency in the app is `async def`, though none of these awaits anything: FastAPI runs
a plain `def` dependency in its thread pool, and the ~10 handoffs a search made cost it 4-7 ms
(p50 of 150 uncached scale searches, two alternated runs). tests/unit/test_dependencies.py
keeps it so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from search_api.core.cache import ResponseCache
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The session owns the transaction: commit when the endpoint returns, roll back on error."""
    sessionmaker: async_sessionmaker[AsyncSession] = request.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


async def get_sessionmaker(request: Request) -> async_sessionmaker[AsyncSession]:
    sessionmaker: async_sessionmaker[AsyncSession] = request.state.sessionmaker
    return sessionmaker


async def get_engine(request: Request) -> AsyncEngine:
    engine: AsyncEngine = request.state.engine
    return engine


async def get_redis(request: Request) -> Redis:
    client: Redis = request.state.redis
    return client


async def get_cache(request: Request) -> ResponseCache:
    cache: ResponseCache = request.state.cache
    return cache


async def get_embedder(request: Request) -> Embedder:
    embedder: Embedder = request.state.embedder
    return embedder


async def wants_cache(
    cache_control: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> bool:
    """False when the client sent Cache-Control: no-cache (benchmarks, debugging)."""
    return "no-cache" not in (cache_control or "").lower()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
UseCacheDep = Annotated[bool, Depends(wants_cache)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
EngineDep = Annotated[AsyncEngine, Depends(get_engine)]
SessionmakerDep = Annotated[async_sessionmaker[AsyncSession], Depends(get_sessionmaker)]
RedisDep = Annotated[Redis, Depends(get_redis)]
CacheDep = Annotated[ResponseCache, Depends(get_cache)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
