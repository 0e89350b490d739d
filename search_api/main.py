"""The FastAPI application: `uvicorn search_api.main:create_app --factory`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from search_api.careers.endpoints import router as careers_router
from search_api.core.cache import make_redis
from search_api.core.db import make_async_engine, make_sessionmaker
from search_api.core.embeddings import Embedder
from search_api.core.handlers import RequestContextMiddleware, install_error_handlers
from search_api.core.logs import configure_logging
from search_api.core.observability import ObservabilityMiddleware
from search_api.core.opensearch import make_async_client
from search_api.core.settings import Settings, get_settings
from search_api.health.endpoints import router as health_router
from search_api.health.metrics import router as metrics_router
from search_api.recommendations.endpoints import router as recommendations_router
from search_api.search.endpoints import router as search_router
from search_api.search.service import SearchState

log = logging.getLogger("search_api")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_async_engine(settings.database_url, settings.dependency_timeout_seconds)
        opensearch = make_async_client(settings.opensearch_url, settings.search_timeout_seconds)
        redis = make_redis(settings.redis_url, settings.dependency_timeout_seconds)
        embedder = Embedder(
            settings.embedding_model_path,
            settings.embedding_model_name,
            settings.embedding_dimensions,
        )
        if settings.embedding_threads:
            import torch

            torch.set_num_threads(settings.embedding_threads)
        if settings.preload_embedder:
            await embedder.aload()
        app.state.settings = settings
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        app.state.opensearch = opensearch
        app.state.redis = redis
        app.state.embedder = embedder
        app.state.search_state = SearchState()
        background = None
        if settings.sync_in_api:
            from indexer.background import BackgroundSync

            background = BackgroundSync(settings, embedder)
            background.start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()
            await opensearch.close()
            await redis.aclose()
            await engine.dispose()

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
    app.state.settings = settings
    # Inside RequestContextMiddleware (added after it), so the request id is already set.
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    # before the careers router: /careers/search must not be read as /careers/{career_id}
    app.include_router(search_router)
    app.include_router(careers_router)
    app.include_router(recommendations_router)
    return app
