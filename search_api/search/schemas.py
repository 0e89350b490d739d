"""Wire shapes of /api/v1/careers/search."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PrivateAttr

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
from search_api.core.pagination import max_page, page_description
from search_api.profiles.schemas import ProfileQuery
from search_api.search.facets import Filters

Sort = Literal["relevance", "salary_desc", "salary_asc", "name"]
ExamId = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=50)]
# Values one facet parameter may repeat: more than any facet has, few enough that a request
# with a thousand of them is one short 422.
MAX_FILTER_VALUES = 50
MAX_PAGE_SIZE = 50
UnderstoodKey = Annotated[str, Field(pattern=r"^[a-z_]+(:[\w &,.()'/-]+)?$", max_length=120)]


class SearchParams(BaseModel):
    """Query parameters. Repeat a facet parameter to select several values (OR)."""

    model_config = {"extra": "forbid"}
    # A profile's hard constraints, set by search/personalise.py, never by the query string.
    _constraints: Filters | None = PrivateAttr(default=None)

    q: Annotated[str, Field(max_length=200, description="What the student typed")] = ""
    category: list[CategoryName] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Category name, e.g. Medicine (GET /api/v1/categories lists them)",
    )
    stream: list[Stream] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Student stream; PCMB also sees PCM and PCB careers",
    )
    work_life_balance: list[WorkLifeBalance] = Field(default=[], max_length=MAX_FILTER_VALUES)
    stress_level: list[StressLevel] = Field(default=[], max_length=MAX_FILTER_VALUES)
    job_outlook: list[JobOutlook] = Field(default=[], max_length=MAX_FILTER_VALUES)
    remote_work: list[RemoteWork] = Field(default=[], max_length=MAX_FILTER_VALUES)
    travel_required: list[TravelRequired] = Field(default=[], max_length=MAX_FILTER_VALUES)
    exam: list[ExamId] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Entrance exam id, e.g. neet-ug; an id that is not in the catalogue is a 422",
    )
    salary_min: Annotated[
        int | None,
        Field(
            ge=0,
            le=100_000_000,
            description="INR/year, against mid-career pay; must not exceed salary_max (422)",
        ),
    ] = None
    salary_max: Annotated[
        int | None, Field(ge=0, le=100_000_000, description="INR/year; at least salary_min")
    ] = None
    page: Annotated[
        int,
        Field(ge=1, le=max_page(MAX_PAGE_SIZE), description=page_description(MAX_PAGE_SIZE)),
    ] = 1
    size: Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)] = 10
    sort: Sort = "relevance"
    understand: bool = Field(
        default=True,
        description="Read constraints out of q (stream, 'without maths', salary, stress, "
        "remote, sector, exams, Hindi and Hinglish career names) and apply them; false "
        "searches the words as typed. data.understood lists what was read.",
    )
    ignore: list[UnderstoodKey] = Field(
        default=[],
        max_length=MAX_FILTER_VALUES,
        description="Keys of understood constraints to drop (data.understood.constraints[].key), "
        "e.g. ignore=stream or ignore=excluded_subject:Mathematics",
    )


class SearchQuery(ProfileQuery, SearchParams):
    """What GET /api/v1/careers/search reads: the search, then (ProfileQuery) the inline
    profile and `personalise`. Listed in this order in OpenAPI."""

    model_config = {"extra": "forbid"}

    def search_params(self) -> SearchParams:
        return SearchParams.model_validate(self.model_dump(include=set(SearchParams.model_fields)))


class FacetCount(BaseModel):
    value: str
    count: int
    min: int | None = None
    max: int | None = None


class FitBreakdown(BaseModel):
    stream: float
    interest: float
    skill: float
    salary: float


class Fit(BaseModel):
    """How well the career fits the student's profile, with the compatibility formula's
    parts (score = 0.3·stream + 0.4·interest + 0.2·skill + 0.1·salary)."""

    score: float
    breakdown: FitBreakdown
    reasons: list[str]
    relevance: float = Field(description="The search relevance it was blended with, in [0, 1]")


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
    # Only in personalised answers; absent (not null) otherwise, so an unpersonalised answer
    # is byte for byte what it was before profiles existed.
    fit: Fit | None = Field(default=None, exclude_if=lambda value: value is None)


class Relaxation(BaseModel):
    parameter: str
    value: Any
    results_without_it: int


class ZeroResults(BaseModel):
    reason: Literal["filters", "query"]
    message: str
    relaxations: list[Relaxation]


class UnderstoodConstraint(BaseModel):
    """One thing query understanding read from q, and what search did with it."""

    key: str = Field(description="Pass as ignore=<key> to search without it")
    kind: str = Field(description="stream, excluded_subject, salary_min, stress_level, ...")
    value: Any
    label: str = Field(description="For a chip: 'stream: Commerce'")
    words: str = Field(description="The words of q it came from")
    applied: Literal["filter", "boost", "relaxed", "noted"] = Field(
        description="filter: results must satisfy it; boost: preferred in the ranking; "
        "relaxed: dropped because with it nothing matched; noted: read, nothing to apply"
    )


class Correction(BaseModel):
    original: str
    corrected: str


class Understood(BaseModel):
    """What search read from q. Undo all of it with understand=false, or one constraint with
    ignore=<key>."""

    text: str = Field(description="The words searched as text once constraints were taken out")
    script: Literal["latin", "devanagari", "mixed"]
    constraints: list[UnderstoodConstraint]
    corrections: list[Correction]
    relaxed: list[str] = Field(description="Keys of constraints relaxed to avoid zero results")
    message: str | None = Field(description="Said when a constraint was relaxed")
    undo_all: str = "understand=false"


class SearchData(BaseModel):
    total: int
    page: int
    size: int
    results: list[SearchResult]
    facets: dict[str, list[FacetCount]]
    suggestion: str | None
    zero_results: ZeroResults | None = None
    # Absent unless q was understood (understand=true and something was read from it).
    understood: Understood | None = Field(default=None, exclude_if=lambda value: value is None)
