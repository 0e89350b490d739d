"""The FastAPI application: `uvicorn search_api.main:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TypedDict

from fastapi import Depends, FastAPI
from fastapi_offline import FastAPIOffline
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from search_api.agent.endpoints import router as agent_router
from search_api.agent.service import AgentKit
from search_api.analytics.endpoints import interactions_router
from search_api.analytics.endpoints import router as analytics_router
from search_api.analytics.writer import InteractionWriter
from search_api.careers.endpoints import categories_router
from search_api.careers.endpoints import router as careers_router
from search_api.core.body_limit import BodySizeLimitMiddleware
from search_api.core.breaker import CircuitBreaker
from search_api.core.cache import ResponseCache
from search_api.core.clients import open_clients
from search_api.core.crypto import FieldCipher
from search_api.core.embeddings import Embedder
from search_api.core.error_responses import declare_error_responses
from search_api.core.handlers import RequestContextMiddleware, install_error_handlers
from search_api.core.interactions import InteractionSink
from search_api.core.logs import configure_logging
from search_api.core.nul_characters import RejectNulMiddleware
from search_api.core.observability import ObservabilityMiddleware
from search_api.core.ratelimit import RateLimiter, RateLimitHeadersMiddleware, enforce_rate_limit
from search_api.core.security import Authenticator
from search_api.core.security_headers import SecurityHeadersMiddleware
from search_api.core.settings import Settings, get_settings
from search_api.core.shedding import LoadSheddingMiddleware
from search_api.health.endpoints import router as health_router
from search_api.health.metrics import router as metrics_router
from search_api.pages.accounts import router as account_pages_router
from search_api.pages.chat import router as chat_pages_router
from search_api.pages.endpoints import router as pages_router
from search_api.quiz.endpoints import router as quiz_router
from search_api.recommendations.endpoints import router as recommendations_router
from search_api.search.endpoints import router as search_router
from search_api.search.index import CareerIndex
from search_api.search.memo import CatalogueMemo
from search_api.users.authenticator import Revocations
from search_api.users.endpoints import admin_router, auth_router, keys_router, users_router
from search_api.users.service import AccountKit


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
    # accounts (core.security and core.interactions read these through their interfaces)
    authenticator: Authenticator
    rate_limiter: RateLimiter
    interactions: InteractionSink
    accounts: AccountKit
    cipher: FieldCipher
    agent: AgentKit  # the chat agent's catalogue cache and optional LLM client


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
                await clients.embedder.aload(queries=True)
            accounts = AccountKit.build(
                settings,
                clients.sessionmaker,
                Revocations(clients.redis, settings.access_token_minutes * 60),
            )
            writer = InteractionWriter(
                clients.sessionmaker,
                settings.analytics_flush_seconds,
                settings.analytics_batch_size,
                settings.analytics_queue_limit,
            )
            writer.start()
            agent = AgentKit.build(settings, clients.redis)
            accounts.erasers.append(agent.forget_user)
            cache = ResponseCache(clients.redis, settings.cache_ttl_seconds)
            try:
                yield AppState(
                    settings=settings,
                    engine=clients.engine,
                    sessionmaker=clients.sessionmaker,
                    redis=clients.redis,
                    cache=cache,
                    embedder=clients.embedder,
                    career_index=CareerIndex(
                        clients.opensearch,
                        settings.opensearch_alias,
                        settings.search_timeout_seconds,
                        CircuitBreaker(
                            "opensearch",
                            settings.breaker_failures,
                            settings.breaker_cooldown_seconds,
                        ),
                    ),
                    catalogue_memo=CatalogueMemo(),
                    authenticator=accounts.authenticator,
                    rate_limiter=RateLimiter(clients.redis, settings),
                    interactions=writer,
                    accounts=accounts,
                    cipher=accounts.cipher,
                    agent=agent,
                )
            finally:
                await agent.close()
                await writer.stop()
                await cache.drain()

    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from the installed package,
    # not a CDN a school network or an offline laptop may not reach
    app = FastAPIOffline(
        static_url="/docs/static",
        title="Career Compass search API",
        version="1.0.0",
        description=(
            "Career search, comparison and recommendations for Indian students in grades 11 "
            "and 12. Every response is wrapped in the envelope "
            "`{success, data | error, meta}`. Sign in with **Authorize** (a student or admin "
            "account: POST /api/v1/auth/token) or send a school's `X-API-Key`; every route "
            "is rate-limited per IP, account or key (X-RateLimit-* headers)."
        ),
        lifespan=lifespan,
        # every route: count the caller against its limit, then reject invalid credentials
        dependencies=[Depends(enforce_rate_limit)],
    )
    # Inside RequestContextMiddleware (added after it), so the request id is already set.
    # The NUL guard inside the body limit: it holds at most the limit's bytes of a body.
    app.add_middleware(RejectNulMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_body_bytes)
    app.add_middleware(SecurityHeadersMiddleware)
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(RateLimitHeadersMiddleware)
    app.add_middleware(
        LoadSheddingMiddleware,
        limit=settings.max_in_flight_requests,
        retry_after_seconds=settings.shed_retry_after_seconds,
        queue_size=settings.overload_queue_size,
        queue_wait_seconds=settings.overload_queue_wait_seconds,
    )
    app.add_middleware(RequestContextMiddleware)
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    # before the careers router: /careers/search must not be read as /careers/{career_id}
    app.include_router(search_router)
    app.include_router(careers_router)
    app.include_router(categories_router)
    app.include_router(recommendations_router)
    app.include_router(auth_router)
    app.include_router(users_router)
    app.include_router(keys_router)
    app.include_router(admin_router)
    app.include_router(interactions_router)
    app.include_router(analytics_router)
    app.include_router(quiz_router)
    app.include_router(agent_router)
    app.include_router(account_pages_router)
    app.include_router(chat_pages_router)
    app.include_router(pages_router)
    declare_error_responses(app)
    return app
