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


def test_a_correction_must_name_what_the_search_found() -> None:
    # "pharmasist" found the pharmacist: the suggestion names it
    assert VOCAB.suggest("pharmasist", ["Pharmacist", "Chemist"]) == "pharmacist"
    # an unknown but real word whose near neighbour the results do not contain: no suggestion
    assert VOCAB.suggest("pharmasist", ["Psychologist", "Veterinarian"]) is None
    assert VOCAB.suggest("pharmasist", []) is None


def test_every_corrected_word_must_be_found() -> None:
    assert VOCAB.suggest("buisness analist", ["Business Analyst"]) == "business analyst"
    assert VOCAB.suggest("buisness analist", ["Business Studies"]) is None


def test_english_words_are_not_misspellings() -> None:
    places = ["Fountain services manager", "Settlement officer"]
    # "mountain" and "resettlement" are one or two edits from catalogue words, and words
    assert Vocabulary(places).suggest("mountain services manager") is None
    assert Vocabulary(places).suggest("resettlement officer") is None
    bare = Vocabulary(places, english=frozenset())
    assert bare.suggest("mountain services manager") == "fountain services manager"
    # a real misspelling is still one
    assert Vocabulary(places).suggest("fountian services manager") == "fountain services manager"
