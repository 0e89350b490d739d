"""Wire shapes of POST /api/v1/recommendations."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from search_api.careers.records import Stream, StressLevel, TravelRequired, WorkLifeBalance

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]


class WorkPreferences(BaseModel):
    model_config = ConfigDict(extra="forbid")

    remote: bool = Field(False, description="Only careers that allow remote or hybrid work")
    max_travel: TravelRequired | None = Field(None, description="Most travel you accept")
    min_work_life_balance: WorkLifeBalance | None = None
    max_stress: StressLevel | None = None


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: Literal[11, 12]
    stream: Stream
    interests: Annotated[list[Phrase], Field(max_length=20)] = []
    skills: Annotated[list[Phrase], Field(max_length=20)] = []
    salary_min: Annotated[int | None, Field(ge=0, le=100_000_000, description="INR/year")] = None
    salary_max: Annotated[int | None, Field(ge=0, le=100_000_000, description="INR/year")] = None
    work_preferences: WorkPreferences = WorkPreferences()
    limit: Annotated[int, Field(ge=1, le=50)] = 10

    @model_validator(mode="after")
    def _range(self) -> Profile:
        if (
            self.salary_min is not None
            and self.salary_max is not None
            and self.salary_min > self.salary_max
        ):
            raise ValueError("salary_min is greater than salary_max")
        return self


class CareerBrief(BaseModel):
    id: str
    name: str
    category: str


class Breakdown(BaseModel):
    stream: float
    interest: float
    skill: float
    salary: float


class Recommendation(BaseModel):
    career: CareerBrief
    score: float
    breakdown: Breakdown
    reasons: list[str]
    mid_salary: int
    streams: list[str]


class RecommendationData(BaseModel):
    recommendations: list[Recommendation]
    weights: dict[str, float]
    candidates: int
