"""Compare Devanagari-to-Latin transliterators on the words Indian students search for.

Usage: python scripts/bench_transliteration.py [--extra-path DIR]

For each reference word (the Hindi career words of the judged set, with the spellings
students type), prints per method: how often the output is one of those spellings, how often
its phonetic key equals one of theirs (what matching needs), and the time per word, uncached.
Methods: ours (indic-transliteration's IAST + schwa deletion + student spelling), plain
sanscript IAST/ITRANS folded to ASCII, anyascii and aksharamukha when installed
(--extra-path adds a directory to sys.path, e.g. a `pip install --target` of aksharamukha).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import unicodedata
from collections.abc import Callable

from indic_transliteration import sanscript

from search_api.search import transliteration
from search_api.search.transliteration import phonetic_key

# Devanagari word -> spellings students type for it (written by us, from common usage).
REFERENCE: dict[str, tuple[str, ...]] = {
    "डॉक्टर": ("doctor", "daktar", "doktar", "doktor"),
    "वकील": ("vakil", "vakeel", "wakil", "wakeel"),
    "इंजीनियर": ("engineer", "injiniyar", "injinear", "enjiniyar"),
    "अध्यापक": ("adhyapak", "adhyaapak"),
    "शिक्षक": ("shikshak", "sikshak"),
    "चिकित्सक": ("chikitsak",),
    "पत्रकार": ("patrakar", "patrakaar", "patrkar"),
    "वैज्ञानिक": ("vaigyanik", "vaigyaanik", "vaijnanik", "vigyanik"),
    "वास्तुकार": ("vastukar", "vaastukaar"),
    "न्यायाधीश": ("nyayadhish", "nyayadheesh", "nyaydhish"),
    "फ़ौजी": ("fauji", "fouji", "faujee"),
    "पायलट": ("pilot", "paylat", "pailat"),
    "नर्स": ("nurse", "nars"),
    "दंत": ("dant", "daant"),
    "पशु": ("pashu", "pasu"),
    "मनोवैज्ञानिक": ("manovaigyanik", "manovaigyaanik"),
    "अर्थशास्त्री": ("arthshastri", "arthashastri", "arthshaastri"),
    "चित्रकार": ("chitrakar", "chitrkar", "chitrakaar"),
    "वैद्य": ("vaidya", "vaid"),
    "अभियंता": ("abhiyanta", "abhiyantaa"),
    "सॉफ्टवेयर": ("software", "softwear"),
    "कलेक्टर": ("collector", "kalektar"),
    "सेना": ("sena",),
    "अधिकारी": ("adhikari", "adhikaari"),
    "गायक": ("gayak", "gaayak"),
    "संगीतकार": ("sangeetkar", "sangitkar"),
    "नर्तक": ("nartak",),
    "अभिनेता": ("abhineta",),
    "रसोइया": ("rasoiya", "rasoiyaa"),
    "इतिहासकार": ("itihaskar", "itihaaskar"),
    "अनुवादक": ("anuvadak", "anuvaadak"),
    "संपादक": ("sampadak", "sampaadak"),
    "मौसम": ("mausam", "mosam"),
    "खगोल": ("khagol",),
    "शास्त्री": ("shastri", "shaastri"),
    "गणितज्ञ": ("ganitagya", "ganitgya", "ganitagy"),
    "कृषि": ("krishi",),
    "हृदय": ("hriday", "hridaya"),
    "रोग": ("rog",),
    "विशेषज्ञ": ("visheshagya", "visheshgya", "visheshagy"),
    "नेत्र": ("netra",),
    "त्वचा": ("twacha", "tvacha"),
    "मुनीम": ("munim", "muneem"),
    "उद्यमी": ("udyami", "udyamee"),
    "बढ़ई": ("badhai", "barhai"),
    "बिजली": ("bijli", "bijlee"),
    "मिस्त्री": ("mistri", "mistry"),
    "खिलाड़ी": ("khiladi", "khilari", "khilaadi"),
    "राजनयिक": ("rajnayik", "rajnayak"),
    "सरकारी": ("sarkari", "sarkaari"),
    "नौकरी": ("naukri", "nokri", "naukari"),
    "बिना": ("bina",),
    "गणित": ("ganit",),
    "मनोचिकित्सक": ("manochikitsak",),
    "शल्य": ("shalya",),
    "योग": ("yog", "yoga"),
    "उद्योग": ("udyog",),
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalpha()).lower()


def methods(extra: str | None) -> dict[str, Callable[[str], str]]:
    found: dict[str, Callable[[str], str]] = {
        "ours (sanscript IAST + schwa deletion)": transliteration.transliterate,
        "sanscript IAST, ASCII-folded": lambda w: _fold(
            sanscript.transliterate(w, sanscript.DEVANAGARI, sanscript.IAST)
        ),
        "sanscript ITRANS, lowercased": lambda w: _fold(
            sanscript.transliterate(w, sanscript.DEVANAGARI, sanscript.ITRANS)
        ),
    }
    if extra:
        sys.path.insert(0, extra)
    try:
        anyascii = importlib.import_module("anyascii").anyascii
        found["anyascii"] = lambda w: str(anyascii(w)).lower()
    except ImportError:
        pass
    try:
        aksharamukha = importlib.import_module("aksharamukha.transliterate")
        found["aksharamukha RomanReadable"] = lambda w: _fold(
            aksharamukha.process("Devanagari", "RomanReadable", w)
        )
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-path", help="a directory to import optional libraries from")
    args = parser.parse_args()
    words = list(REFERENCE)
    print(f"{len(words)} reference words\n")
    print(f"  {'method':<40}{'spelling':>9}{'key':>7}{'us/word':>9}")
    for name, function in methods(args.extra_path).items():
        function("नमस्ते")  # first call builds the library's tables: not per-word work
        transliteration.clear_caches()
        started = time.perf_counter()
        outputs = [function(w) for w in words]
        per_word = (time.perf_counter() - started) / len(words) * 1e6
        spelled = sum(out in REFERENCE[w] for w, out in zip(words, outputs, strict=True))
        keyed = sum(
            phonetic_key(out) in {phonetic_key(s) for s in REFERENCE[w]}
            for w, out in zip(words, outputs, strict=True)
        )
        print(f"  {name:<40}{spelled / len(words):>9.2f}{keyed / len(words):>7.2f}{per_word:>9.1f}")
    print("\nours, word by word (x: key matches no student spelling):")
    for word in words:
        out = transliteration.transliterate(word)
        ok = phonetic_key(out) in {phonetic_key(s) for s in REFERENCE[word]}
        print(f"  {'' if ok else 'x '}{word} -> {out}")


if __name__ == "__main__":
    main()
