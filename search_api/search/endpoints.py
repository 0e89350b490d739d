"""GET /api/v1/careers/search: thin; the work is in SearchService."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from search_api.core.deps import UseCacheDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.interactions import RecorderDep
from search_api.core.metrics import SEARCH_ZERO_RESULTS
from search_api.core.security import PrincipalDep
from search_api.profiles.deps import ProfileRepositoryDep
from search_api.profiles.service import effective_profile
from search_api.search.deps import CareerIndexDep, SearchServiceDep
from search_api.search.personalise import BLEND_WEIGHT, WINDOW
from search_api.search.schemas import SearchData, SearchParams, SearchQuery
from search_api.search.suggest_query import SuggestData, suggest_careers

router = APIRouter(prefix="/api/v1/careers", tags=["search"])

DESCRIPTION = f"""Search with typos, abbreviations, Hindi names or loose phrases; filter by facets.

Facet counts are multi-select: a facet's own selection does not shrink its own counts.
`meta.degraded` is true when the answer came from the PostgreSQL fallback, and `meta.cached`
when it came from the response cache. Send `Cache-Control: no-cache` to skip the cache.

**Personalised** for a signed-in student from the saved profile, or from the inline
`profile_*` parameters (anonymous callers, API keys; they override saved fields): careers the
profile rules out (stream eligibility, salary floor, strict work preferences) are filtered
out and facets count within what is left; the top {WINDOW} hits by relevance are re-ranked by
`{1 - BLEND_WEIGHT:.1f}·relevance + {BLEND_WEIGHT:.1f}·fit`, where fit is the compatibility
formula `0.3·stream + 0.4·interest + 0.2·skill + 0.1·salary`; each hit carries
`fit {{score, breakdown, reasons, relevance}}` and `meta.personalised` is true.
`personalise=false` turns it all off."""


def search_event(params: SearchParams, data: SearchData, personalised: bool) -> dict[str, Any]:
    """What a search interaction records: the filters chosen and the ids shown."""
    chosen = {
        name: value
        for name, value in params.model_dump(exclude={"q", "page", "size"}).items()
        if value not in (None, [], "relevance")
    }
    return {
        "filters": chosen,
        "result_ids": [r.id for r in data.results],
        "total": data.total,
        "page": params.page,
        "personalised": personalised,
    }


@router.get(
    "/search",
    response_model=Envelope[SearchData],
    responses={code: {"model": ErrorEnvelope} for code in (401, 422, 429, 503)},
    summary="Hybrid, typo-tolerant, faceted career search",
    description=DESCRIPTION,
)
async def search_careers(
    request: Request,
    query: Annotated[SearchQuery, Query()],
    service: SearchServiceDep,
    use_cache: UseCacheDep,
    principal: PrincipalDep,
    profiles: ProfileRepositoryDep,
    recorder: RecorderDep,
) -> Envelope[SearchData]:
    params = query.search_params()
    profile = await effective_profile(query, principal, profiles)
    outcome = await service.search(params, use_cache=use_cache, profile=profile)
    if outcome.data.total == 0:
        SEARCH_ZERO_RESULTS.inc()
    recorder.record(
        "search",
        query=params.q or None,
        payload=search_event(params, outcome.data, profile is not None),
        stream=profile.stream if profile is not None else None,
    )
    extra = {"personalised": True} if profile is not None else {}
    return envelope(
        request,
        outcome.data,
        degraded=outcome.degraded,
        cached=outcome.cached,
        index=outcome.index,
        **extra,
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
