"""What a chat message asks for: one intent, and the entities the query-understanding module
found in it (search.understanding: the same reader search uses, not a second parser).

Pure: no I/O. The rules are keyword cues over the message's words, checked in a fixed order
(the first rule that fires wins), plus what the entities say: a message naming two careers
and "vs" is a comparison, a salary amount is a constraint on a search, not a salary question.
The cue lists were written against the tune half of tests/unit/agent_messages.yaml; the test
half is only measured (scripts/eval_agent.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from search_api.search.understanding import FILLERS, Understanding

Intent = Literal[
    "recommend",
    "career_details",
    "compare",
    "search",
    "exam_info",
    "salary",
    "eligibility",
    "plan",
    "greeting",
    "out_of_scope",
]
INTENTS: tuple[Intent, ...] = (
    "recommend",
    "career_details",
    "compare",
    "search",
    "exam_info",
    "salary",
    "eligibility",
    "plan",
    "greeting",
    "out_of_scope",
)

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\u0900-\u097F]+")


def _phrases(text: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(p.split()) for p in text.split("|"))


GREETING = _phrases(
    "hi|hello|hey|hii|namaste|namaskar|good morning|good evening|help|what can you do|"
    "who are you|thanks|thank you|shukriya|dhanyavad|how does this work|start"
)
OUT_OF_SCOPE = _phrases(
    "weather|cricket score|match score|joke|movie|movies|song|recipe|news|homework|"
    "write my essay|essay|poem|girlfriend|boyfriend|bitcoin price|stock tips|ipl|"
    "capital of|president of|prime minister|time is it|mausam|film|gaana"
)
COMPARE = _phrases(
    "compare|comparison|vs|versus|difference between|differences between|better|"
    "tulna|farak|fark|antar|which is better|kaun sa better|or"
)
PLAN = _phrases(
    "plan|roadmap|road map|timeline|steps to become|how to become|how do i become|"
    "how can i become|path to|kaise bane|kaise banu|kaise ban|kaise banna|kya karna hoga|"
    "step by step|preparation plan|yojana|route to"
)
SALARY = _phrases(
    "salary|salaries|pay|paid|earn|earning|earnings|income|package|ctc|kamai|kamate|kamata|"
    "tankhwah|tankha|vetan|paisa|paise|money|how much do|kitna milta|kitni salary"
)
EXAM = _phrases(
    "exam|exams|entrance|entrance test|test|when is|exam date|pariksha|syllabus|"
    "which exam|kaun sa exam|konsa exam|cutoff"
)
ELIGIBILITY = _phrases(
    "can i|can i do|can i become|am i eligible|eligible|eligibility|possible|allowed|"
    "kar sakta|kar sakti|ban sakta|ban sakti|ho sakta|without|bina|after commerce|"
    "after arts|after humanities|after pcb|after pcm|is it necessary|need maths|"
    "do i need|required|zaroori|zaruri"
)
RECOMMEND = _phrases(
    "suggest|recommend|recommendation|what should i|which career|best career|"
    "career for me|careers for me|options for me|mere liye|kya karu|kya karun|kya kare|"
    "konsa career|kaunsa career|kaun sa career|i like|i love|i enjoy|interested in|"
    "my interest|pasand|good at|guide me|confused|what can i do|help me choose|suit me|"
    "suits me|right for me"
)
DETAILS = _phrases(
    "tell me about|what is|what does|what do|who is|details|about|describe|explain|"
    "kya hai|kya hota|kya karta|kya karte|batao|information|info|job of|work of|"
    "daily life|duration|degree|how long|skills|pros|cons|scope"
)
SEARCH = _phrases(
    "careers in|jobs in|list|show|show me|explore|careers with|jobs with|options in|"
    "fields in|find|search|careers that|jobs that|options with|careers without|high paying|"
    "government jobs|remote|low stress"
)
# "what about its salary?", "and for PCB?", "the first two": the message leans on context
FOLLOW_UP = _phrases(
    "its|it|this|that|this one|that one|them|they|those|these|the first|the second|"
    "the third|first two|first one|second one|and for|what about|how about|uska|iski|iska|"
    "unka|in dono"
)
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "pehla": 0, "dusra": 1}


def words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower().replace("\u2019", "'")))


def has(tokens: tuple[str, ...], phrases: tuple[tuple[str, ...], ...]) -> bool:
    n = len(tokens)
    for phrase in phrases:
        k = len(phrase)
        for i in range(n - k + 1):
            if tokens[i : i + k] == phrase:
                return True
    return False


@dataclass
class Entities:
    """What the message names, in the catalogue's vocabulary (the judged set's shape)."""

    careers: list[str] = field(default_factory=list)
    exams: list[str] = field(default_factory=list)
    stream: str | None = None
    grade: int | None = None
    excluded_subjects: list[str] = field(default_factory=list)
    required_subjects: list[str] = field(default_factory=list)
    salary_min: int | None = None
    salary_max: int | None = None
    states: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)

    def pairs(self) -> set[tuple[str, str]]:
        """(kind, value) pairs: what entity precision and recall are counted over."""
        out: set[tuple[str, str]] = set()
        for kind in ("careers", "exams", "excluded_subjects", "required_subjects", "states"):
            out.update((kind, v) for v in getattr(self, kind))
        out.update(("categories", v) for v in self.categories)
        for kind in ("stream", "grade", "salary_min", "salary_max"):
            value = getattr(self, kind)
            if value is not None:
                out.add((kind, str(value)))
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in self.__dict__.items()
            if v is not None and v != []  # only what was found
        }


def entities_of(understood: Understanding) -> Entities:
    return Entities(
        careers=list(understood.careers),
        exams=list(understood.exams),
        stream=understood.stream,
        grade=understood.grade,
        excluded_subjects=list(understood.excluded_subjects),
        required_subjects=list(understood.required_subjects),
        salary_min=understood.salary_min,
        salary_max=understood.salary_max,
        states=list(understood.states),
        categories=list(understood.categories),
    )


def content_words(understood: Understanding) -> list[str]:
    """The message's words that are neither an entity nor a filler ("I am in" is none)."""
    return [w for w in understood.search_text.split() if w not in FILLERS and w not in _SELF]


