"""How our own catalogue is written: rules for data/, checked by tests and
scripts/check_catalogue.py, never at load time.

The loader enforces only what the product needs (records.py, files.py), so an admin can load
another catalogue that is complete but written differently. These rules keep ours consistent:
three to five sentences a description, enough skills, pros and cons to show, a RIASEC type
and a plain tag for every career, and Hindi names throughout.
"""

from __future__ import annotations

import re
from collections import defaultdict

from search_api.careers.files import Catalogue, Problem
from search_api.careers.records import CareerRecord

_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
# Devanagari letters plus what names contain (spaces, brackets, hyphens, digits); zero-width
# joiners look identical on screen but break matching, so they are not allowed.
_DEVANAGARI = re.compile(r"^[\u0900-\u097F0-9 ()\-]+$")
_HINGLISH = re.compile(r"^[a-z]+(?:[ -][a-z]+)*$")

# field -> (fewest, most) items our careers carry
LIST_SIZES: dict[str, tuple[int, int]] = {
    "skills": (3, 15),
    "pros": (2, 8),
    "cons": (2, 8),
    "suitable_for": (1, 8),
    "alternatives": (1, 8),
    "subjects": (1, 10),
    "top_institutions": (1, 15),
    "interests": (2, 20),
    "hinglish": (1, 6),
    "hindi_aliases": (0, 4),
}


def sentences(text: str) -> int:
    return len(_SENTENCE_END.findall(text))


def career_style(career: CareerRecord) -> list[tuple[str, str]]:
    """(field, message) for every house-style rule the career breaks."""
    found: list[tuple[str, str]] = []
    n = sentences(career.description)
    if len(career.description) < 80 or not 3 <= n <= 5:
        found.append(("description", f"description must have 3-5 sentences, found {n}"))
    for name, (low, high) in LIST_SIZES.items():
        size = len(getattr(career, name))
        if not low <= size <= high:
            found.append((name, f"{name} has {size} item(s), {low}-{high} expected"))
    if not career.riasec:
        found.append(("interests", "interests must include at least one RIASEC letter"))
    if not career.interest_tags:
        found.append(("interests", "interests must include at least one plain interest tag"))
    upper = [t for t in career.interest_tags if t != t.lower()]
    if upper:
        found.append(("interests", f"interest tags are lowercase: {', '.join(upper)}"))
    # PCMB students can take PCM and PCB careers; listing PCMB keeps the data readable.
    if {"PCM", "PCB"} & set(career.streams) and "PCMB" not in career.streams:
        found.append(("streams", "a career open to PCM or PCB must also list PCMB"))
    if not career.hindi_name or not _DEVANAGARI.match(career.hindi_name):
        found.append(("hindi_name", f"hindi_name {career.hindi_name!r} is not Devanagari"))
    for alias in career.hindi_aliases:
        if not _DEVANAGARI.match(alias):
            found.append(("hindi_aliases", f"{alias!r} is not Devanagari"))
    own = {career.name.casefold(), *(a.casefold() for a in career.aliases)}
    for item in career.hinglish:
        if not _HINGLISH.match(item):
            found.append(("hinglish", f"{item!r} is not lowercase Latin words"))
        if item.casefold() in own:
            found.append(("hinglish", f"{item!r} repeats the name or an alias"))
    if "prominence" not in career.model_fields_set:
        found.append(("prominence", "prominence (1-5) is not set"))
    return found


def style_problems(catalogue: Catalogue) -> list[Problem]:
    problems: list[Problem] = []
    owners: dict[str, set[str]] = defaultdict(set)
    for career in catalogue.careers:
        file = catalogue.sources.get(("career", career.id), "-")
        problems.extend(Problem(file, career.id, f, m) for f, m in career_style(career))
        for text in (career.hindi_name, *career.hindi_aliases, *career.hinglish):
            if text:
                owners[text.casefold()].add(career.id)
    for text, ids in sorted(owners.items()):
        if len(ids) > 1:
            problems.append(
                Problem("-", ", ".join(sorted(ids)), "hindi", f"{text!r} names several careers")
            )
    for category in catalogue.categories:
        if not category.hindi_name or not category.description:
            problems.append(
                Problem("categories.yaml", category.name, "-", "hindi_name and description")
            )
    return problems
