"""Devanagari to student Latin, and the phonetic key shared by queries and the index."""

from __future__ import annotations

import pytest

from search_api.search.transliteration import (
    career_phonetic_keys,
    normalise_devanagari,
    phonetic_key,
    transliterate,
)


@pytest.mark.parametrize(
    ("devanagari", "latin"),
    [
        ("डॉक्टर", "doktar"),
        ("वकील", "vakil"),
        ("इंजीनियर", "injiniyar"),
        ("अध्यापक", "adhyapak"),
        ("शिक्षक", "shikshak"),
        ("चिकित्सक", "chikitsak"),
        ("पत्रकार", "patrakar"),  # tr is a cluster: the medial a stays
        ("सरकारी नौकरी", "sarkari naukri"),  # medial schwas dropped (VC_CV)
        ("वैज्ञानिक", "vaigyanik"),  # ज्ञ is typed gy
        ("न्यायाधीश", "nyayadhish"),
        ("फ़ौजी", "fauji"),  # nukta: f, not ph
        ("कंप्यूटर", "kampyutar"),  # anusvara before p is m
        ("संगीतकार", "sangitkar"),
        ("बिना गणित", "bina ganit"),
        ("खिलाड़ी", "khilari"),
    ],
)
def test_transliterate(devanagari: str, latin: str) -> None:
    assert transliterate(devanagari) == latin


def test_latin_and_mixed_text() -> None:
    assert transliterate("doctor") == "doctor"
    assert transliterate("12वीं के बाद") == "12vin ke bad"
    assert transliterate("PCB वाले") == "PCB vale"


def test_spelling_variants_normalise_to_one_form() -> None:
    assert normalise_devanagari("इन्जीनियर") == normalise_devanagari("इंजीनियर")
    assert normalise_devanagari("माँ") == normalise_devanagari("मां")
    assert normalise_devanagari("१२") == "12"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("vakeel", "vakil"),
        ("wakil", "vakil"),
        ("shikshak", "sikshak"),
        ("photographer", "fotographer"),
        ("vaigyanik", "vaijnanik"),
        ("naukri", "nokri"),
        ("pharmacist", "pharmasist"),
        ("accountant", "acountant"),
        ("fauji", "phauji"),
        ("khiladi", "kiladi"),
        ("zila", "jila"),
        ("वकील", "vakeel"),
        ("patrakaar", "patrakar"),
        ("shikshaka", "shikshak"),  # trailing schwa
    ],
)
def test_phonetic_key_pairs(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


@pytest.mark.parametrize(("a", "b"), [("doctor", "daktar"), ("engineer", "injiniyar")])
def test_phonetic_key_does_not_merge_different_vowels(a: str, b: str) -> None:
    # these differ in their vowels; the lexicon's vowel-skeleton fallback and the catalogue's
    # own Hinglish spellings handle them, not the key
    assert phonetic_key(a) != phonetic_key(b)


def test_phonetic_key_keeps_words_apart() -> None:
    assert phonetic_key("Daant ka Doctor") == "dant ka doktor"
    assert phonetic_key("") == ""


def test_career_phonetic_keys_for_the_indexer() -> None:
    keys = career_phonetic_keys(
        {
            "name": "Lawyer",
            "aliases": ["advocate", "vakeel", "vakil"],
            "hinglish": ["wakil"],
            "hindi_name": "वकील",
        }
    )
    assert keys == ["lavyer", "advokate", "vakil"]  # one key for every spelling of vakil
    assert career_phonetic_keys({"name": "Doctor (MBBS)"}) == ["doktor mbs"]  # doubled letters fold
