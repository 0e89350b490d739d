"""POST /api/v1/recommendations."""

from __future__ import annotations

from fastapi import APIRouter, Request

from search_api.core.deps import UseCacheDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.metrics import RECOMMENDATION_DURATION
from search_api.recommendations.schemas import Profile, RecommendationData
from search_api.recommendations.service import RecommendationService
from search_api.search.endpoints import SearchServiceDep

router = APIRouter(prefix="/api/v1", tags=["recommendations"])


@router.post(
    "/recommendations",
    response_model=Envelope[RecommendationData],
    responses={422: {"model": ErrorEnvelope}, 503: {"model": ErrorEnvelope}},
    summary="Careers ranked by compatibility with a student's profile, with reasons",
)
async def recommend(
    request: Request,
    profile: Profile,
    search: SearchServiceDep,
    use_cache: UseCacheDep,
) -> Envelope[RecommendationData]:
    """score = 0.3·stream + 0.4·interest + 0.2·skill + 0.1·salary, each part in [0, 1].

    Stream eligibility, `salary_min` (against mid-career pay) and the work preferences are
    hard constraints: careers that break them are never returned.
    """
    with RECOMMENDATION_DURATION.time():
        data, index, cached = await RecommendationService(search).recommend(profile, use_cache)
    return envelope(request, data, cached=cached, index=index)
