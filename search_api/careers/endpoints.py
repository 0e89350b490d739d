"""Catalogue endpoints: browse and read for everyone, write for admins."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status

from search_api.careers.records import SLUG_PATTERN, CareerRecord, CategoryName, Stream
from search_api.careers.repository import CatalogueRepository
from search_api.careers.schemas import (
    CareerDetail,
    CareerPage,
    CategoryList,
    CompareData,
    DeletedCareer,
)
from search_api.careers.service import CareerService
from search_api.core.audit import AuditDep
from search_api.core.auth_first import AuthenticateFirstRoute
from search_api.core.deps import SessionDep
from search_api.core.envelope import Envelope, ErrorEnvelope, envelope
from search_api.core.errors import ValidationFailed
from search_api.core.interactions import RecorderDep
from search_api.core.pagination import max_page, page_description
from search_api.core.security import AdminDep

router = APIRouter(prefix="/api/v1/careers", tags=["careers"], route_class=AuthenticateFirstRoute)
categories_router = APIRouter(prefix="/api/v1/categories", tags=["careers"])

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 409, 422, 429, 503)
}


async def get_service(session: SessionDep) -> CareerService:
    return CareerService(CatalogueRepository(session))


ServiceDep = Annotated[CareerService, Depends(get_service)]
MAX_BROWSE_SIZE = 100
BROWSE_PAGES = page_description(MAX_BROWSE_SIZE)
CareerId = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=50, description="Career id (slug)")]


@router.get("", response_model=Envelope[CareerPage], responses=ERRORS, summary="Browse careers")
async def list_careers(
    request: Request,
    service: ServiceDep,
    page: Annotated[
        int,
        Query(ge=1, le=max_page(MAX_BROWSE_SIZE), description=page_description(MAX_BROWSE_SIZE)),
    ] = 1,
    size: Annotated[int, Query(ge=1, le=MAX_BROWSE_SIZE)] = 20,
    category: Annotated[
        list[CategoryName] | None, Query(description="Category names, e.g. Medicine")
    ] = None,
    stream: Annotated[
        list[Stream] | None, Query(description="Careers open to these streams")
    ] = None,
) -> Envelope[CareerPage]:
    return envelope(request, await service.page(page, size, category or [], stream or []))


@categories_router.get(
    "", response_model=Envelope[CategoryList], responses=ERRORS, summary="The career categories"
)
async def list_categories(request: Request, service: ServiceDep) -> Envelope[CategoryList]:
    """Every category with its Hindi name and what its careers share (the category facet's
    values)."""
    return envelope(request, await service.categories())


# What parse_ids accepts, for OpenAPI: 2 to 4 slugs (spaces around the commas are allowed).
COMPARE_IDS_PATTERN = r"^ *[a-z0-9-]{1,50}( *, *[a-z0-9-]{1,50}){1,3} *$"


def parse_ids(ids: str) -> list[str]:
    parts = [p.strip() for p in ids.split(",") if p.strip()]
    problems = []
    if not 2 <= len(parts) <= 4:
        problems.append(f"give 2 to 4 career ids, got {len(parts)}")
    if len(set(parts)) != len(parts):
        problems.append("the same career is listed twice")
    bad = [p for p in parts if not re.fullmatch(SLUG_PATTERN, p) or len(p) > 50]
    if bad:
        problems.append(f"not a career id: {', '.join(bad)}")
    if problems:
        raise ValidationFailed.fields("ids", [("query", m) for m in problems])
    return parts


@router.get(
    "/compare",
    response_model=Envelope[CompareData],
    responses=ERRORS,
    summary="Compare 2-4 careers side by side",
)
async def compare_careers(
    request: Request,
    service: ServiceDep,
    ids: Annotated[
        str,
        Query(
            pattern=COMPARE_IDS_PATTERN,
            max_length=4 * 51,
            description="2 to 4 different career ids, comma-separated, e.g. doctor-mbbs,dentist",
        ),
    ],
    recorder: RecorderDep,
) -> Envelope[CompareData]:
    wanted = parse_ids(ids)
    data = await service.compare(wanted)
    for career_id in wanted:
        recorder.record(
            "compare",
            career_id=career_id,
            payload={"compared_with": [c for c in wanted if c != career_id]},
        )
    return envelope(request, data)


@router.get(
    "/{career_id}",
    response_model=Envelope[CareerDetail],
    responses=ERRORS,
    summary="One career with exams, institutions and alternatives resolved",
)
async def get_career(
    request: Request, career_id: CareerId, service: ServiceDep, recorder: RecorderDep
) -> Envelope[CareerDetail]:
    detail = await service.detail(career_id)
    recorder.record("view", career_id=career_id)
    return envelope(request, detail)


@router.post(
    "",
    response_model=Envelope[CareerDetail],
    status_code=status.HTTP_201_CREATED,
    responses=ERRORS,
    summary="Add a career (admin)",
)
async def create_career(
    request: Request, record: CareerRecord, service: ServiceDep, _: AdminDep, audit: AuditDep
) -> Envelope[CareerDetail]:
    created = await service.create(record)
    await audit.record("career.create", "career", record.id, None, record.model_dump(mode="json"))
    return envelope(request, created)


@router.put(
    "/{career_id}",
    response_model=Envelope[CareerDetail],
    responses=ERRORS,
    summary="Replace a career (admin)",
)
async def replace_career(
    request: Request,
    career_id: CareerId,
    record: CareerRecord,
    service: ServiceDep,
    _: AdminDep,
    audit: AuditDep,
) -> Envelope[CareerDetail]:
    before = await service.snapshot(career_id)
    replaced = await service.replace(career_id, record)
    await audit.record("career.update", "career", career_id, before, record.model_dump(mode="json"))
    return envelope(request, replaced)


@router.delete(
    "/{career_id}",
    response_model=Envelope[DeletedCareer],
    responses=ERRORS,
    summary="Remove a career (admin)",
)
async def delete_career(
    request: Request, career_id: CareerId, service: ServiceDep, _: AdminDep, audit: AuditDep
) -> Envelope[DeletedCareer]:
    before = await service.snapshot(career_id)
    await service.delete(career_id)
    await audit.record("career.delete", "career", career_id, before, None)
    return envelope(request, DeletedCareer(id=career_id))
