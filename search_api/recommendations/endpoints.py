"""POST /api/v1/recommendations (any profile) and GET /api/v1/recommendations/{user_id}
(a saved one)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from search_api.careers.repository import CatalogueRepository
from search_api.core.deps import CacheDep, EmbedderDep, SessionDep, SettingsDep, UseCacheDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.errors import AppError, NotFoundError
from search_api.core.interactions import Recorder, RecorderDep
from search_api.core.metrics import RECOMMENDATION_DURATION
from search_api.core.security import AuthenticationFailed, Forbidden, PrincipalDep
from search_api.profiles.deps import ProfileRepositoryDep
from search_api.profiles.schemas import Profile
from search_api.recommendations.schemas import RecommendationData
from search_api.recommendations.service import RecommendationService
from search_api.search.deps import CareerIndexDep
from search_api.users.repository import UserRepository

router = APIRouter(prefix="/api/v1", tags=["recommendations"])
ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 422, 429, 503)
}
FORMULA = """score = 0.3·stream + 0.4·interest + 0.2·skill + 0.1·salary, each part in [0, 1].

Stream eligibility, `salary_min` (against mid-career pay) and the work preferences (unless
`strict` is false) are hard constraints: careers that break them are never returned."""


async def get_service(
    settings: SettingsDep,
    index: CareerIndexDep,
    cache: CacheDep,
    embedder: EmbedderDep,
    session: SessionDep,
) -> RecommendationService:
    # two embeddings and a wider candidate search: twice the search deadline
    return RecommendationService(
        index, cache, embedder, settings.search_timeout_seconds * 2, CatalogueRepository(session)
    )


ServiceDep = Annotated[RecommendationService, Depends(get_service)]


def record(recorder: Recorder, data: RecommendationData, stream: str) -> None:
    recorder.record(
        "recommend",
        payload={"career_ids": [r.career.id for r in data.recommendations]},
        stream=stream,
    )


@router.post(
    "/recommendations",
    response_model=Envelope[RecommendationData],
    responses=ERRORS,
    summary="Careers ranked by compatibility with a student's profile, with reasons",
    description=FORMULA,
)
async def recommend(
    request: Request,
    profile: Profile,
    service: ServiceDep,
    use_cache: UseCacheDep,
    recorder: RecorderDep,
) -> Envelope[RecommendationData]:
    with RECOMMENDATION_DURATION.time():
        outcome = await service.recommend(profile, use_cache)
    record(recorder, outcome.data, profile.stream)
    return envelope(
        request, outcome.data, cached=outcome.cached, index=outcome.index, degraded=outcome.degraded
    )


@router.get(
    "/recommendations/{user_id}",
    response_model=Envelope[RecommendationData],
    responses=ERRORS,
    summary="Recommendations from a student's saved profile (the student or an admin)",
    description=FORMULA,
)
async def recommend_for_user(
    request: Request,
    user_id: Annotated[uuid.UUID, Path()],
    principal: PrincipalDep,
    session: SessionDep,
    profiles: ProfileRepositoryDep,
    service: ServiceDep,
    use_cache: UseCacheDep,
    recorder: RecorderDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> Envelope[RecommendationData]:
    if principal.kind == "anonymous":
        raise AuthenticationFailed("sign in to read saved recommendations")
    if principal.user_id != user_id and not principal.is_admin:
        raise Forbidden("a student can read only their own recommendations")
    if await UserRepository(session).get_one_or_none(user_id) is None:
        raise NotFoundError("USER_NOT_FOUND", f"no account with id {user_id}")
    saved = await profiles.load(user_id)
    if saved is None or saved.grade is None or saved.stream is None:
        raise AppError(
            "PROFILE_INCOMPLETE",
            "save a profile with grade and stream first (PUT /api/v1/users/profile)",
            422,
            {"needs": ["grade", "stream"]},
        )
    profile = Profile(
        grade=saved.grade,
        stream=saved.stream,
        interests=saved.interests,
        skills=saved.skills,
        salary_min=saved.salary_min,
        salary_max=saved.salary_max,
        work_preferences=saved.work_preferences,
        limit=limit,
    )
    with RECOMMENDATION_DURATION.time():
        outcome = await service.recommend(profile, use_cache)
    record(recorder, outcome.data, profile.stream)
    return envelope(
        request, outcome.data, cached=outcome.cached, index=outcome.index, degraded=outcome.degraded
    )
