"""The interest quiz: its items and the pure scoring function."""

from __future__ import annotations

import re

import pytest

from search_api.careers.records import RIASEC_LETTERS
from search_api.profiles.scoring import RIASEC_WORDS, interest_fit
from search_api.quiz.items import CHOICES, ITEMS, ITEMS_PER_TYPE, MAX_CHOICE, TYPES
from search_api.quiz.scoring import UnknownItems, score_answers

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def answers_for(liked: str, value_for_rest: int = 0) -> dict[str, int]:
    """Every item answered: the types in `liked` with the top choice, the rest with another."""
    return {i.id: MAX_CHOICE if i.type in liked else value_for_rest for i in ITEMS}


def test_items_cover_six_types_evenly_in_english_and_hindi() -> None:
    assert 30 <= len(ITEMS) <= 48
    assert len({i.id for i in ITEMS}) == len(ITEMS)
    assert set(ITEMS_PER_TYPE) == set(RIASEC_LETTERS)
    assert len(set(ITEMS_PER_TYPE.values())) == 1
    for item in ITEMS:
        assert 10 <= len(item.en.strip()) <= 90, item.id
        assert DEVANAGARI.search(item.hi), item.id
        assert item.id[0].upper() == item.type
    assert len({i.en.casefold() for i in ITEMS}) == len(ITEMS)
    assert [c.value for c in CHOICES] == list(range(MAX_CHOICE + 1))
    for letter, kind in TYPES.items():
        assert kind.letter == letter
        assert DEVANAGARI.search(kind.summary_hi)
        assert DEVANAGARI.search(kind.label_hi)


def test_type_names_are_the_words_the_recommendation_formula_understands() -> None:
    for letter, kind in TYPES.items():
        assert RIASEC_WORDS[kind.name] == letter
        # a career tagged with the letter matches a profile holding the quiz's word
        assert interest_fit([kind.name], [letter, "anything"], None).value == 0.5
        other = next(x for x in RIASEC_LETTERS if x != letter)
        assert interest_fit([kind.name], [other, "anything"], None).value == 0.0


def test_one_liked_type_leads_and_alone_joins_the_profile() -> None:
    result = score_answers(answers_for("A"))
    scores: dict[str, float] = {s.letter: s.score for s in result.scores}
    assert scores["A"] == 1.0
    assert all(scores[x] == 0.0 for x in "RISEC")
    assert result.ranked[0] == "A"
    assert result.code[0] == "A"
    assert len(result.code) == 3
    assert result.interests == ["artistic"]
    assert result.answered == result.total == len(ITEMS)
    # the chart reads in RIASEC order whatever the ranking
    assert [s.letter for s in result.scores] == list(RIASEC_LETTERS)


def test_close_second_and_third_types_join_but_a_weak_one_does_not() -> None:
    answers = answers_for("IS")
    # Enterprising: "not sure" on every item, 0.5, which is 0.5 below the top
    answers.update({i.id: 1 for i in ITEMS if i.type == "E"})
    result = score_answers(answers)
    assert result.ranked[:3] == ["I", "S", "E"]
    assert result.interests == ["investigative", "social"]


def test_ties_break_on_enthusiasm_then_fixed_order() -> None:
    # R and C both average 0.5: R with "not sure" everywhere, C half loved and half not
    answers = {i.id: 1 for i in ITEMS if i.type == "R"}
    c_items = [i.id for i in ITEMS if i.type == "C"]
    answers.update({cid: (2 if n % 2 else 0) for n, cid in enumerate(c_items)})
    result = score_answers(answers)
    assert result.ranked[:2] == ["C", "R"]
    again = score_answers(dict(reversed(list(answers.items()))))
    assert again.ranked == result.ranked


def test_partial_answers_score_only_what_was_answered() -> None:
    result = score_answers({"r1": 2, "r2": 0, "i1": 1})
    by = {s.letter: s for s in result.scores}
    assert by["R"].score == 0.5
    assert by["R"].answered == 2
    assert by["R"].liked == 1
    assert by["I"].score == 0.5
    assert by["I"].answered == 1
    assert by["A"].answered == 0
    assert by["A"].score == 0.0
    assert result.answered == 3


def test_nothing_liked_gives_no_code_and_no_interests() -> None:
    result = score_answers(answers_for("", 0))
    assert result.code == ""
    assert result.interests == []


def test_lukewarm_answers_still_name_the_strongest_type() -> None:
    answers = {i.id: 0 for i in ITEMS}
    answers["s1"] = 1
    result = score_answers(answers)
    assert result.interests == ["social"]


def test_unknown_items_and_bad_values_are_refused() -> None:
    with pytest.raises(UnknownItems) as info:
        score_answers({"r1": 2, "zz9": 1})
    assert info.value.ids == ["zz9"]
    with pytest.raises(ValueError, match="r1"):
        score_answers({"r1": 3})
