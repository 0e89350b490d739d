"""Devanagari to the Latin spelling Indian students type, and a phonetic key for loose spellings.

Pure functions, no I/O. Used by query understanding (search and the chat agent) and by the
indexer, which stores `phonetic_key` of every career name, alias and Hinglish spelling so the
engine can match loose spellings the same way.

Transliteration: `indic-transliteration` (sanscript) maps Devanagari to IAST; on top of that
this module applies Hindi schwa deletion (IAST writes every inherent vowel: सरकारी →
"sarakārī", a student writes "sarkari") and folds IAST's diacritics into plain ASCII the way
students spell ("ś" → "sh", "c" → "ch", "ā" → "a"). scripts/bench_transliteration.py measures
the choice against the alternatives.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from indic_transliteration import sanscript

DEVANAGARI_CHAR = re.compile(r"[\u0900-\u097F]")
_DEVANAGARI_DIGITS = {ord(c): str(i) for i, c in enumerate("०१२३४५६७८९")}
# English loanwords are written with candra vowels (डॉक्टर, बैंक); sanscript's IAST has no
# letter for them, so fold them into the nearest plain vowel first.
_CANDRA = str.maketrans(
    {"\u0949": "\u094b", "\u0945": "\u0947", "\u0911": "\u0913", "\u090d": "\u090f"}
)
_JOINERS = re.compile("[\u200c\u200d]")

_VOWELS = ("ai", "au", "ā", "ī", "ū", "ṛ", "ṝ", "ḷ", "a", "i", "u", "e", "o")
_MODIFIERS = ("ṃ", "m\u0310", "ḥ", "~")
# One IAST unit: a vowel, a nasal or visarga mark, an aspirated consonant or a single letter.
_UNIT = re.compile(
    r"ai|au|[āīūṛṝḷaiueo]|ṃ|m\u0310|ḥ|~"
    r"|k\u035fh|r\u0324h|r\u0324|[kgcjṭḍtdpb]h|[a-zśṣṅñṇṭḍġḻ]",
)
_CONSONANT_OUT = {
    "c": "ch",
    "ch": "chh",
    "ś": "sh",
    "ṣ": "sh",
    "ṭ": "t",
    "ṭh": "th",
    "ḍ": "d",
    "ḍh": "dh",
    "ṇ": "n",
    "ñ": "n",
    "ṅ": "n",
    "r\u0324": "r",
    "r\u0324h": "rh",
    "k\u035fh": "kh",
    "ġ": "g",
    "ḻ": "l",
}
_VOWEL_OUT = {"ā": "a", "ī": "i", "ū": "u", "ṛ": "ri", "ṝ": "ri", "ḷ": "li"}
_LABIALS = ("p", "ph", "b", "bh", "m")


def has_devanagari(text: str) -> bool:
    return DEVANAGARI_CHAR.search(text) is not None


def normalise_devanagari(word: str) -> str:
    """One spelling per word for exact matching: NFC, candra vowels folded, no joiners,
    chandrabindu as anusvara, a nasal consonant + virama before a consonant as anusvara
    (इन्जीनियर = इंजीनियर), and ASCII digits."""
    word = _JOINERS.sub("", unicodedata.normalize("NFC", word)).translate(_CANDRA)
    word = word.replace("\u0901", "\u0902").translate(_DEVANAGARI_DIGITS)
    return re.sub("[\u0919\u091e\u0923\u0928\u092e]\u094d(?=[\u0915-\u0939])", "\u0902", word)


def _is_vowel(unit: str) -> bool:
    return unit in _VOWELS


def _is_consonant(unit: str) -> bool:
    return not _is_vowel(unit) and unit not in _MODIFIERS


def _delete_schwas(units: list[str]) -> list[str]:
    """Hindi drops most inherent vowels: always at the end of a word, and in the middle where
    a single consonant stands on each side with a full vowel beyond (VC_CV), scanned from the
    right (Ohala's rule). सरकारी sa-ra-kā-rī → sarkārī; नौकरी → naukrī; पत्रकार keeps its a
    (tr is a cluster) → patrakār."""
    out = list(units)
    syllables = sum(1 for u in out if _is_vowel(u))
    if syllables >= 2 and len(out) >= 2 and out[-1] == "a" and _is_consonant(out[-2]):
        out.pop()
    i = len(out) - 2
    while i >= 2:
        if (
            out[i] == "a"
            and _is_consonant(out[i - 1])
            and _is_vowel(out[i - 2])
            and i + 2 < len(out)
            and _is_consonant(out[i + 1])
            and _is_vowel(out[i + 2])
        ):
            del out[i]
            i -= 2
        else:
            i -= 1
    return out


@lru_cache(maxsize=8192)
def _transliterate_word(word: str) -> str:
    iast = unicodedata.normalize(
        "NFC",
        sanscript.transliterate(normalise_devanagari(word), sanscript.DEVANAGARI, sanscript.IAST),
    )
    units = _delete_schwas(_UNIT.findall(iast))
    out: list[str] = []
    for i, unit in enumerate(units):
        if unit == "ṃ" or unit == "m\u0310":
            following = units[i + 1] if i + 1 < len(units) else ""
            out.append("m" if following in _LABIALS else "n")
        elif unit in ("ḥ", "~"):
            continue
        elif unit == "ñ" and out and out[-1] == "j":
            # ज्ञ: written jñ, said and typed "gy" (vigyan, gyan)
            out[-1] = "g"
            out.append("y")
        else:
            out.append(_VOWEL_OUT.get(unit) or _CONSONANT_OUT.get(unit) or unit)
    return "".join(out)


def transliterate(text: str) -> str:
    """Devanagari words to student Latin (डॉक्टर → doktar, वकील → vakil, सरकारी नौकरी →
    sarkari naukri); everything else is left as it is."""
    if not has_devanagari(text):
        return text
    return re.sub(r"[\u0900-\u0963\u0966-\u097F]+", lambda m: _transliterate_word(m.group()), text)


# ---- phonetic key ---------------------------------------------------------------------

# Applied in order to a lowercase word. Each rule merges spellings students use for one sound.
_KEY_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"[^a-z]", ""),
        (r"ph", "f"),
        (r"chh|ch", "C"),  # keep the ch sound apart from k while c is folded below
        (r"sh", "s"),
        (r"([kgjtdb])h", r"\1"),  # aspirates: khiladi = kiladi, bhautik = bautik
        (r"c(?=[eiy])", "s"),  # soft c: pharmacist = farmasist
        (r"ck|c|q", "k"),
        (r"C", "c"),
        (r"x", "ks"),
        (r"z", "j"),
        (r"w", "v"),
        (r"jn|gn(?=[aeiou])", "gy"),  # ज्ञ: vaijnanik = vaigyanik
        (r"aa", "a"),
        (r"ee|ii|ie", "i"),
        (r"oo|uu", "u"),
        (r"au|ou", "o"),
        (r"ai|ei|ey", "e"),
        (r"([a-z])\1+", r"\1"),  # doubled letters
        (r"(?<=[^aeiou])a$", ""),  # trailing schwa: vakila = vakil
    )
)


@lru_cache(maxsize=16384)
def _word_key(word: str) -> str:
    key = word.lower()
    for pattern, repl in _KEY_RULES:
        key = pattern.sub(repl, key)
        if not key:
            return ""
    return key if len(key) >= 2 else word.lower()


def phonetic_key(text: str) -> str:
    """A loose-spelling key, word by word, identical for query words and catalogue names:
    vakeel/vakil/wakil → "vakil", shikshak/sikshak → "siksak", photographer/fotographer →
    "fotografer", vaigyanik/vaijnanik → "vegyanik", naukri/nokri → "nokri". Devanagari is
    transliterated first. Meant for an index field (one key string per name or alias) and
    for matching query words in Python."""
    words = re.findall(r"[a-z0-9]+", transliterate(text).lower().replace("'", ""))
    return " ".join(k for k in (_word_key(w) for w in words) if k)


def clear_caches() -> None:
    """Forget the per-word results (benchmarks measure first reads with this)."""
    _transliterate_word.cache_clear()
    _word_key.cache_clear()


def career_phonetic_keys(career: Mapping[str, Any]) -> list[str]:
    """The phonetic keys of everything that names a career (name, aliases, Hinglish
    spellings, Hindi name and aliases), deduplicated, for the indexer to store in one field.

    Suggested mapping: `"phonetic": {"type": "text", "analyzer": "whitespace"}`; at query time
    search sends `phonetic_key(q)` as a match (and a match_phrase for multi-word keys) on it.
    """
    names: list[str] = [str(career.get("name") or "")]
    for field in ("aliases", "hinglish", "hindi_aliases"):
        names.extend(str(v) for v in career.get(field) or ())
    if career.get("hindi_name"):
        names.append(str(career["hindi_name"]))
    keys = (phonetic_key(re.sub(r"[()]", " ", n)) for n in names)
    return list(dict.fromkeys(k for k in keys if k))
