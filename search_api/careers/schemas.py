"""Wire shapes of the careers endpoints (browse, detail, compare, admin writes)."""

from __future__ import annotations

from pydantic import BaseModel

from search_api.careers.records import (
    JobOutlook,
    RemoteWork,
    Stream,
    StressLevel,
    TravelRequired,
    WorkLifeBalance,
)


class CareerSummary(BaseModel):
    id: str
    name: str
    hindi_name: str
    category: str
    entry_salary: int
    mid_salary: int
    senior_salary: int
    streams: list[str]


class CareerPage(BaseModel):
    total: int
    page: int
    size: int
    results: list[CareerSummary]


class ExamOut(BaseModel):
    id: str
    name: str
    full_name: str
    conducting_body: str
    month: str
    level: str
    subjects: list[str]
    eligibility: str


class InstitutionOut(BaseModel):
    id: str
    name: str
    city: str
    state: str
    type: str


class CareerRef(BaseModel):
    id: str
    name: str
    category: str


class CareerDetail(BaseModel):
    id: str
    name: str
    category: str
    description: str
    entry_salary: int
    mid_salary: int
    senior_salary: int
    work_hours: str
    work_environment: str
    stress_level: StressLevel
    work_life_balance: WorkLifeBalance
    travel_required: TravelRequired
    remote_work: RemoteWork
    degree: str
    duration: str
    job_outlook: JobOutlook
    entrance_exams: list[ExamOut]
    top_institutions: list[InstitutionOut]
    skills: list[str]
    pros: list[str]
    cons: list[str]
    suitable_for: list[str]
    alternatives: list[CareerRef]
    streams: list[Stream]
    subjects: list[str]
    interests: list[str]
    aliases: list[str]
    hindi_name: str
    hindi_aliases: list[str]
    hinglish: list[str]
    prominence: int


class CategoryOut(BaseModel):
    name: str
    slug: str
    hindi_name: str
    description: str


class CategoryList(BaseModel):
    categories: list[CategoryOut]


class DeletedCareer(BaseModel):
    id: str
    deleted: bool = True


class CompareCareer(BaseModel):
    id: str
    name: str
    hindi_name: str
    category: str
    entry_salary: int
    mid_salary: int
    senior_salary: int
    streams: list[str]
    exams: list[str]
    duration: str
    stress_level: str
    work_life_balance: str
    job_outlook: str
    remote_work: str
    travel_required: str
    skills: list[str]


class CompareData(BaseModel):
    careers: list[CompareCareer]
    differs: dict[str, bool]
    common_skills: list[str]
