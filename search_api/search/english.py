"""Words of general English, so spelling correction leaves real words alone.

The catalogue's own vocabulary is small: a word it never uses is not therefore a typo.
"sleep technician" corrected to "slip", "courtesy bus driver" to "courts" or "bandmaster" to
"yardmaster" (all seen on the scale catalogue) turn a good query into a wrong one. The list
is pyspellchecker's English word-frequency dictionary (about 128,000 words without
possessives, counted in OpenSubtitles with rare terms, likely misspellings, removed), read
from the package, never from the network.
"""

from __future__ import annotations

from functools import cache

from spellchecker import SpellChecker


@cache
def english_words() -> frozenset[str]:
    """Lowercase alphabetic English words (possessives and other forms with a mark left
    out). Read once per process: about 0.2 s."""
    words = SpellChecker(language="en", distance=1).word_frequency.dictionary
    return frozenset(w for w in words if w.isalpha())
