"""Combining the BM25 and dense legs into one ranking. Pure functions, unit-tested.

Two methods are kept because scripts/eval_relevance.py compares them on the judged set;
the service uses the one chosen there (FusionConfig.method in search.service).
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import Literal

from search_api.search.suggest import STOPWORDS, words

# What kind of text a query is, for the BM25 leg's clauses and the fusion weight.
#   name:     one or two content words, a career's or a skill's name ("pilot", "data science")
#   phrase:   three or four content words without function words ("civil site engineer")
#   sentence: five or more words, or any function word ("i like drawing and computers")
#   other:    no Latin-script words (Devanagari): left to the default weight
# with "-unknown" when a content word is not in the catalogue's vocabulary: a typo or a word
# the catalogue never uses, where the dense leg (or the fuzzy clause) has to carry the query.
QueryShape = Literal[
    "name", "name-unknown", "phrase", "phrase-unknown", "sentence", "sentence-unknown", "other"
]
SHAPES: tuple[QueryShape, ...] = (
    "name",
    "name-unknown",
    "phrase",
    "phrase-unknown",
    "sentence",
    "sentence-unknown",
    "other",
)
SENTENCES: frozenset[QueryShape] = frozenset({"sentence", "sentence-unknown"})
NAMES: tuple[QueryShape, ...] = ("name", "name-unknown", "phrase", "phrase-unknown")


# Words about the student, not the work: "I love dancing" is about dancing. Narrower than
# STOPWORDS on purpose: "work", "make" or "study" describe a career in a description sentence
# (removing every STOPWORD cost the scale set's tune half two description queries).
SPEAKER_WORDS = frozenset(
    """i i'd i'm im me my myself want wants wanna love loves like likes enjoy enjoys
    interested passionate""".split()
)


def content_words(q: str) -> str:
    """q without SPEAKER_WORDS, word by word, other scripts untouched ("I love dancing" ->
    "dancing"); "" when nothing else is left."""
    kept = [w for w in q.split() if w.lower().strip(".,!?;:'\"()") not in SPEAKER_WORDS]
    return " ".join(kept)


def query_shape(q: str, vocabulary: Container[str]) -> QueryShape:
    tokens = words(q)
    if not tokens:
        return "other"
    content = [t for t in tokens if t not in STOPWORDS]
    unknown = any(t not in vocabulary for t in content)
    if len(tokens) >= 5 or len(content) < len(tokens):
        return "sentence-unknown" if unknown else "sentence"
    if len(content) <= 2:
        return "name-unknown" if unknown else "name"
    return "phrase-unknown" if unknown else "phrase"


@dataclass
class Fused:
    id: str
    score: float
    bm25: float | None = None  # the leg's own normalised contribution, None if not found there
    dense: float | None = None
    legs: list[str] = field(default_factory=list)


def min_max(scores: Sequence[float]) -> list[float]:
    """Scale to [0, 1]. One hit (or all equal) maps to 1: it is the best the leg found."""
    if not scores:
        return []
    low, high = min(scores), max(scores)
    if high == low:
        return [1.0 for _ in scores]
    return [(s - low) / (high - low) for s in scores]


def weighted_sum(
    bm25: Sequence[tuple[str, float]],
    dense: Sequence[tuple[str, float]],
    bm25_weight: float,
    dense_weight: float,
    dense_floor: float = 0.0,
) -> list[Fused]:
    """Min-max normalise each leg, then add with weights. A leg missing a hit contributes 0.

    dense_floor: dense scores are cosine similarities; normalising them between the floor
    (the radial search threshold) and the best hit, instead of between the worst returned
    hit and the best, keeps a lone weak neighbour from being scaled up to 1.
    """
    out: dict[str, Fused] = {}
    for (doc_id, _), norm in zip(bm25, min_max([s for _, s in bm25]), strict=True):
        out[doc_id] = Fused(doc_id, bm25_weight * norm, bm25=norm, legs=["bm25"])
    if dense:
        best = max(s for _, s in dense)
        low = min(dense_floor, min(s for _, s in dense))
        span = best - low
        for doc_id, score in dense:
            norm = (score - low) / span if span > 0 else 1.0
            fused = out.setdefault(doc_id, Fused(doc_id, 0.0))
            fused.dense = norm
            fused.score += dense_weight * norm
            fused.legs.append("dense")
    return sorted(out.values(), key=lambda f: (-f.score, f.id))


def reciprocal_rank(
    bm25: Sequence[tuple[str, float]],
    dense: Sequence[tuple[str, float]],
    k: int = 60,
    bm25_weight: float = 1.0,
    dense_weight: float = 1.0,
) -> list[Fused]:
    """RRF: sum of weight / (k + rank). Scores are rescaled so the best possible is 1."""
    out: dict[str, Fused] = {}
    best = (bm25_weight + dense_weight) / (k + 1)
    for rank, (doc_id, _) in enumerate(bm25, start=1):
        contribution = bm25_weight / (k + rank)
        out[doc_id] = Fused(doc_id, contribution / best, bm25=contribution / best, legs=["bm25"])
    for rank, (doc_id, _) in enumerate(dense, start=1):
        contribution = dense_weight / (k + rank)
        fused = out.setdefault(doc_id, Fused(doc_id, 0.0))
        fused.dense = contribution / best
        fused.score += contribution / best
        fused.legs.append("dense")
    return sorted(out.values(), key=lambda f: (-f.score, f.id))
