"""What a profile rules out. Recommendations and search both turn these into filters (never
score penalties), so a career a student ruled out is never shown to them by either."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from search_api.careers.records import STRESS_LEVELS, TRAVEL_LEVELS, WORK_LIFE_BALANCES
from search_api.profiles.schemas import FitProfile, WorkPreferences

REMOTE_OK = ("Partial", "Full")


@dataclass(frozen=True)
class HardConstraints:
    """Allowed values per search facet (the facet parameter names of search), and a floor
    on mid-career pay. The stream is the student's own; search expands it (PCMB also sees
    PCM and PCB careers) the way it expands a stream facet."""

    values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    salary_min: int | None = None

    def __bool__(self) -> bool:
        return bool(self.values) or self.salary_min is not None


def preference_values(prefs: WorkPreferences) -> dict[str, tuple[str, ...]]:
    # The level tuples run from least to most, so "at most" is a prefix, "at least" a suffix.
    values: dict[str, tuple[str, ...]] = {}
    if prefs.remote:
        values["remote_work"] = REMOTE_OK
    if prefs.max_travel:
        values["travel_required"] = TRAVEL_LEVELS[: TRAVEL_LEVELS.index(prefs.max_travel) + 1]
    if prefs.max_stress:
        values["stress_level"] = STRESS_LEVELS[: STRESS_LEVELS.index(prefs.max_stress) + 1]
    if prefs.min_work_life_balance:
        values["work_life_balance"] = WORK_LIFE_BALANCES[
            WORK_LIFE_BALANCES.index(prefs.min_work_life_balance) :
        ]
    return values


def hard_constraints(profile: FitProfile) -> HardConstraints:
    values: dict[str, tuple[str, ...]] = {}
    if profile.stream:
        values["stream"] = (profile.stream,)
    if profile.work_preferences.strict:
        values.update(preference_values(profile.work_preferences))
    return HardConstraints(values, profile.salary_min)


class WorkCareer(Protocol):
    @property
    def streams(self) -> list[str]: ...
    @property
    def remote_work(self) -> str: ...
    @property
    def travel_required(self) -> str: ...
    @property
    def stress_level(self) -> str: ...
    @property
    def work_life_balance(self) -> str: ...
    @property
    def mid_salary(self) -> int: ...


FIELD_OF = {
    "remote_work": "remote_work",
    "travel_required": "travel_required",
    "stress_level": "stress_level",
    "work_life_balance": "work_life_balance",
}
NOTES = {
    "remote_work": "It is rarely done remotely, and you asked for remote or hybrid work.",
    "travel_required": "It needs {value} travel, more than you said you accept.",
    "stress_level": "Its stress level is {value}, above what you want.",
    "work_life_balance": "Its work-life balance is {value}, below what you want.",
}


def soft_preference_notes(prefs: WorkPreferences, career: WorkCareer) -> list[str]:
    """Reasons for preferences the student did not make hard and this career breaks."""
    if prefs.strict:
        return []
    notes = []
    for param, allowed in preference_values(prefs).items():
        value = getattr(career, FIELD_OF[param])
        if value not in allowed:
            notes.append(NOTES[param].format(value=value))
    return notes
