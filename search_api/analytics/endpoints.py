"""POST /api/v1/interactions and GET /api/v1/analytics/*."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status

from search_api.analytics.repository import AnalyticsRepository
from search_api.analytics.schemas import (
    Accepted,
    CareerSlug,
    InsightsData,
    InteractionIn,
    Period,
    PopularData,
    TrendData,
)
from search_api.analytics.service import AnalyticsService
from search_api.careers.records import CategoryName, Stream
from search_api.careers.repository import CatalogueRepository
from search_api.core.deps import SessionDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.interactions import RecorderDep
from search_api.core.security import ReadScopeDep

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 422, 429, 503)
}
interactions_router = APIRouter(prefix="/api/v1", tags=["analytics"], responses=ERRORS)
router = APIRouter(prefix="/api/v1/analytics", tags=["analytics"], responses=ERRORS)


async def get_service(session: SessionDep) -> AnalyticsService:
    return AnalyticsService(AnalyticsRepository(session), CatalogueRepository(session))


ServiceDep = Annotated[AnalyticsService, Depends(get_service)]


@interactions_router.post(
    "/interactions",
    response_model=Envelope[Accepted],
    status_code=status.HTTP_202_ACCEPTED,
    summary="Record a result click",
)
async def record_interaction(
    request: Request, body: InteractionIn, recorder: RecorderDep
) -> Envelope[Accepted]:
    """Queued and written within about a second; the answer never waits for the database.
    Send X-Session-ID (anonymous) or an access token so the click joins its session."""
    recorder.record(
        "click",
        career_id=body.career_id,
        query=body.query,
        payload={"position": body.position, "source": body.source},
    )
    return envelope(request, Accepted(accepted=True))


@router.get(
    "/careers/popular",
    response_model=Envelope[PopularData],
    summary="The careers students look at most",
)
async def popular_careers(
    request: Request,
    service: ServiceDep,
    period: Period = "30d",
    stream: Annotated[Stream | None, Query(description="Only viewers of this stream")] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Envelope[PopularData]:
    """Ranked by views + result clicks + comparisons in the period (Indian days)."""
    return envelope(request, await service.popular(period, stream, limit))


@router.get("/trends", response_model=Envelope[TrendData], summary="Daily interest over time")
async def trends(
    request: Request,
    service: ServiceDep,
    career_id: Annotated[CareerSlug | None, Query()] = None,
    category: Annotated[CategoryName | None, Query()] = None,
    days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> Envelope[TrendData]:
    """One bucket per day (zero-filled) for a career or a whole category: give one."""
    return envelope(request, await service.trend(days, career_id, category))


@router.get(
    "/insights/{career_id}",
    response_model=Envelope[InsightsData],
    summary="How students reach and see one career (admins and read keys)",
)
async def insights(
    request: Request,
    career_id: Annotated[CareerSlug, Path()],
    service: ServiceDep,
    _: ReadScopeDep,
    period: Period = "30d",
) -> Envelope[InsightsData]:
    """Views, the searches that led to it, careers viewed in the same sessions and the
    stream mix of its viewers. For counsellors and admins: counts only, no students."""
    return envelope(request, await service.insights(career_id, period))
