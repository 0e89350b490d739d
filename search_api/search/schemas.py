"""Wire shapes of /api/v1/careers/search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from search_api.careers.records import (
    SLUG_PATTERN,
    CategoryName,
    JobOutlook,
    RemoteWork,
    Stream,
    StressLevel,
    TravelRequired,
    WorkLifeBalance,
)

Sort = Literal["relevance", "salary_desc", "salary_asc", "name"]
ExamId = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=50)]


class SearchParams(BaseModel):
    """Query parameters. Repeat a facet parameter to select several values (OR)."""

    model_config = {"extra": "forbid"}

    q: Annotated[str, Field(max_length=200, description="What the student typed")] = ""
    category: list[CategoryName] = Field(
        default=[], description="Category name, e.g. Medicine (GET /api/v1/categories lists them)"
    )
    stream: list[Stream] = Field(
        default=[], description="Student stream; PCMB also sees PCM and PCB careers"
    )
    work_life_balance: list[WorkLifeBalance] = []
    stress_level: list[StressLevel] = []
    job_outlook: list[JobOutlook] = []
    remote_work: list[RemoteWork] = []
    travel_required: list[TravelRequired] = []
    exam: list[ExamId] = Field(default=[], description="Entrance exam id, e.g. neet-ug")
    salary_min: Annotated[
        int | None, Field(ge=0, le=100_000_000, description="INR/year, against mid-career pay")
    ] = None
    salary_max: Annotated[int | None, Field(ge=0, le=100_000_000)] = None
    page: Annotated[int, Field(ge=1, le=1000)] = 1
    size: Annotated[int, Field(ge=1, le=50)] = 10
    sort: Sort = "relevance"


class FacetCount(BaseModel):
    value: str
    count: int
    min: int | None = None
    max: int | None = None


class SearchResult(BaseModel):
    id: str
    name: str
    hindi_name: str
    category: str
    score: float
    highlights: dict[str, list[str]]
    matched_by: list[str]
    description: str
    streams: list[str]
    entry_salary: int
    mid_salary: int
    senior_salary: int
    stress_level: str
    work_life_balance: str
    job_outlook: str
    remote_work: str


class Relaxation(BaseModel):
    parameter: str
    value: Any
    results_without_it: int


class ZeroResults(BaseModel):
    reason: Literal["filters", "query"]
    message: str
    relaxations: list[Relaxation]


class SearchData(BaseModel):
    total: int
    page: int
    size: int
    results: list[SearchResult]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None
    zero_results: ZeroResults | None = None
