"""Small Annotated aliases that hand endpoints the clients built in lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Header, Request
from opensearchpy import AsyncOpenSearch
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The session owns the transaction: commit when the endpoint returns, roll back on error."""
    sessionmaker = request.app.state.sessionmaker
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def get_search(request: Request) -> AsyncOpenSearch:
    client: AsyncOpenSearch = request.app.state.opensearch
    return client


def get_cache(request: Request) -> Redis:
    client: Redis = request.app.state.redis
    return client


def get_embedder(request: Request) -> Embedder:
    embedder: Embedder = request.app.state.embedder
    return embedder


def wants_cache(
    cache_control: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> bool:
    """False when the client sent Cache-Control: no-cache (benchmarks, debugging)."""
    return "no-cache" not in (cache_control or "").lower()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
UseCacheDep = Annotated[bool, Depends(wants_cache)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]
SearchDep = Annotated[AsyncOpenSearch, Depends(get_search)]
CacheDep = Annotated[Redis, Depends(get_cache)]
EmbedderDep = Annotated[Embedder, Depends(get_embedder)]
