"""Relevance metrics over judged queries (a YAML list of query, kind, relevant ids).

Used by scripts/eval_relevance.py (prints the tables) and by the relevance test (asserts the
targets), so both always measure the same thing. Callers say which judgments file to read.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

KINDS = ("exact", "abbreviation", "typo", "interest", "hindi", "exam")


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str
    relevant: tuple[str, ...]  # best answer first


@dataclass
class Scores:
    queries: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    ndcg10: float = 0.0

    def add(self, other: Scores) -> None:
        self.queries += other.queries
        self.hit1 += other.hit1
        self.hit5 += other.hit5
        self.mrr += other.mrr
        self.ndcg10 += other.ndcg10

    def mean(self) -> dict[str, float]:
        n = self.queries or 1
        return {
            "hit@1": self.hit1 / n,
            "hit@5": self.hit5 / n,
            "MRR": self.mrr / n,
            "NDCG@10": self.ndcg10 / n,
        }


def load_judgments(path: Path) -> list[Judgment]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Judgment(r["query"], r["kind"], tuple(r["relevant"])) for r in raw]


def gain(judgment: Judgment, career_id: str) -> float:
    """The best answer counts double: ranking it first matters more than any other hit."""
    if not judgment.relevant:
        return 0.0
    if career_id == judgment.relevant[0]:
        return 2.0
    return 1.0 if career_id in judgment.relevant else 0.0


def score_ranking(judgment: Judgment, ranking: Sequence[str]) -> Scores:
    relevant = set(judgment.relevant)
    first = next((i for i, cid in enumerate(ranking, start=1) if cid in relevant), None)
    dcg = sum(gain(judgment, cid) / math.log2(i + 1) for i, cid in enumerate(ranking[:10], start=1))
    ideal = sorted((gain(judgment, cid) for cid in judgment.relevant), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return Scores(
        queries=1,
        hit1=1.0 if first == 1 else 0.0,
        hit5=1.0 if first is not None and first <= 5 else 0.0,
        mrr=1.0 / first if first else 0.0,
        ndcg10=dcg / idcg if idcg else 0.0,
    )


Ranker = Callable[[str], Awaitable[list[str]]]


async def evaluate(
    judgments: Sequence[Judgment], rank: Ranker
) -> tuple[dict[str, Scores], dict[str, list[str]]]:
    """-> (scores per kind plus "overall", the queries each kind missed in its top 5)."""
    per_kind: dict[str, Scores] = defaultdict(Scores)
    misses: dict[str, list[str]] = defaultdict(list)
    for judgment in judgments:
        ranking = await rank(judgment.query)
        scores = score_ranking(judgment, ranking)
        per_kind[judgment.kind].add(scores)
        if not scores.hit5:
            misses[judgment.kind].append(judgment.query)
    overall = Scores()
    for scores in per_kind.values():
        overall.add(scores)
    per_kind["overall"] = overall
    return dict(per_kind), dict(misses)


# ---- personalised search: judged (query, profile) pairs --------------------------------

Split = str  # "tune" chooses the blend weight, "test" reports it


@dataclass(frozen=True)
class PersonalJudgment:
    query: str
    split: Split
    profile: dict[str, Any]  # a StudentProfile as written in the YAML
    relevant: tuple[str, ...]

    @property
    def judgment(self) -> Judgment:
        return Judgment(self.query, "personal", self.relevant)


def load_personal_judgments(path: Path) -> list[PersonalJudgment]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        PersonalJudgment(r["query"], r["split"], dict(r["profile"]), tuple(r["relevant"]))
        for r in raw
    ]


PersonalRanker = Callable[[PersonalJudgment], Awaitable[list[str]]]


async def evaluate_personal(judgments: Sequence[PersonalJudgment], rank: PersonalRanker) -> Scores:
    total = Scores()
    for judgment in judgments:
        total.add(score_ranking(judgment.judgment, await rank(judgment)))
    return total


# The judged queries are also run with a profile (must not get worse for it): the stream of
# the best answer and interests typical of that stream, so the profile pulls as a student's
# would.
PERSONA_INTERESTS: dict[str, list[str]] = {
    "PCM": ["building things", "computers"],
    "PCB": ["biology", "helping people"],
    "PCMB": ["science", "experiments"],
    "Commerce": ["business", "numbers"],
    "Humanities": ["reading", "people"],
}


def persona(judgment: Judgment, stream: str | None) -> PersonalJudgment:
    """judgment as a (query, profile) pair; stream: the best answer's first stream."""
    profile = {"stream": stream, "interests": PERSONA_INTERESTS.get(stream or "", [])}
    return PersonalJudgment(judgment.query, "test", profile, judgment.relevant)