_SELF = frozenset("i am im m hu hoon main class student studying in from".split())


def is_follow_up(tokens: tuple[str, ...]) -> bool:
    return has(tokens, FOLLOW_UP)


def ordinal_picks(tokens: tuple[str, ...]) -> list[int]:
    """Positions in the last list shown: "the first two" → [0, 1], "the second one" → [1]."""
    counts = {"two": 2, "three": 3, "2": 2, "3": 3, "both": 2, "dono": 2}
    for i, token in enumerate(tokens):
        if token in ("first", "top", "pehle") and i + 1 < len(tokens) and tokens[i + 1] in counts:
            return list(range(counts[tokens[i + 1]]))
    picks = [ORDINALS[t] for t in tokens if t in ORDINALS]
    return list(dict.fromkeys(picks))


def classify(message: str, understood: Understanding, previous_intent: str | None = None) -> Intent:
    """One intent for the message; previous_intent lets "and for PCB?" repeat the last one."""
    tokens = words(message)
    ents = entities_of(understood)
    careers = len(ents.careers)
    constraints = bool(
        ents.stream
        or ents.excluded_subjects
        or ents.salary_min
        or ents.salary_max
        or ents.categories
        or ents.states
        or understood.stress_levels
        or understood.work_life_balance
        or understood.remote_work
        or understood.sector
    )
    if has(tokens, OUT_OF_SCOPE) and not has(tokens, SALARY + EXAM + PLAN + COMPARE):
        return "out_of_scope"
    if has(tokens, PLAN):
        return "plan"
    compare_cue = has(tokens, COMPARE)
    if compare_cue and (careers >= 2 or ordinal_picks(tokens) or has(tokens, FOLLOW_UP)):
        return "compare"
    if has(tokens, (("compare",), ("vs",), ("versus",), ("difference", "between"))):
        return "compare"
    if has(tokens, SALARY) and ents.salary_min is None and ents.salary_max is None:
        return "salary"
    if ents.exams or (has(tokens, EXAM) and (careers or ents.categories or is_follow_up(tokens))):
        return "exam_info"
    if careers and has(tokens, ELIGIBILITY) and (ents.stream or ents.excluded_subjects):
        return "eligibility"
    if careers and has(tokens, (("can", "i"), ("eligible",), ("kar", "sakta"), ("ban", "sakta"))):
        return "eligibility"
    if (
        is_follow_up(tokens)
        and (ents.stream or ents.excluded_subjects)
        and has(tokens, (("can", "i"), ("eligible",), ("kar", "sakta"), ("ban", "sakta")))
    ):
        return "eligibility"  # "can I do it with PCM?"
    if (careers or ordinal_picks(tokens)) and has(tokens, DETAILS):
        return "career_details"
    if has(tokens, RECOMMEND):
        return "recommend"
    if careers == 1:
        return "career_details"
    if careers >= 2:
        return "compare"
    if (
        previous_intent in ("recommend", "plan", "eligibility")
        and (ents.stream or ents.grade)
        and not has(tokens, SEARCH)
        and not content_words(understood)
    ):
        return previous_intent  # type: ignore[return-value]  # "I am in Commerce": a reply
    if (
        has(tokens, SEARCH)
        or constraints
        or (
            understood.remaining_text.strip()
            and has(tokens, (("careers",), ("jobs",), ("career",), ("options",), ("naukri",)))
        )
    ):
        if (
            previous_intent
            and is_follow_up(tokens)
            and not understood.remaining_text.strip()
            and previous_intent not in ("greeting", "out_of_scope")
        ):
            return previous_intent  # type: ignore[return-value]
        return "search" if has(tokens, SEARCH) or not ents.grade else "recommend"
    if (
        previous_intent
        and previous_intent not in ("greeting", "out_of_scope")
        and (is_follow_up(tokens) or not understood.remaining_text.strip())
    ):
        return previous_intent  # type: ignore[return-value]
    if has(tokens, GREETING):
        return "greeting"
    if ents.grade:
        return "recommend"
    return "out_of_scope"
