"""Wire shapes of POST /api/v1/interactions and the analytics reads."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from search_api.careers.records import SLUG_PATTERN

Period = Literal["7d", "30d", "90d", "365d"]
PERIOD_DAYS: dict[str, int] = {"7d": 7, "30d": 30, "90d": 90, "365d": 365}
CareerSlug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=50)]


class InteractionIn(BaseModel):
    """A result click. Searches, views, comparisons and recommendations are recorded by the
    endpoints that serve them."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["click"] = "click"
    career_id: CareerSlug
    query: Annotated[str | None, Field(max_length=200, description="The search clicked from")] = (
        None
    )
    position: Annotated[int | None, Field(ge=1, le=1000, description="1 = the top result")] = None
    source: Literal["search", "recommendations", "compare", "popular"] = "search"


class Accepted(BaseModel):
    accepted: bool


class PopularCareer(BaseModel):
    id: str
    name: str
    category: str
    views: int
    clicks: int
    compares: int
    interest: int = Field(description="views + clicks + compares: what the list is ranked by")


class PopularData(BaseModel):
    period: Period
    stream: str | None
    since: date
    careers: list[PopularCareer]


class TrendBucket(BaseModel):
    day: date
    views: int
    clicks: int
    compares: int
    search_results: int = Field(description="Times shown on a search results page")


class TrendData(BaseModel):
    career_id: str | None
    category: str | None
    days: int
    since: date
    buckets: list[TrendBucket]


class QueryCount(BaseModel):
    query: str
    clicks: int


class CoViewed(BaseModel):
    id: str
    name: str
    sessions: int


class StreamShare(BaseModel):
    stream: str = Field(description="'' for viewers whose stream is unknown")
    views: int
    share: float


class InsightsData(BaseModel):
    career_id: str
    period: Period
    since: date
    views: int
    clicks: int
    compares: int
    recommended: int
    search_results: int
    leading_queries: list[QueryCount] = Field(description="Searches whose results led here")
    co_viewed: list[CoViewed] = Field(
        description="Careers viewed in the same sessions (counted by whole months: from the "
        "first of the month the period starts in)"
    )
    stream_mix: list[StreamShare]
