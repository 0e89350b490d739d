"""The catalogue as the agent reads it: the query-understanding lexicon, and every career and
exam name it could meet in a reply (the grounding check scans replies for them).

Built from Postgres once per catalogue state (keyed, like search's CatalogueMemo, by the live
index name: a reindex means the catalogue may have changed) and kept in the app's lifespan.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from search_api.search.understanding import Lexicon

KEEP = 2
# Words that end job titles in the catalogue's names ("... Engineer", "... Designer"): a
# capitalised phrase ending in one that is no catalogue name is a career the catalogue does
# not have. Learnt from the names themselves, plus these common ones.
EXTRA_TITLE_HEADS = frozenset(
    {"engineer", "scientist", "designer", "manager", "officer", "analyst", "doctor", "pilot",
     "specialist", "consultant", "technician", "developer", "architect", "therapist",
     "astrologer", "influencer", "coach", "trader", "agent", "artist", "expert"}
)  # fmt: skip
_GENERIC_HEADS = frozenset({"services", "jobs", "job", "careers", "career", "exam", "work"})


@dataclass(frozen=True)
class CareerCard:
    """What the agent keeps of every career: enough to name it, check streams and subjects,
    and list alternatives without another query."""

    id: str
    name: str
    category: str
    streams: tuple[str, ...]
    subjects: tuple[str, ...]
    entrance_exams: tuple[str, ...]
    mid_salary: int
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class ExamCard:
    id: str
    name: str
    full_name: str
    month: str
    eligibility: str


def _name_pattern(names: Iterable[str], flags: int) -> re.Pattern[str] | None:
    ordered = sorted({n for n in names if n}, key=len, reverse=True)
    if not ordered:
        return None
    body = "|".join(re.escape(n) for n in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", flags)


class Catalogue:
    def __init__(
        self,
        careers: Mapping[str, CareerCard],
        exams: Mapping[str, ExamCard],
        lexicon: Lexicon,
    ) -> None:
        self.careers = dict(careers)
        self.exams = dict(exams)
        self.lexicon = lexicon
        # Names and multi-word aliases match case-insensitively; one-word aliases only as
        # typed in capitals (CA, MBBS), so ordinary words ("doctor", "coder") in a reply are
        # not read as naming a career.
        self.career_by_phrase: dict[str, str] = {}
        acronyms: dict[str, str] = {}
        for card in self.careers.values():
            self.career_by_phrase[card.name.casefold()] = card.id
            short = re.sub(r"\s*\(.*?\)", "", card.name).strip()
            if short and " " in short:
                self.career_by_phrase.setdefault(short.casefold(), card.id)
            for alias in card.aliases:
                if " " in alias.strip():
                    self.career_by_phrase.setdefault(alias.casefold(), card.id)
                elif alias.isupper() and len(alias) >= 2:
                    acronyms.setdefault(alias, card.id)
        self.career_acronyms = acronyms
        self._career_re = _name_pattern(self.career_by_phrase, re.IGNORECASE)
        self._acronym_re = _name_pattern(acronyms, 0)
        self.exam_by_name: dict[str, str] = {}
        for exam in self.exams.values():
            self.exam_by_name.setdefault(exam.name, exam.id)
            self.exam_by_name.setdefault(exam.full_name, exam.id)
        # exam names are acronyms: case matters ("CAT" the exam, "cat" the animal)
        self._exam_re = _name_pattern(self.exam_by_name, 0)
        heads = {card.name.split()[-1].casefold().strip("()") for card in self.careers.values()}
        self.title_heads = frozenset((heads | EXTRA_TITLE_HEADS) - _GENERIC_HEADS)
        self.known_phrases = set(self.career_by_phrase) | {n.casefold() for n in self.exam_by_name}

    def careers_named(self, text: str) -> list[tuple[str, str, tuple[int, int]]]:
        """(career id, the words, their span) for every catalogue career a text names."""
        found: list[tuple[str, str, tuple[int, int]]] = []
        for pattern, table, fold in (
            (self._career_re, self.career_by_phrase, True),
            (self._acronym_re, self.career_acronyms, False),
        ):
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                key = m.group(0).casefold() if fold else m.group(0)
                found.append((table[key], m.group(0), m.span()))
        return found

    def exams_named(self, text: str) -> list[tuple[str, str, tuple[int, int]]]:
        if self._exam_re is None:
            return []
        return [(self.exam_by_name[m.group(0)], m.group(0), m.span()) for m in
                self._exam_re.finditer(text)]  # fmt: skip

    def name(self, career_id: str) -> str:
        card = self.careers.get(career_id)
        return card.name if card else career_id


def build_catalogue(
    career_rows: Iterable[Mapping[str, Any]],
    exam_rows: Iterable[Mapping[str, Any]],
    categories: Iterable[str],
) -> Catalogue:
    careers = list(career_rows)
    exams = list(exam_rows)
    lexicon = Lexicon.build(careers, exams, list(categories))
    cards = {
        str(r["id"]): CareerCard(
            id=str(r["id"]),
            name=str(r["name"]),
            category=str(r.get("category", "")),
            streams=tuple(r.get("streams", ())),
            subjects=tuple(r.get("subjects", ())),
            entrance_exams=tuple(r.get("entrance_exams", ())),
            mid_salary=int(r.get("mid_salary", 0)),
            aliases=tuple(r.get("aliases", ())),
        )
        for r in careers
    }
    exam_cards = {
        str(e["id"]): ExamCard(
            id=str(e["id"]),
            name=str(e["name"]),
            full_name=str(e.get("full_name", "")),
            month=str(e.get("month", "")),
            eligibility=str(e.get("eligibility", "")),
        )
        for e in exams
    }
    return Catalogue(cards, exam_cards, lexicon)


class CatalogueCache:
    """One Catalogue per catalogue state; the lexicon takes about a second to build."""

    def __init__(self) -> None:
        self._built: OrderedDict[str, Catalogue] = OrderedDict()
        self._lock = asyncio.Lock()

    async def get(self, version: str, load: Callable[[], Awaitable[Catalogue]]) -> Catalogue:
        if version in self._built:
            return self._built[version]
        async with self._lock:
            if version not in self._built:
                self._built[version] = await load()
                while len(self._built) > KEEP:
                    self._built.popitem(last=False)
        return self._built[version]
