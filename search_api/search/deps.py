"""Dependencies of the search domain: the CareerIndex and the search service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.careers.repository import CatalogueRepository
from search_api.core.deps import CacheDep, EmbedderDep, SessionDep, SettingsDep
from search_api.search.index import CareerIndex
from search_api.search.memo import CatalogueMemo
from search_api.search.service import SearchService


async def get_career_index(request: Request) -> CareerIndex:
    index: CareerIndex = request.state.career_index
    return index


async def get_catalogue_memo(request: Request) -> CatalogueMemo:
    memo: CatalogueMemo = request.state.catalogue_memo
    return memo


CareerIndexDep = Annotated[CareerIndex, Depends(get_career_index)]
CatalogueMemoDep = Annotated[CatalogueMemo, Depends(get_catalogue_memo)]


async def get_search_service(
    settings: SettingsDep,
    index: CareerIndexDep,
    cache: CacheDep,
    embedder: EmbedderDep,
    session: SessionDep,
    memo: CatalogueMemoDep,
) -> SearchService:
    return SearchService(
        index,
        cache,
        embedder,
        CatalogueRepository(session),
        memo,
        settings.search_timeout_seconds,
    )


SearchServiceDep = Annotated[SearchService, Depends(get_search_service)]
