"""GET /api/v1/careers/search: thin; the work is in SearchService."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from search_api.core.deps import (
    CacheDep,
    EmbedderDep,
    SearchDep,
    SessionDep,
    SettingsDep,
    UseCacheDep,
)
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.metrics import SEARCH_ZERO_RESULTS
from search_api.search.repository import SearchRepository
from search_api.search.schemas import SearchData, SearchParams
from search_api.search.service import SearchService, SearchState

router = APIRouter(prefix="/api/v1/careers", tags=["search"])


def get_search_service(
    request: Request,
    settings: SettingsDep,
    client: SearchDep,
    cache: CacheDep,
    embedder: EmbedderDep,
    session: SessionDep,
) -> SearchService:
    state: SearchState = request.app.state.search_state
    return SearchService(settings, client, cache, embedder, SearchRepository(session), state)


SearchServiceDep = Annotated[SearchService, Depends(get_search_service)]


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
