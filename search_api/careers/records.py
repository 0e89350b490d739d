"""The catalogue's record shapes: what a career, an exam and an institution must look like.

The loader (`careers-admin load`) and the admin API validate with these same models, so a
record the CLI rejects is rejected by the API with the same field names and messages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

SLUG_PATTERN = r"^[a-z0-9-]+$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=2, max_length=50)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=600)]

Stream = Literal["PCM", "PCB", "PCMB", "Commerce", "Humanities"]
StressLevel = Literal["Low", "Medium", "High"]
WorkLifeBalance = Literal["Poor", "Moderate", "Good", "Excellent"]
JobOutlook = Literal["Stable", "Growing", "High Demand"]
TravelRequired = Literal["Rare", "Occasional", "Frequent"]
RemoteWork = Literal["None", "Partial", "Full"]
Riasec = Literal["R", "I", "A", "S", "E", "C"]

Category = Literal[
    "Technology",
    "Engineering",
    "Medicine",
    "Allied Health",
    "AYUSH",
    "Nursing",
    "Pharmacy",
    "Law",
    "Commerce & Finance",
    "Management",
    "Design",
    "Architecture",
    "Media & Journalism",
    "Arts & Performing Arts",
    "Civil Services",
    "Defence",
    "Aviation",
    "Merchant Navy",
    "Science & Research",
    "Agriculture & Veterinary",
    "Education",
    "Hospitality & Culinary",
    "Sports",
    "Social Sciences & Psychology",
    "Government & Banking Jobs",
    "Skilled Trades",
    "Emerging Fields",
]

# The value lists, read off the Literal types so each vocabulary is written once.
STREAMS: tuple[Stream, ...] = get_args(Stream)
STRESS_LEVELS: tuple[StressLevel, ...] = get_args(StressLevel)
WORK_LIFE_BALANCES: tuple[WorkLifeBalance, ...] = get_args(WorkLifeBalance)
JOB_OUTLOOKS: tuple[JobOutlook, ...] = get_args(JobOutlook)
TRAVEL_LEVELS: tuple[TravelRequired, ...] = get_args(TravelRequired)
REMOTE_LEVELS: tuple[RemoteWork, ...] = get_args(RemoteWork)
RIASEC_LETTERS: tuple[Riasec, ...] = get_args(Riasec)
CATEGORIES: tuple[str, ...] = get_args(Category)

# Salaries are INR per year. The bounds catch unit slips (monthly figures, lakhs typed as
# rupees, an extra zero) rather than judge the career.
MIN_ENTRY_SALARY = 150_000
MAX_SENIOR_SALARY = 20_000_000

# PCMB students study both maths and biology, so they are eligible for PCM and PCB careers.
# A catalogue rule: search filters, recommendations and scoring all apply it.
STREAM_ELIGIBILITY: dict[str, tuple[str, ...]] = {
    "PCM": ("PCM",),
    "PCB": ("PCB",),
    "PCMB": ("PCM", "PCB", "PCMB"),
    "Commerce": ("Commerce",),
    "Humanities": ("Humanities",),
}


def eligible_streams(streams: Iterable[str]) -> list[str]:
    """The career streams open to students of the given streams, without repeats."""
    out: list[str] = []
    for stream in streams:
        for s in STREAM_ELIGIBILITY.get(stream, (stream,)):
            if s not in out:
                out.append(s)
    return out


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _unique(values: list[str], field: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{field} lists {value!r} twice")
        seen.add(key)
    return values


class CareerRecord(BaseModel):
    """One career as authored in data/careers/*.yaml and as accepted by the admin API."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: ShortText
    category: Category
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=80, max_length=1500)
    ]
    entry_salary: Annotated[int, Field(ge=MIN_ENTRY_SALARY, le=MAX_SENIOR_SALARY)]
    mid_salary: Annotated[int, Field(ge=MIN_ENTRY_SALARY, le=MAX_SENIOR_SALARY)]
    senior_salary: Annotated[int, Field(ge=MIN_ENTRY_SALARY, le=MAX_SENIOR_SALARY)]
    work_hours: ShortText
    work_environment: ShortText
    stress_level: StressLevel
    work_life_balance: WorkLifeBalance
    travel_required: TravelRequired
    remote_work: RemoteWork
    degree: ShortText
    entrance_exams: list[Slug]
    top_institutions: Annotated[list[Slug], Field(min_length=1)]
    duration: ShortText
    skills: Annotated[list[ShortText], Field(min_length=3, max_length=15)]
    job_outlook: JobOutlook
    pros: Annotated[list[LongText], Field(min_length=2, max_length=8)]
    cons: Annotated[list[LongText], Field(min_length=2, max_length=8)]
    suitable_for: Annotated[list[LongText], Field(min_length=1, max_length=8)]
    alternatives: Annotated[list[Slug], Field(min_length=1, max_length=8)]
    streams: Annotated[list[Stream], Field(min_length=1)]
    subjects: Annotated[list[ShortText], Field(min_length=1, max_length=10)]
    interests: Annotated[list[ShortText], Field(min_length=2, max_length=20)]
    aliases: Annotated[list[ShortText], Field(max_length=15)]

    @field_validator("description")
    @classmethod
    def _three_to_five_sentences(cls, value: str) -> str:
        sentences = len(_SENTENCE_END.findall(value))
        if not 3 <= sentences <= 5:
            raise ValueError(f"description must have 3-5 sentences, found {sentences}")
        return value

    @field_validator(
        "entrance_exams",
        "top_institutions",
        "skills",
        "alternatives",
        "streams",
        "subjects",
        "aliases",
        "pros",
        "cons",
        "suitable_for",
    )
    @classmethod
    def _no_repeats(cls, value: list[str], info: object) -> list[str]:
        return _unique(value, getattr(info, "field_name", "list"))

    @field_validator("interests")
    @classmethod
    def _riasec_and_tags(cls, value: list[str]) -> list[str]:
        _unique(value, "interests")
        letters = [v for v in value if len(v) == 1]
        if not letters:
            raise ValueError("interests must include at least one RIASEC letter (R, I, A, S, E, C)")
        bad = [v for v in letters if v not in RIASEC_LETTERS]
        if bad:
            raise ValueError(f"unknown RIASEC letter(s): {', '.join(bad)}")
        tags = [v for v in value if len(v) > 1]
        if not tags:
            raise ValueError("interests must include at least one plain interest tag")
        upper = [t for t in tags if t != t.lower()]
        if upper:
            raise ValueError(f"interest tags are lowercase: {', '.join(upper)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CareerRecord:
        if not self.entry_salary <= self.mid_salary <= self.senior_salary:
            raise ValueError(
                "salaries out of order: entry_salary <= mid_salary <= senior_salary is required "
                f"(got {self.entry_salary}, {self.mid_salary}, {self.senior_salary})"
            )
        # PCMB students study both maths and biology, so they can pursue anything PCM or PCB can.
        if ({"PCM", "PCB"} & set(self.streams)) and "PCMB" not in self.streams:
            raise ValueError("streams: a career open to PCM or PCB must also list PCMB")
        if self.id in self.alternatives:
            raise ValueError("alternatives: a career cannot be its own alternative")
        return self

    @property
    def riasec(self) -> list[str]:
        return [v for v in self.interests if len(v) == 1]

    @property
    def interest_tags(self) -> list[str]:
        return [v for v in self.interests if len(v) > 1]


class ExamRecord(BaseModel):
    """An entrance exam, as authored in data/exams/*.yaml."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: ShortText
    full_name: ShortText
    conducting_body: ShortText
    month: ShortText
    level: Literal["National", "State", "University", "Institute"]
    subjects: Annotated[list[ShortText], Field(min_length=1)]
    eligibility: ShortText


class InstitutionRecord(BaseModel):
    """A college or university, as authored in data/institutions/*.yaml."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: ShortText
    city: ShortText
    state: ShortText
    type: Literal[
        "IIT",
        "NIT",
        "IIIT",
        "IIM",
        "AIIMS",
        "NLU",
        "Central University",
        "State University",
        "Government College",
        "Private University",
        "Deemed University",
        "Autonomous Institute",
        "Government Institute",
        "Private College",
        "Defence Academy",
    ]
