"""The catalogue's record shapes: what a career, an exam and an institution must look like.

The loader (`careers-admin load`) and the admin API validate with these same models, so a
record the CLI rejects is rejected by the API with the same field names and messages.
"""

from __future__ import annotations

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

# Category names are data (data/categories.yaml), not a list in code: another catalogue brings
# its own. What a name may look like is fixed, so it can travel in URLs and query strings.
CATEGORY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 &,'()./-]*$"
CategoryName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=60, pattern=CATEGORY_PATTERN),
]

# The value lists, read off the Literal types so each vocabulary is written once.
STREAMS: tuple[Stream, ...] = get_args(Stream)
STRESS_LEVELS: tuple[StressLevel, ...] = get_args(StressLevel)
WORK_LIFE_BALANCES: tuple[WorkLifeBalance, ...] = get_args(WorkLifeBalance)
JOB_OUTLOOKS: tuple[JobOutlook, ...] = get_args(JobOutlook)
TRAVEL_LEVELS: tuple[TravelRequired, ...] = get_args(TravelRequired)
REMOTE_LEVELS: tuple[RemoteWork, ...] = get_args(RemoteWork)
RIASEC_LETTERS: tuple[Riasec, ...] = get_args(Riasec)

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


def _unique(values: list[str], field: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        key = value.casefold()
        if key in seen:
            raise ValueError(f"{field} lists {value!r} twice")
        seen.add(key)
    return values


class CareerRecord(BaseModel):
    """One career as authored in data/careers/*.yaml and as accepted by the admin API.

    These are the rules the product needs (types, ranges, vocabularies, bounded sizes; the
    references are checked against the rest of the catalogue in files.py). How our own
    catalogue is written (sentence counts, minimum list lengths, Hindi names on every career)
    is checked by careers/style.py in tests and scripts/check_catalogue.py, so an admin can
    load another catalogue that is complete but written differently.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: Slug
    name: ShortText
    category: CategoryName
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)
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
    entrance_exams: Annotated[list[Slug], Field(max_length=15)]
    top_institutions: Annotated[list[Slug], Field(max_length=15)]
    duration: ShortText
    skills: Annotated[list[ShortText], Field(max_length=15)]
    job_outlook: JobOutlook
    pros: Annotated[list[LongText], Field(max_length=8)]
    cons: Annotated[list[LongText], Field(max_length=8)]
    suitable_for: Annotated[list[LongText], Field(max_length=8)]
    alternatives: Annotated[list[Slug], Field(max_length=8)]
    streams: Annotated[list[Stream], Field(min_length=1)]
    subjects: Annotated[list[ShortText], Field(max_length=10)]
    interests: Annotated[list[ShortText], Field(max_length=20)]
    aliases: Annotated[list[ShortText], Field(max_length=15)]
    # Hindi: the name in Devanagari, other Devanagari names, and Latin-letter spellings
    # students type ("vakeel", "daktar"). Optional for the product; our catalogue has them all.
    hindi_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    hindi_aliases: Annotated[list[ShortText], Field(max_length=8)] = []
    hinglish: Annotated[list[ShortText], Field(max_length=12)] = []
    # How often the plain word for this kind of work means this career (1-5, see
    # data/README.md); search uses it only to break near-ties.
    prominence: Annotated[int, Field(ge=1, le=5)] = 3

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
        "hindi_aliases",
        "hinglish",
    )
    @classmethod
    def _no_repeats(cls, value: list[str], info: object) -> list[str]:
        return _unique(value, getattr(info, "field_name", "list"))

    @field_validator("interests")
    @classmethod
    def _riasec_letters(cls, value: list[str]) -> list[str]:
        """One-letter interests are RIASEC types, so they must be real ones."""
        _unique(value, "interests")
        bad = [v for v in value if len(v) == 1 and v not in RIASEC_LETTERS]
        if bad:
            raise ValueError(f"unknown RIASEC letter(s): {', '.join(bad)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CareerRecord:
        if not self.entry_salary <= self.mid_salary <= self.senior_salary:
            raise ValueError(
                "salaries out of order: entry_salary <= mid_salary <= senior_salary is required "
                f"(got {self.entry_salary}, {self.mid_salary}, {self.senior_salary})"
            )
        if self.id in self.alternatives:
            raise ValueError("alternatives: a career cannot be its own alternative")
        return self

    @property
    def riasec(self) -> list[str]:
        return [v for v in self.interests if len(v) == 1]

    @property
    def interest_tags(self) -> list[str]:
        return [v for v in self.interests if len(v) > 1]


class CategoryRecord(BaseModel):
    """A category, as authored in data/categories.yaml."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: CategoryName
    slug: Slug
    hindi_name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] = ""


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
