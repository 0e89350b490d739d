"""The compatibility formula and its explanations. Pure functions; unit-tested.

score = 0.3 * stream + 0.4 * interest + 0.2 * skill + 0.1 * salary, each part in [0, 1].

Recommendations rank by it; search blends it with relevance (search/personalise.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

from rapidfuzz import fuzz

from search_api.careers.records import eligible_streams
from search_api.profiles.schemas import FitProfile

WEIGHTS: Mapping[str, float] = {"stream": 0.3, "interest": 0.4, "skill": 0.2, "salary": 0.1}

# School subjects each stream studies; a career that leans on them fits the stream best.
STREAM_SUBJECTS: Mapping[str, frozenset[str]] = {
    "PCM": frozenset({"physics", "chemistry", "mathematics", "computer science"}),
    "PCB": frozenset({"physics", "chemistry", "biology"}),
    "PCMB": frozenset({"physics", "chemistry", "mathematics", "biology", "computer science"}),
    "Commerce": frozenset({"accountancy", "business studies", "economics", "mathematics"}),
    "Humanities": frozenset(
        {
            "history",
            "political science",
            "geography",
            "economics",
            "sociology",
            "psychology",
            "fine arts",
            "legal studies",
            "hindi",
            "music",
            "home science",
            "sanskrit",
        }
    ),
}
RIASEC_WORDS: Mapping[str, str] = {
    "realistic": "R",
    "investigative": "I",
    "artistic": "A",
    "social": "S",
    "enterprising": "E",
    "conventional": "C",
}
# Cosine similarity between MiniLM vectors of "what I like" and a career: below LOW is
# unrelated, above HIGH is as close as student phrasing gets. Between them, linear.
SEMANTIC_LOW = 0.15
SEMANTIC_HIGH = 0.55
TAG_MATCH = 85.0
SKILL_MATCH = 80.0
SALARY_BENCHMARK = 2_000_000  # mid-career pay that counts as fully rewarding without a range


class ScoredCareer(Protocol):
    """What the formula reads of a career (an index document has all of it)."""

    @property
    def streams(self) -> Sequence[str]: ...
    @property
    def subjects(self) -> Sequence[str]: ...
    @property
    def interests(self) -> Sequence[str]: ...
    @property
    def riasec(self) -> Sequence[str]: ...
    @property
    def skills(self) -> Sequence[str]: ...
    @property
    def mid_salary(self) -> int: ...


def clamp(x: float) -> float:
    return max(0.0, min(1.0, x))


def lakh(amount: int) -> str:
    value = amount / 100_000
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass
class Part:
    value: float
    reasons: list[str] = field(default_factory=list)


def stream_fit(stream: str | None, career_streams: Sequence[str], subjects: Sequence[str]) -> Part:
    """0 without a stream: the part is unknown, and the same for every career."""
    if stream is None or not set(eligible_streams([stream])) & set(career_streams):
        return Part(0.0)
    core = STREAM_SUBJECTS.get(stream, frozenset())
    used = [s for s in subjects if s.casefold() in core]
    overlap = len(used) / min(3, len(subjects)) if subjects else 0.0
    value = 0.6 + 0.4 * clamp(overlap)
    if used:
        reason = f"Open to {stream} students, and it draws on {', '.join(used[:3])}."
    else:
        reason = (
            f"Open to {stream} students, though it uses other subjects than your stream's core."
        )
    return Part(value, [reason])


# The same few interest/skill words meet the same catalogue tags on every request: remembering
# the answers took recommendation scoring from ~24 to ~11 ms of CPU for 200 candidates.
@lru_cache(maxsize=65_536)
def _matches(a: str, b: str, threshold: float) -> bool:
    x, y = a.casefold().strip(), b.casefold().strip()
    if not x or not y:
        return False
    if x == y or (len(x) >= 4 and x in y) or (len(y) >= 4 and y in x):
        return True
    return fuzz.token_set_ratio(x, y) >= threshold


def interest_fit(
    interests: Sequence[str], career_interests: Sequence[str], semantic: float | None
) -> Part:
    """Half semantic closeness of everything the student likes, half named tag overlap."""
    if not interests:
        return Part(0.0)
    letters = {i for i in career_interests if len(i) == 1}
    tags = [i for i in career_interests if len(i) > 1]
    matched: list[tuple[str, str]] = []
    for interest in interests:
        letter = RIASEC_WORDS.get(interest.casefold()) or (
            interest.upper() if len(interest) == 1 else None
        )
        if letter and letter in letters:
            matched.append((interest, interest))
            continue
        tag = next((t for t in tags if _matches(interest, t, TAG_MATCH)), None)
        if tag:
            matched.append((interest, tag))
    tag_part = len(matched) / len(interests)
    semantic_part = (
        clamp((semantic - SEMANTIC_LOW) / (SEMANTIC_HIGH - SEMANTIC_LOW))
        if semantic is not None
        else 0.0
    )
    value = 0.5 * semantic_part + 0.5 * tag_part
    reasons = [f"You enjoy {i}; this career is built on it." for i, _ in matched[:2]]
    if not matched and semantic_part >= 0.5:
        reasons.append("What you say you like is close to this career's day-to-day work.")
    return Part(value, reasons)


def skill_fit(skills: Sequence[str], career_skills: Sequence[str]) -> Part:
    if not skills:
        return Part(0.0)
    used = [s for s in skills if any(_matches(s, c, SKILL_MATCH) for c in career_skills)]
    reasons = []
    if used:
        reasons.append(
            f"Your {' and '.join(used[:2])} skill{'s' if len(used) > 1 else ''} "
            f"{'are' if len(used) > 1 else 'is'} used here."
        )
    return Part(len(used) / len(skills), reasons)


def salary_fit(mid_salary: int, salary_min: int | None, salary_max: int | None) -> Part:
    pay = f"Typical mid-career pay is about ₹{lakh(mid_salary)} lakh a year"
    if salary_min is None and salary_max is None:
        return Part(clamp(mid_salary / SALARY_BENCHMARK), [f"{pay}."])
    low = salary_min or 0
    if mid_salary < low:
        return Part(mid_salary / low if low else 0.0, [f"{pay}, below what you hope for."])
    if salary_max is not None and mid_salary > salary_max:
        return Part(salary_max / mid_salary, [f"{pay}, above the range you gave."])
    return Part(1.0, [f"{pay}, within your range."])


def compatibility_score(parts: Mapping[str, float]) -> float:
    return sum(WEIGHTS[name] * clamp(parts[name]) for name in WEIGHTS)


def score_career(
    profile: FitProfile, career: ScoredCareer, semantic: float | None
) -> tuple[float, dict[str, float], list[str]]:
    """-> (score, breakdown, reasons)."""
    stream = stream_fit(profile.stream, career.streams, career.subjects)
    interest = interest_fit(profile.interests, [*career.interests, *career.riasec], semantic)
    skill = skill_fit(profile.skills, career.skills)
    salary = salary_fit(int(career.mid_salary), profile.salary_min, profile.salary_max)
    breakdown = {
        "stream": round(stream.value, 4),
        "interest": round(interest.value, 4),
        "skill": round(skill.value, 4),
        "salary": round(salary.value, 4),
    }
    score = round(compatibility_score(breakdown), 4)
    # strongest evidence first: interests, skills, stream, pay
    reasons = [*interest.reasons, *skill.reasons, *stream.reasons, *salary.reasons]
    return score, breakdown, reasons
