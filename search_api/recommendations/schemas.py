"""Wire shapes of the recommendations (the request profile is profiles.schemas.Profile)."""

from __future__ import annotations

from pydantic import BaseModel


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
