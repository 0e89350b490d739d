"""Did-you-mean from the catalogue's own vocabulary (rapidfuzz).

A word is treated as misspelled only when the catalogue never uses it, it is no English word
(search/english.py: "mountain" is not a typo of "fountain") and a catalogue word is close to
it; then the suggestion replaces just those words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Container, Iterable

from rapidfuzz import fuzz, process, utils

from search_api.search.english import english_words

WORD = re.compile(r"[a-z][a-z0-9+#]*")
# Words students type that carry no career meaning; never "corrected".
STOPWORDS = frozenset(
    """a about after all also am an and any are as at be because been being but by can could
    do does doing for from get good have having how i i'd i'm if in into is it its job jobs just
    like love loves make me more most my no not of on or our out so some such than that the
    their them then there these they this to too very want wants was we well what when where
    which who why will with would you your career careers enjoy enjoys course courses work
    working become study""".split()
)
MIN_WORD = 4
MIN_SCORE = 80.0


def words(text: str) -> list[str]:
    return WORD.findall(text.lower())


class Vocabulary:
    def __init__(self, texts: Iterable[str], english: Container[str] | None = None) -> None:
        """english: words never corrected (default: search.english.english_words())."""
        self.english = english_words() if english is None else english
        counts: Counter[str] = Counter()
        for text in texts:
            counts.update(w for w in words(text.replace(".", "")) if len(w) >= 2)
        self.counts = counts
        self.choices = [w for w in counts if len(w) >= 3]
        # The choices as the scorer compares them, processed once: processing ~13,000 words
        # on every call took 3 ms of each correction at scale (0.8 ms without).
        self.processed = [utils.default_process(w) for w in self.choices]

    def __contains__(self, word: object) -> bool:
        return word in self.counts

    def known(self, word: str) -> bool:
        """In the catalogue, or a plural or singular of a catalogue word: "movies" is not a
        misspelling of "movie"."""
        forms = {word, word + "s", word + "es", word.removesuffix("s"), word.removesuffix("es")}
        return any(f in self.counts for f in forms)

    def correct(self, word: str) -> str | None:
        if len(word) < MIN_WORD or word in STOPWORDS or not self.choices or self.known(word):
            return None
        if word in self.english:
            return None
        # Levenshtein-based ratio; the catalogue's frequency breaks ties between equally
        # close words (a common word is the likelier intent).
        candidates = process.extract(
            utils.default_process(word),
            self.processed,
            scorer=fuzz.ratio,
            processor=None,
            limit=5,
            score_cutoff=MIN_SCORE,
        )
        if not candidates:
            return None
        found = [(score, self.choices[at]) for _, score, at in candidates]
        best = max(found, key=lambda c: (round(c[0]), self.counts[c[1]]))
        return best[1]

    def corrections(self, query: str) -> dict[str, str]:
        """Each word the catalogue never uses and a catalogue word close to it."""
        out: dict[str, str] = {}
        # dots removed as in the vocabulary: "B.Arch" is the catalogue's "barch"
        for token in words(query.replace(".", "")):
            fixed = self.correct(token)
            if fixed and fixed != token:
                out[token] = fixed
        return out

    def suggest(self, query: str, found: Iterable[str] | None = None) -> str | None:
        """The query with its unknown words corrected, or None.

        found: the text of what the search put first (names, aliases). When given, the
        suggestion is made only if every corrected word is in it, i.e. the correction names
        what the search found. An unknown word is not yet a typo: a large catalogue misses
        real words ("fur trapper" is not "fur wrapper"), and a correction the results do not
        bear out sent one correctly spelled query in seven to a different search.
        """
        fixes = self.corrections(query)
        if not fixes:
            return None
        if found is not None:
            seen = {w for text in found for w in words(text)}
            if not all(fixed in seen for fixed in fixes.values()):
                return None
        return " ".join(fixes.get(token, token) for token in words(query.replace(".", "")))
