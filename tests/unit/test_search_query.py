"""The BM25 leg's clauses per query shape, and what the counting rule requires."""

from __future__ import annotations

from typing import Any

from search_api.search.fusion import QueryShape
from search_api.search.query import (
    DESCRIPTION_MATCH,
    FUZZY_FIELDS,
    PLAUSIBLE_MATCH,
    SENTENCE_FIELDS,
    plausible_text_query,
    text_query,
)
from search_api.search.suggest import Vocabulary


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


def description_clauses(query: dict[str, Any]) -> list[dict[str, Any]]:
    return [c["match"]["description"] for c in query["bool"]["should"] if "match" in c]


def test_a_sentence_must_match_most_of_its_words_in_one_description() -> None:
    [clause] = description_clauses(text_query("I like fixing pipes in old homes", "sentence"))
    assert clause["minimum_should_match"] == DESCRIPTION_MATCH
    assert clause["query"] == "fixing pipes in old homes"  # its content words
    for shape in (None, "name", "phrase-unknown"):
        assert description_clauses(text_query("pipe fitter", shape)) == [], shape


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


def typo_clauses(q: str, vocabulary: Vocabulary | None) -> list[dict[str, Any]]:
    known = vocabulary.known if vocabulary is not None else None
    return [m for m in multi_matches(text_query(q, "name", known)) if m["fields"] == FUZZY_FIELDS]


def test_only_words_the_catalogue_never_uses_are_fuzzy() -> None:
    vocabulary = Vocabulary(["Chartered Accountant", "Nurse (GNM)", "Data analysts"])
    clauses = typo_clauses("charterd Accountant", vocabulary)
    assert [(c["query"], "fuzziness" in c) for c in clauses] == [
        ("charterd", True),
        ("Accountant", False),
    ]
    # the exact half keeps the fuzzy half's fields, analyzer and weight
    assert {(c["analyzer"], c["boost"]) for c in clauses} == {("cc_plain", 0.6)}
    # plurals and singulars of catalogue words, case and trailing punctuation: as typed
    spelled = typo_clauses("Nurse, analyst", vocabulary)
    assert [("fuzziness" in c) for c in spelled] == [False]
    assert typo_clauses("nurce", vocabulary)[0]["fuzziness"]
    # without a vocabulary (PostgreSQL down) every word stays typo-tolerant
    assert [c["query"] for c in typo_clauses("nurse analyst", None) if "fuzziness" in c] == [
        "nurse analyst"
    ]


def test_counting_asks_most_words_of_each_typo_clause() -> None:
    vocabulary = Vocabulary(["publicity officer"])
    query = plausible_text_query("publicity managr", "name", vocabulary.known)
    clauses = [m for m in multi_matches(query) if m["fields"] == FUZZY_FIELDS]
    assert len(clauses) == 2
    assert all(m["minimum_should_match"] == PLAUSIBLE_MATCH for m in clauses)
