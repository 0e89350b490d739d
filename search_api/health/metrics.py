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
from typing import Any

from fastapi import APIRouter, Request, Response
from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import NotFoundError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from search_api.core.metrics import (
    CATALOGUE_CAREERS,
    CONTENT_TYPE,
    INDEX_DOCUMENTS,
    OUTBOX_LAG_SECONDS,
    OUTBOX_PENDING_EVENTS,
    render_metrics,
)

log = logging.getLogger("search_api.metrics")

router = APIRouter(include_in_schema=False)

# A scrape must stay fast whatever the dependencies do.
REFRESH_TIMEOUT_SECONDS = 1.0

# One round trip; the pending-events partial index keeps the outbox part cheap.
STATE_SQL = text(
    """
    SELECT
        (SELECT count(*) FROM careers) AS careers,
        count(*) AS pending,
        coalesce(extract(epoch FROM now() - min(created_at)), 0) AS lag
    FROM outbox
    WHERE applied_at IS NULL
    """
)


async def refresh_postgres(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        row = (await conn.execute(STATE_SQL)).one()
    CATALOGUE_CAREERS.set(int(row.careers))
    OUTBOX_PENDING_EVENTS.set(int(row.pending))
    OUTBOX_LAG_SECONDS.set(float(row.lag))


async def refresh_index(client: AsyncOpenSearch, alias: str) -> None:
    try:
        response = await client.count(index=alias, request_timeout=REFRESH_TIMEOUT_SECONDS)
    except NotFoundError:
        INDEX_DOCUMENTS.set(0)  # no live index yet: really zero searchable careers
        return
    INDEX_DOCUMENTS.set(int(response["count"]))


async def _bounded(name: str, refresh: Coroutine[Any, Any, None]) -> None:
    try:
        await asyncio.wait_for(refresh, REFRESH_TIMEOUT_SECONDS)
    except Exception as exc:  # a scrape reports what it can; it never fails
        log.warning("metrics: %s gauges not refreshed: %s: %s", name, type(exc).__name__, exc)


async def refresh_state_gauges(request: Request) -> None:
    state = request.app.state
    engine = getattr(state, "engine", None)
    client = getattr(state, "opensearch", None)
    jobs = []
    if engine is not None:
        jobs.append(_bounded("postgres", refresh_postgres(engine)))
    if client is not None:
        jobs.append(_bounded("opensearch", refresh_index(client, state.settings.opensearch_alias)))
    await asyncio.gather(*jobs)


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    await refresh_state_gauges(request)
    return Response(render_metrics(), media_type=CONTENT_TYPE)
