"""The FastAPI application: `uvicorn search_api.main:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from search_api.careers.endpoints import categories_router
from search_api.careers.endpoints import router as careers_router
from search_api.core.cache import ResponseCache
from search_api.core.clients import open_clients
from search_api.core.embeddings import Embedder
from search_api.core.handlers import RequestContextMiddleware, install_error_handlers
from search_api.core.logs import configure_logging
from search_api.core.observability import ObservabilityMiddleware
from search_api.core.settings import Settings, get_settings
from search_api.health.endpoints import router as health_router
from search_api.health.metrics import router as metrics_router
from search_api.pages.endpoints import router as pages_router
from search_api.quiz.endpoints import router as quiz_router
from search_api.recommendations.endpoints import router as recommendations_router
from search_api.search.endpoints import router as search_router
from search_api.search.index import CareerIndex
from search_api.search.memo import CatalogueMemo


class AppState(TypedDict):
    """What lifespan yields; Starlette copies it into each request's `request.state`."""

    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis
    cache: ResponseCache
    embedder: Embedder
    career_index: CareerIndex
    catalogue_memo: CatalogueMemo


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[AppState]:
        async with open_clients(settings) as clients:
            if settings.embedding_threads:
                import torch

                torch.set_num_threads(settings.embedding_threads)
            if settings.preload_embedder:
                await clients.embedder.aload()
            yield AppState(
                settings=settings,
                engine=clients.engine,
                sessionmaker=clients.sessionmaker,
                redis=clients.redis,
                cache=ResponseCache(clients.redis, settings.cache_ttl_seconds),
                embedder=clients.embedder,
                career_index=CareerIndex(
                    clients.opensearch, settings.opensearch_alias, settings.search_timeout_seconds
                ),
                catalogue_memo=CatalogueMemo(),
            )

    app = FastAPI(
        title="Career Compass search API",
        version="1.0.0",
        description=(
            "Career search, comparison and recommendations for Indian students in grades 11 "
            "and 12. Every response is wrapped in the envelope "
            "`{success, data | error, meta}`."
        ),
        lifespan=lifespan,
    )
    # Inside RequestContextMiddleware (added after it), so the request id is already set.
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    # before the careers router: /careers/search must not be read as /careers/{career_id}
    app.include_router(search_router)
    app.include_router(careers_router)
    app.include_router(categories_router)
    app.include_router(recommendations_router)
    app.include_router(quiz_router)
    app.include_router(pages_router)
    return app
