"""GET /metrics: Prometheus text exposition (not part of the OpenAPI schema).

The state gauges (outbox backlog and lag, live index documents, catalogue careers) are read
at scrape time with two cheap queries under a short deadline. A dependency that is down or slow
never fails the scrape: its gauges keep their last value and the reason is logged, so the
alerts on them do not fire from a gap (the dependency's own alerts and /health say it is down).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Response
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.careers.repository import CatalogueRepository
from search_api.core.deps import SessionmakerDep
from search_api.core.metrics import (
    CATALOGUE_CAREERS,
    CONTENT_TYPE,
    INDEX_DOCUMENTS,
    OUTBOX_LAG_SECONDS,
    OUTBOX_PENDING_EVENTS,
    render_metrics,
)
from search_api.search.deps import CareerIndexDep
from search_api.search.index import CareerIndex, NoLiveIndex

log = logging.getLogger("search_api.metrics")

router = APIRouter(include_in_schema=False)

# A scrape must stay fast whatever the dependencies do.
REFRESH_TIMEOUT_SECONDS = 1.0


async def refresh_postgres(sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    async with sessionmaker() as session:
        repo = CatalogueRepository(session)
        careers = await repo.count()
        pending, oldest = await repo.pending_summary()
    CATALOGUE_CAREERS.set(careers)
    OUTBOX_PENDING_EVENTS.set(pending)
    OUTBOX_LAG_SECONDS.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0)


async def refresh_index(index: CareerIndex) -> None:
    try:
        INDEX_DOCUMENTS.set(await index.count())
    except NoLiveIndex:
        INDEX_DOCUMENTS.set(0)  # no live index yet: really zero searchable careers


async def _bounded(name: str, refresh: Coroutine[Any, Any, None]) -> None:
    try:
        await asyncio.wait_for(refresh, REFRESH_TIMEOUT_SECONDS)
    except Exception as exc:  # a scrape reports what it can; it never fails
        log.warning("metrics: %s gauges not refreshed: %s", name, type(exc).__name__)


@router.get("/metrics")
async def metrics(sessionmaker: SessionmakerDep, index: CareerIndexDep) -> Response:
    await asyncio.gather(
        _bounded("postgres", refresh_postgres(sessionmaker)),
        _bounded("opensearch", refresh_index(index)),
    )
    return Response(render_metrics(), media_type=CONTENT_TYPE)
