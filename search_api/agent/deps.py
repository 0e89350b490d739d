"""The agent service, built per request from the clients lifespan made."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.agent.service import AgentKit, AgentService
from search_api.core.deps import (
    CacheDep,
    EmbedderDep,
    RedisDep,
    SessionDep,
    SettingsDep,
    UseCacheDep,
)
from search_api.profiles.deps import ProfileRepositoryDep
from search_api.recommendations.service import RecommendationService
from search_api.search.deps import CareerIndexDep, SearchServiceDep


async def get_agent_kit(request: Request) -> AgentKit:
    kit: AgentKit = request.state.agent
    return kit


async def get_agent_service(
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    index: CareerIndexDep,
    search: SearchServiceDep,
    cache: CacheDep,
    embedder: EmbedderDep,
    profiles: ProfileRepositoryDep,
    kit: Annotated[AgentKit, Depends(get_agent_kit)],
    use_cache: UseCacheDep,
) -> AgentService:
    recommendations = RecommendationService(
        index, cache, embedder, settings.search_timeout_seconds * 2
    )
    return AgentService(
        session,
        redis,
        kit,
        settings,
        index,
        search,
        recommendations,
        profiles,
        use_cache=use_cache,
    )


AgentServiceDep = Annotated[AgentService, Depends(get_agent_service)]
