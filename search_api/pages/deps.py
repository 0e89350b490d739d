"""The pages' one link to the domain services: built in-process from the same dependencies
as the JSON endpoints, so a page and its API answer always agree.

Kept to this module on purpose: when the services' constructors move, only this file follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.exc import DBAPIError

from search_api.careers.endpoints import ServiceDep as CareerServiceDep
from search_api.careers.service import CareerService
from search_api.core.deps import SettingsDep
from search_api.core.settings import Settings
from search_api.recommendations.endpoints import ServiceDep as RecommendationServiceDep
from search_api.recommendations.service import RecommendationService
from search_api.search.deps import CareerIndexDep, SearchServiceDep
from search_api.search.index import CareerIndex
from search_api.search.service import SearchService
from search_api.search.suggest_query import SuggestData, suggest_careers


@dataclass
class PageServices:
    settings: Settings
    search: SearchService
    careers: CareerService
    recommendations: RecommendationService
    index: CareerIndex

    async def exam_names(self, ids: Sequence[str]) -> dict[str, str]:
        """Exam ids -> short names, for the exam facet. Without Postgres, the ids themselves."""
        if not ids:
            return {}
        try:
            exams = await self.careers.repo.exams(list(ids))
        except (DBAPIError, OSError):
            await self.reset()
            return {}
        return {exam_id: exam.name for exam_id, exam in exams.items()}

    async def suggest(self, q: str, size: int) -> SuggestData:
        return await suggest_careers(self.index, q, size)

    async def reset(self) -> None:
        """After a failed read the session must roll back before the request ends."""
        try:
            await self.careers.repo.session.rollback()
        except (DBAPIError, OSError):
            pass


async def get_page_services(
    settings: SettingsDep,
    search: SearchServiceDep,
    careers: CareerServiceDep,
    recommendations: RecommendationServiceDep,
    index: CareerIndexDep,
) -> PageServices:
    return PageServices(settings, search, careers, recommendations, index)


PagesDep = Annotated[PageServices, Depends(get_page_services)]
