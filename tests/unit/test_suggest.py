from __future__ import annotations

from search_api.search.suggest import Vocabulary

VOCAB = Vocabulary(
    [
        "Business Analyst",
        "Software Engineer",
        "Pharmacist",
        "Psychologist",
        "Students who enjoy solving puzzles and working with numbers",
        "Veterinarian",
        "Engineering graduates design machines",
        "engineer engineer engineer",
    ]
)


def test_misspelled_words_are_corrected() -> None:
    assert VOCAB.suggest("buisness analyst") == "business analyst"
    assert VOCAB.suggest("enginer") == "engineer"
    assert VOCAB.suggest("pharmasist") == "pharmacist"


def test_correct_and_stop_words_are_left_alone() -> None:
    assert VOCAB.suggest("software engineer") is None
    assert VOCAB.suggest("I enjoy solving puzzles") is None
    assert VOCAB.suggest("") is None


def test_nothing_close_means_no_suggestion() -> None:
    assert VOCAB.suggest("xylophone") is None
