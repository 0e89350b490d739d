"""POST /api/v1/recommendations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from search_api.core.deps import CacheDep, EmbedderDep, SettingsDep, UseCacheDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.metrics import RECOMMENDATION_DURATION
from search_api.recommendations.schemas import Profile, RecommendationData
from search_api.recommendations.service import RecommendationService
from search_api.search.deps import CareerIndexDep

router = APIRouter(prefix="/api/v1", tags=["recommendations"])


def get_service(
    settings: SettingsDep, index: CareerIndexDep, cache: CacheDep, embedder: EmbedderDep
) -> RecommendationService:
    # two embeddings and a wider candidate search: twice the search deadline
    return RecommendationService(index, cache, embedder, settings.search_timeout_seconds * 2)


ServiceDep = Annotated[RecommendationService, Depends(get_service)]


@router.post(
    "/recommendations",
    response_model=Envelope[RecommendationData],
    responses={422: {"model": ErrorEnvelope}, 503: {"model": ErrorEnvelope}},
    summary="Careers ranked by compatibility with a student's profile, with reasons",
)
async def recommend(
    request: Request,
    profile: Profile,
    service: ServiceDep,
    use_cache: UseCacheDep,
) -> Envelope[RecommendationData]:
    """score = 0.3·stream + 0.4·interest + 0.2·skill + 0.1·salary, each part in [0, 1].

    Stream eligibility, `salary_min` (against mid-career pay) and the work preferences are
    hard constraints: careers that break them are never returned.
    """
    with RECOMMENDATION_DURATION.time():
        data, index, cached = await service.recommend(profile, use_cache)
    return envelope(request, data, cached=cached, index=index)
