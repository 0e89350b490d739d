"""The grounding check: every career, exam and number in a reply must come from the catalogue
records retrieved for it (this turn, or earlier in the conversation).

Run after generation on both paths. A career named in a reply must be one the tools returned;
a capitalised job title that is no catalogue career at all ("Space Tourism Pilot") is a
violation too. An exam named must be one retrieved. Every number (salary, duration, month
count, year, date, count of results) must be one of the retrieved facts' numbers; salary
amounts are compared as rupees whichever way they are written (₹18 lakh, 18 LPA, 1800000).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from search_api.agent.catalogue import Catalogue

# Class 10, 11 and 12 are the school years every route starts from, not catalogue figures.
SCHOOL_GRADES = frozenset({10.0, 11.0, 12.0})
UNITS = {
    "lakh": 100_000, "lakhs": 100_000, "lac": 100_000, "lacs": 100_000, "lpa": 100_000,
    "l": 100_000, "crore": 10_000_000, "crores": 10_000_000, "cr": 10_000_000,
    "k": 1_000, "thousand": 1_000,
}  # fmt: skip
_NUMBER = re.compile(
    r"(?P<rupee>₹|rs\.?\s*|inr\s*)?(?P<num>\d+(?:,\d{2,3})*(?:\.\d+)?)"
    r"(?:\s*(?P<unit>lakhs?|lacs?|lpa|crores?|cr|k|thousand|l)\b)?",
    re.IGNORECASE,
)
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_UNKNOWN_EXAM = re.compile(r"\b([A-Z][A-Z0-9]{1,}(?:[- ][A-Z0-9]{2,})*)\s+(?:exam|test|entrance)")
_TITLE = re.compile(r"\b((?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,})){0,3})\b")


MAX_TEXTS = 400


def _as_float(text: str) -> float:
    return float(text.replace(",", ""))


@dataclass
class Facts:
    """What was retrieved: careers and exams by id, and every number their records hold."""

    careers: dict[str, str] = field(default_factory=dict)  # id -> name
    exams: dict[str, str] = field(default_factory=dict)
    numbers: set[float] = field(default_factory=set)
    amounts: set[int] = field(default_factory=set)  # rupees
    dates: set[str] = field(default_factory=set)
    # the retrieved records' own prose: a name quoted from it ("BBA LLB" in a degree) is
    # grounded even when it is also some career's alias
    texts: set[str] = field(default_factory=set)

    def add_career(self, career_id: str, name: str) -> None:
        self.careers[career_id] = name

    def add_exam(self, exam_id: str, name: str) -> None:
        self.exams[exam_id] = name

    def add_amount(self, rupees: int) -> None:
        self.amounts.add(int(rupees))

    def add_number(self, value: float) -> None:
        self.numbers.add(float(value))

    def add_text(self, text: str) -> None:
        """Every number a retrieved text holds (durations, exam months, reasons)."""
        if len(self.texts) < MAX_TEXTS:
            self.texts.add(text)
        for date in _DATE.findall(text):
            self.dates.add(date)
            for part in date.split("-"):
                self.numbers.add(float(part))
        for m in _NUMBER.finditer(text):
            value = _as_float(m.group("num"))
            self.numbers.add(value)
            if value >= 10_000:
                self.amounts.add(round(value))
            unit = (m.group("unit") or "").lower()
            if unit in UNITS:
                self.amounts.add(round(value * UNITS[unit]))

    def add_record(self, record: Mapping[str, Any], text_fields: Iterable[str]) -> None:
        for name in text_fields:
            value = record.get(name)
            if isinstance(value, str):
                self.add_text(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, str):
                        self.add_text(item)

    def merge(self, other: Facts) -> None:
        self.careers.update(other.careers)
        self.exams.update(other.exams)
        self.numbers |= other.numbers
        self.amounts |= other.amounts
        self.dates |= other.dates
        self.texts |= set(list(other.texts)[: max(0, MAX_TEXTS - len(self.texts))])

    def to_json(self) -> dict[str, Any]:
        return {
            "careers": self.careers,
            "exams": self.exams,
            "numbers": sorted(self.numbers),
            "amounts": sorted(self.amounts),
            "dates": sorted(self.dates),
            "texts": sorted(self.texts),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Facts:
        return cls(
            careers=dict(data.get("careers", {})),
            exams=dict(data.get("exams", {})),
            numbers={float(n) for n in data.get("numbers", [])},
            amounts={int(a) for a in data.get("amounts", [])},
            dates=set(data.get("dates", [])),
            texts=set(data.get("texts", [])),
        )


@dataclass(frozen=True)
class Violation:
    kind: str  # "career", "unknown_career", "exam", "unknown_exam", "number"
    text: str

    def describe(self) -> str:
        return f"{self.kind}: {self.text}"


def _quoted(words: str, texts: Iterable[str]) -> bool:
    pattern = re.compile(rf"(?<![\w-]){re.escape(words)}(?![\w-])")
    return any(pattern.search(t) for t in texts)


def _amount_known(rupees: float, facts: Facts) -> bool:
    return any(abs(rupees - a) <= max(0.01 * a, 1) for a in facts.amounts)


def check_reply(reply: str, facts: Facts, catalogue: Catalogue) -> list[Violation]:
    violations: list[Violation] = []
    masked = list(reply)

    def mask(span: tuple[int, int]) -> None:
        for i in range(*span):
            masked[i] = " "

    # careers and exams together, longest first: "UPSC CSE" is the exam even though "UPSC"
    # alone is a career's alias, "CA Foundation" the exam and not the career CA
    named = [("career", *m) for m in catalogue.careers_named(reply)]
    named += [("exam", *m) for m in catalogue.exams_named(reply)]
    named.sort(key=lambda m: (-(m[3][1] - m[3][0]), m[3][0]))
    taken: list[tuple[int, int]] = []
    for kind, item_id, words, span in named:
        if any(span[0] < end and start < span[1] for start, end in taken):
            continue
        taken.append(span)
        known = facts.careers if kind == "career" else facts.exams
        # a name quoted from a retrieved record's own text is grounded too
        if item_id not in known and not _quoted(words, facts.texts):
            violations.append(Violation(kind, words))
        mask(span)
    rest = "".join(masked)
    for m in _TITLE.finditer(rest):
        phrase = m.group(1)
        head = phrase.split()[-1].split("-")[-1].casefold()
        if head in catalogue.title_heads and phrase.casefold() not in catalogue.known_phrases:
            violations.append(Violation("unknown_career", phrase))
    for m in _UNKNOWN_EXAM.finditer(rest):
        if m.group(1) not in catalogue.exam_by_name:
            violations.append(Violation("unknown_exam", m.group(1)))
    for date in _DATE.findall(rest):
        if date not in facts.dates:
            violations.append(Violation("number", date))
    rest = _DATE.sub(" ", rest)
    for m in _NUMBER.finditer(rest):
        value = _as_float(m.group("num"))
        unit = (m.group("unit") or "").lower()
        if unit in UNITS:
            if not _amount_known(value * UNITS[unit], facts):
                violations.append(Violation("number", m.group(0).strip()))
        elif m.group("rupee") or value >= 10_000:
            if not _amount_known(value, facts):
                violations.append(Violation("number", m.group(0).strip()))
        elif value not in facts.numbers and value not in SCHOOL_GRADES:
            violations.append(Violation("number", m.group(0).strip()))
    return violations
