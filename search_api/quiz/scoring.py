"""Quiz scoring: answers -> a score per RIASEC type, the Holland code and profile interests.

Pure and deterministic; unit-tested in tests/unit/test_quiz_scoring.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from search_api.careers.records import RIASEC_LETTERS, Riasec
from search_api.quiz.items import ITEM_BY_ID, ITEMS_PER_TYPE, MAX_CHOICE, TYPES

# A type joins the profile when its score is at least this (the student leaned towards
# "I would enjoy it" on average) and close to the top score: the interest part of the
# recommendation formula rewards every listed type, so a weak third type would dilute it.
INTEREST_FLOOR = 0.5
INTEREST_MARGIN = 0.25
MAX_PROFILE_TYPES = 3
CODE_LENGTH = 3


class UnknownItems(ValueError):
    def __init__(self, ids: list[str]) -> None:
        super().__init__(f"unknown quiz item(s): {', '.join(ids)}")
        self.ids = ids


@dataclass(frozen=True)
class TypeScore:
    letter: Riasec
    score: float  # 0..1: share of the most enthusiastic answer possible on the answered items
    answered: int
    liked: int  # items answered with the top choice


@dataclass(frozen=True)
class QuizScore:
    scores: list[TypeScore]  # in RIASEC order, so a chart always reads R I A S E C
    ranked: list[Riasec]  # letters, strongest first
    code: str  # Holland code: the first three of `ranked`
    interests: list[str]  # RIASEC words for the recommendation profile
    answered: int
    total: int


def score_answers(answers: Mapping[str, int]) -> QuizScore:
    unknown = sorted(set(answers) - set(ITEM_BY_ID))
    if unknown:
        raise UnknownItems(unknown)
    sums = dict.fromkeys(RIASEC_LETTERS, 0)
    counts = dict.fromkeys(RIASEC_LETTERS, 0)
    liked = dict.fromkeys(RIASEC_LETTERS, 0)
    for item_id, value in answers.items():
        if not 0 <= value <= MAX_CHOICE:
            raise ValueError(f"answer to {item_id} must be 0 to {MAX_CHOICE}, got {value}")
        letter = ITEM_BY_ID[item_id].type
        sums[letter] += value
        counts[letter] += 1
        liked[letter] += value == MAX_CHOICE
    scores = [
        TypeScore(
            letter,
            round(sums[letter] / (MAX_CHOICE * counts[letter]), 4) if counts[letter] else 0.0,
            counts[letter],
            liked[letter],
        )
        for letter in RIASEC_LETTERS
    ]
    order = {letter: i for i, letter in enumerate(RIASEC_LETTERS)}
    # Ties: more "I would enjoy it" answers first, then the fixed R-I-A-S-E-C order, so the
    # same answers always give the same code.
    ranked = sorted(scores, key=lambda s: (-s.score, -s.liked, order[s.letter]))
    top = ranked[0].score
    chosen = [
        s.letter for s in ranked if s.score >= INTEREST_FLOOR and s.score >= top - INTEREST_MARGIN
    ][:MAX_PROFILE_TYPES]
    if not chosen and top > 0:
        chosen = [ranked[0].letter]
    return QuizScore(
        scores=scores,
        ranked=[s.letter for s in ranked],
        code="".join(s.letter for s in ranked[:CODE_LENGTH]) if top > 0 else "",
        interests=[TYPES[letter].name for letter in chosen],
        answered=sum(counts.values()),
        total=sum(ITEMS_PER_TYPE.values()),
    )
