"""A student's profile: what recommendations are computed from, what search re-ranks by,
and what a student saves with GET/PUT /api/v1/users/profile.

It sits below search and users so that both (and recommendations) read the same shape.
"""

from __future__ import annotations

from typing import Annotated, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from search_api.careers.records import Stream, StressLevel, TravelRequired, WorkLifeBalance
from search_api.core.errors import ValidationFailed

Phrase = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Salary = Annotated[int | None, Field(ge=0, le=100_000_000, description="INR/year")]
# In JSON bodies: strict, so true/false are not read as 1/0 (query strings stay lax: "100")
BodySalary = Annotated[int | None, Field(ge=0, le=100_000_000, strict=True, description="INR/year")]
Language = Literal["en", "hi"]
IndianState = Literal[
    "Andhra Pradesh",
    "Arunachal Pradesh",
    "Assam",
    "Bihar",
    "Chhattisgarh",
    "Goa",
    "Gujarat",
    "Haryana",
    "Himachal Pradesh",
    "Jharkhand",
    "Karnataka",
    "Kerala",
    "Madhya Pradesh",
    "Maharashtra",
    "Manipur",
    "Meghalaya",
    "Mizoram",
    "Nagaland",
    "Odisha",
    "Punjab",
    "Rajasthan",
    "Sikkim",
    "Tamil Nadu",
    "Telangana",
    "Tripura",
    "Uttar Pradesh",
    "Uttarakhand",
    "West Bengal",
    "Andaman and Nicobar Islands",
    "Chandigarh",
    "Dadra and Nagar Haveli and Daman and Diu",
    "Delhi",
    "Jammu and Kashmir",
    "Ladakh",
    "Lakshadweep",
    "Puducherry",
]


class WorkPreferences(BaseModel):
    # strict: 0, 1 or "yes" are not booleans (lax mode would read them as such)
    model_config = ConfigDict(extra="forbid", strict=True)

    remote: bool = Field(False, description="Only careers that allow remote or hybrid work")
    max_travel: TravelRequired | None = Field(None, description="Most travel you accept")
    min_work_life_balance: WorkLifeBalance | None = None
    max_stress: StressLevel | None = None
    strict: bool = Field(
        True,
        description="Treat these preferences as must-haves: careers that break them are "
        "left out. When false they only show up in the reasons.",
    )


def _check_range(salary_min: int | None, salary_max: int | None) -> None:
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        raise ValueError("salary_min is greater than salary_max")


class Profile(BaseModel):
    """POST /api/v1/recommendations: a complete profile (grade and stream are required)."""

    model_config = ConfigDict(extra="forbid")

    grade: Literal[11, 12]
    stream: Stream
    interests: Annotated[list[Phrase], Field(max_length=20)] = []
    skills: Annotated[list[Phrase], Field(max_length=20)] = []
    salary_min: BodySalary = None
    salary_max: BodySalary = None
    work_preferences: WorkPreferences = WorkPreferences()
    limit: Annotated[int, Field(ge=1, le=50, strict=True)] = 10

    @model_validator(mode="after")
    def _range(self) -> Profile:
        _check_range(self.salary_min, self.salary_max)
        return self


class StudentProfile(BaseModel):
    """What a student saves. Every field is optional: a half-filled profile still
    personalises search with what it has."""

    model_config = ConfigDict(extra="forbid")

    grade: Literal[11, 12] | None = None
    stream: Stream | None = None
    interests: Annotated[list[Phrase], Field(max_length=20)] = []
    skills: Annotated[list[Phrase], Field(max_length=20)] = []
    salary_min: BodySalary = None
    salary_max: BodySalary = None
    work_preferences: WorkPreferences = WorkPreferences()
    state: IndianState | None = Field(None, description="Where the student lives")
    preferred_language: Language = "en"

    @model_validator(mode="after")
    def _range(self) -> StudentProfile:
        _check_range(self.salary_min, self.salary_max)
        return self

    @property
    def is_empty(self) -> bool:
        """Nothing here that could change a ranking."""
        prefs = self.work_preferences
        return not (
            self.stream
            or self.interests
            or self.skills
            or self.salary_min is not None
            or self.salary_max is not None
            or prefs.remote
            or prefs.max_travel
            or prefs.min_work_life_balance
            or prefs.max_stress
        )


class FitProfile(Protocol):
    """What the compatibility formula and the hard constraints read of a profile."""

    @property
    def stream(self) -> str | None: ...
    @property
    def interests(self) -> list[str]: ...
    @property
    def skills(self) -> list[str]: ...
    @property
    def salary_min(self) -> int | None: ...
    @property
    def salary_max(self) -> int | None: ...
    @property
    def work_preferences(self) -> WorkPreferences: ...


class ProfileQuery(BaseModel):
    """The profile as query parameters, for callers without a saved one (anonymous students,
    a school's app with an API key). A signed-in student's saved profile is used without
    them; any that are sent override the saved field of the same name."""

    personalise: bool = Field(
        True,
        description="false: ignore every profile (saved or inline) and rank by relevance only",
    )
    profile_stream: Stream | None = Field(
        None, description="Student's stream; only careers open to it are returned"
    )
    profile_interest: list[Phrase] = Field(
        default=[], max_length=20, description="Something the student enjoys (repeat)"
    )
    profile_skill: list[Phrase] = Field(
        default=[], max_length=20, description="Something the student is good at (repeat)"
    )
    profile_salary_min: Salary = Field(
        None, description="INR/year hoped for; careers paying less mid-career are left out"
    )
    profile_salary_max: Salary = None
    profile_remote: bool | None = Field(None, description="Only remote or hybrid work")
    profile_max_travel: TravelRequired | None = None
    profile_min_work_life_balance: WorkLifeBalance | None = None
    profile_max_stress: StressLevel | None = None
    profile_strict: bool | None = Field(
        None, description="Work preferences as must-haves (default true) or only as reasons"
    )

    def has_inline_profile(self) -> bool:
        return any(
            getattr(self, name) not in (None, [])
            for name in ProfileQuery.model_fields
            if name.startswith("profile_")
        )

    def apply_to(self, saved: StudentProfile | None) -> StudentProfile:
        """The saved profile (or an empty one) with the inline fields laid over it."""
        base = saved or StudentProfile()
        prefs = base.work_preferences.model_copy(
            update={
                name: value
                for name, value in (
                    ("remote", self.profile_remote),
                    ("max_travel", self.profile_max_travel),
                    ("min_work_life_balance", self.profile_min_work_life_balance),
                    ("max_stress", self.profile_max_stress),
                    ("strict", self.profile_strict),
                )
                if value is not None
            }
        )
        update: dict[str, object] = {"work_preferences": prefs}
        if self.profile_stream is not None:
            update["stream"] = self.profile_stream
        if self.profile_interest:
            update["interests"] = list(self.profile_interest)
        if self.profile_skill:
            update["skills"] = list(self.profile_skill)
        if self.profile_salary_min is not None:
            update["salary_min"] = self.profile_salary_min
        if self.profile_salary_max is not None:
            update["salary_max"] = self.profile_salary_max
        merged = base.model_copy(update=update)
        try:
            _check_range(merged.salary_min, merged.salary_max)
        except ValueError as exc:
            raise ValidationFailed.field("profile_salary_min", "query", str(exc)) from None
        return merged
