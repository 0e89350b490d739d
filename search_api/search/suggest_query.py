"""As-you-type suggestions: a prefix and typo-tolerant query on career names and aliases.

Separate from the full search (query.py) because it runs on every pause in typing: one small
OpenSearch query over the short identifying fields, no embedding, no facets.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from rapidfuzz import fuzz

from search_api.core.errors import DependencyUnavailable
from search_api.search.index import NO_ANSWER, CareerIndex, SearchResponse
from search_api.search.query import SOURCE_EXCLUDES

AUTOCOMPLETE_FIELDS = ["name.autocomplete^3", "aliases.autocomplete^2"]
MAX_QUERY = 100
# Hits fetched per suggestion shown, so the re-ranking below has names to promote.
CANDIDATES = 3


class Suggestion(BaseModel):
    id: str
    name: str
    category: str
    matched: str | None = None  # the alias that matched, when it was not the name
    hindi_name: str | None = None


class SuggestData(BaseModel):
    query: str
    suggestions: list[Suggestion]


def suggest_query(q: str, size: int) -> dict[str, Any]:
    """Names and aliases that start with what was typed (every word a prefix, the last one
    possibly unfinished), or that do so after a typo; exact names and aliases first."""
    return {
        "size": size,
        "query": {
            "bool": {
                "should": [
                    {
                        "multi_match": {
                            "query": q,
                            "type": "bool_prefix",
                            "fields": AUTOCOMPLETE_FIELDS,
                            "operator": "and",
                            "boost": 2,
                        }
                    },
                    {
                        # The autocomplete fields hold edge n-grams, so a fuzzy match against
                        # them is a typo-tolerant prefix match: "docte" finds "doct(or)".
                        "multi_match": {
                            "query": q,
                            "fields": AUTOCOMPLETE_FIELDS,
                            "fuzziness": "AUTO:4,7",
                            "prefix_length": 1,
                            "max_expansions": 20,
                            "operator": "and",
                        }
                    },
                    {"term": {"name.keyword": {"value": q, "boost": 10}}},
                    {"term": {"aliases.keyword": {"value": q, "boost": 8}}},
                ],
                "minimum_should_match": 1,
            }
        },
        "sort": ["_score", {"name.keyword": "asc"}],
        "_source": {"excludes": SOURCE_EXCLUDES},
    }


PREFIX_MATCH = 80.0  # fuzz.ratio of the typed text against a label's start: one typo in five


def _starts(folded: str) -> list[int]:
    return [0, *(i + 1 for i, ch in enumerate(folded) if ch in " -(/")]


def prefix_similarity(typed: str, label: str, *, first_word_only: bool = False) -> float:
    """How well the typed text matches the start of the label or of one of its words (0-100),
    so "pharmasist" is close to "Pharmacist" and "chikit" to "shalya chikitsak"."""
    folded = label.casefold()
    starts = [0] if first_word_only else _starts(folded)
    return max(fuzz.ratio(typed, folded[i : i + len(typed)]) for i in starts)


def matched_label(q: str, name: str, aliases: Sequence[str]) -> str | None:
    """The alias to show beside the name when the typed text looks like it more than the name."""
    typed = q.casefold().strip()
    if not typed:
        return None
    best, best_score = name, prefix_similarity(typed, name)
    for alias in aliases:
        score = prefix_similarity(typed, alias)
        if score > best_score:
            best, best_score = alias, score
    return None if best == name else best


def rank_key(typed: str, name: str, matched: str | None) -> tuple[int, int, int]:
    """An exact name or alias first; then labels that start with what was typed, then a word
    that does, then the same after a typo; names before aliases, shorter before longer. The
    engine's order (kept by the stable sort) decides the rest."""
    label = (matched or name).casefold()
    if label == typed:
        bucket = -1
    elif label.startswith(typed):
        bucket = 0
    elif any(label[i:].startswith(typed) for i in _starts(label)):
        bucket = 1
    elif prefix_similarity(typed, label, first_word_only=True) >= PREFIX_MATCH:
        bucket = 2
    elif prefix_similarity(typed, label) >= PREFIX_MATCH:
        bucket = 3
    else:
        bucket = 4
    return (bucket, 0 if matched is None else 1, len(label))


def read_suggestions(response: SearchResponse, q: str, size: int) -> list[Suggestion]:
    typed = q.casefold().strip()
    out = []
    for hit in response.hits:
        career = hit.career
        out.append(
            Suggestion(
                id=career.id,
                name=career.name,
                category=career.category,
                matched=matched_label(q, career.name, career.aliases),
                hindi_name=career.hindi_name or None,
            )
        )
    out.sort(key=lambda s: rank_key(typed, s.name, s.matched))
    return out[:size]


async def suggest_careers(index: CareerIndex, q: str, size: int) -> SuggestData:
    text = " ".join(q.split())[:MAX_QUERY]
    if not text:
        return SuggestData(query="", suggestions=[])
    try:
        response = await index.search(index.alias, suggest_query(text, size * CANDIDATES))
    except NO_ANSWER as exc:
        raise DependencyUnavailable(
            "SEARCH_UNAVAILABLE", "suggestions need the search engine, which is unavailable"
        ) from exc
    return SuggestData(query=text, suggestions=read_suggestions(response, text, size))
