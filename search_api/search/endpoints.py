"""GET /api/v1/careers/search: thin; the work is in SearchService."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from search_api.core.deps import UseCacheDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.metrics import SEARCH_ZERO_RESULTS
from search_api.search.deps import CareerIndexDep, SearchServiceDep
from search_api.search.schemas import SearchData, SearchParams
from search_api.search.suggest_query import SuggestData, suggest_careers

router = APIRouter(prefix="/api/v1/careers", tags=["search"])


@router.get(
    "/search",
    response_model=Envelope[SearchData],
    responses={422: {"model": ErrorEnvelope}, 503: {"model": ErrorEnvelope}},
    summary="Hybrid, typo-tolerant, faceted career search",
)
async def search_careers(
    request: Request,
    params: Annotated[SearchParams, Query()],
    service: SearchServiceDep,
    use_cache: UseCacheDep,
) -> Envelope[SearchData]:
    """Search with typos, abbreviations, Hindi names or loose phrases; filter by facets.

    Facet counts are multi-select: a facet's own selection does not shrink its own counts.
    `meta.degraded` is true when the answer came from the PostgreSQL fallback, and
    `meta.cached` when it came from the response cache. Send `Cache-Control: no-cache` to
    skip the cache.
    """
    outcome = await service.search(params, use_cache=use_cache)
    if outcome.data.total == 0:
        SEARCH_ZERO_RESULTS.inc()
    return envelope(
        request, outcome.data, degraded=outcome.degraded, cached=outcome.cached, index=outcome.index
    )


@router.get(
    "/suggest",
    response_model=Envelope[SuggestData],
    responses={422: {"model": ErrorEnvelope}, 503: {"model": ErrorEnvelope}},
    summary="As-you-type suggestions from career names and aliases (typo-tolerant)",
)
async def suggest(
    request: Request,
    index: CareerIndexDep,
    q: Annotated[str, Query(max_length=200, description="What the student has typed so far")],
    size: Annotated[int, Query(ge=1, le=10)] = 6,
) -> Envelope[SuggestData]:
    return envelope(request, await suggest_careers(index, q, size))
