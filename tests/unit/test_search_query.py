"""The BM25 leg's clauses per query shape, and what the counting rule requires."""

from __future__ import annotations

from typing import Any

from search_api.search.fusion import QueryShape
from search_api.search.query import (
    PLAUSIBLE_MATCH,
    SENTENCE_FIELDS,
    plausible_text_query,
    text_query,
)


def multi_matches(query: dict[str, Any]) -> list[dict[str, Any]]:
    return [c["multi_match"] for c in query["bool"]["should"] if "multi_match" in c]


def test_only_sentences_get_the_sentence_clause() -> None:
    sentences: tuple[QueryShape, ...] = ("sentence", "sentence-unknown")
    for sentence in sentences:
        fields = [m["fields"] for m in multi_matches(text_query("fixes pipes in homes", sentence))]
        assert SENTENCE_FIELDS in fields, sentence
    others: tuple[QueryShape | None, ...] = (None, "name", "name-unknown", "phrase", "other")
    for shape in others:
        fields = [m["fields"] for m in multi_matches(text_query("pilot", shape))]
        assert SENTENCE_FIELDS not in fields, shape


def test_counting_requires_most_words_in_every_word_clause() -> None:
    counted = multi_matches(plausible_text_query("publicity manager", "name"))
    best_fields = [m for m in counted if m["type"] == "best_fields"]
    assert best_fields
    assert all(m["minimum_should_match"] == PLAUSIBLE_MATCH for m in best_fields)
    # the prefix clause already needs every word; ranking's own query is unchanged
    assert all("minimum_should_match" not in m for m in multi_matches(text_query("a b", "name")))


def test_a_sentence_scores_its_content_words_and_keeps_the_whole_for_names() -> None:
    query = text_query("I love dancing", "sentence")
    assert {m["query"] for m in multi_matches(query)} == {"dancing"}
    exact = [c for c in query["bool"]["should"] if "term" in c or "match_phrase" in c]
    assert exact
    assert all("I love dancing" in str(c) for c in exact)
    # a name keeps every word; a sentence of fillers alone keeps them rather than nothing
    assert {m["query"] for m in multi_matches(text_query("career counsellor", "name"))} == {
        "career counsellor"
    }
    assert {m["query"] for m in multi_matches(text_query("I want", "sentence"))} == {"I want"}
