"""Query understanding: what a student's words ask for, as typed constraints and entities.

Pure: no OpenSearch, no database; the only file read is the English word list of
search/english.py, once per process. Search and the chat agent share it.

    lexicon = Lexicon.build(career_rows, exam_rows)      # once per catalogue version
    result = understand("12th commerce without maths", lexicon)
    result.stream, result.excluded_subjects, result.remaining_text
    plan = result.plan()        # filters and boosts in the product's facet vocabulary

Every extracted item is a `Constraint` carrying the words it came from (`span`), whether it
is a hard filter or a soft boost, and an undo `key` (`result.without(key)` drops it and puts
its words back into the remaining text).

How the words are read, in order (each step only sees words no earlier step took):
1. Tokens: lowercase, dotted abbreviations joined (B.Sc → bsc), numbers split from units
   (10lpa → 10 lpa). Devanagari words keep their script for exact Hindi-name matches and get a
   student-Latin transliteration for everything else.
2. Spelling: a word the catalogue and the constraint vocabulary never use, and that is no
   English word either ("sleep" is not a typo of "slip"), is replaced by the nearest one they
   do use: same phonetic key first, then Damerau (OSA) distance, 1 edit from
   4 letters, 2 from 8. Never for numbers, words under 4 letters or words typed in capitals
   (acronyms must match exactly: "CA" is never "CAD").
3. Salary amounts, then grades (numbers are read before anything else can take them).
4. Streams (PCMB is not PCM: each is one token; "maths and bio" → PCMB).
5. Subjects and exams after a negation ("without maths", "bina maths ke", "no neet") or a
   requirement ("with biology").
6. The phrase table, longest match first: career names, aliases, Hinglish and Hindi names,
   exams, categories, states, and the constraint phrases (stress, work-life balance, remote,
   travel, sector, high salary).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA

from search_api.careers.records import (
    REMOTE_LEVELS,
    STRESS_LEVELS,
    TRAVEL_LEVELS,
    WORK_LIFE_BALANCES,
    eligible_streams,
)
from search_api.search.english import english_words
from search_api.search.facets import Filters
from search_api.search.transliteration import (
    has_devanagari,
    normalise_devanagari,
    phonetic_key,
    transliterate,
)

Script = Literal["latin", "devanagari", "mixed"]
Kind = Literal[
    "stream",
    "grade",
    "required_subject",
    "excluded_subject",
    "salary_min",
    "salary_max",
    "salary_preference",
    "stress_level",
    "work_life_balance",
    "remote_work",
    "travel_required",
    "sector",
    "exam",
    "excluded_exam",
    "career",
    "excluded_career",
    "category",
    "state",
]
Via = Literal["rule", "exact", "alias", "hinglish", "hindi", "phonetic", "fuzzy"]

SCIENCE = "Science"  # a science student who did not say which: PCM, PCB and PCMB careers
SCIENCE_STREAMS = ("PCM", "PCB", "PCMB")
GOVERNMENT_CATEGORIES = ("Civil Services", "Government & Banking Jobs", "Defence")

INDIAN_STATES: tuple[str, ...] = (
    "Andhra Pradesh", "Arunachal Pradesh", "Assam", "Bihar", "Chhattisgarh", "Goa", "Gujarat",
    "Haryana", "Himachal Pradesh", "Jharkhand", "Karnataka", "Kerala", "Madhya Pradesh",
    "Maharashtra", "Manipur", "Meghalaya", "Mizoram", "Nagaland", "Odisha", "Punjab",
    "Rajasthan", "Sikkim", "Tamil Nadu", "Telangana", "Tripura", "Uttar Pradesh", "Uttarakhand",
    "West Bengal",
    # union territories
    "Andaman and Nicobar Islands", "Chandigarh", "Dadra and Nagar Haveli and Daman and Diu",
    "Delhi", "Jammu and Kashmir", "Ladakh", "Lakshadweep", "Puducherry",
)  # fmt: skip
STATE_VARIANTS: Mapping[str, str] = {
    "orissa": "Odisha",
    "pondicherry": "Puducherry",
    "uttaranchal": "Uttarakhand",
    "new delhi": "Delhi",
    "delhi ncr": "Delhi",
    "ncr": "Delhi",
    "bengal": "West Bengal",
    "kashmir": "Jammu and Kashmir",
    "j and k": "Jammu and Kashmir",
    "andaman": "Andaman and Nicobar Islands",
    "daman and diu": "Dadra and Nagar Haveli and Daman and Diu",
    "chattisgarh": "Chhattisgarh",
    "up": "Uttar Pradesh",
    "mp": "Madhya Pradesh",
    "tn": "Tamil Nadu",
    "ap": "Andhra Pradesh",
    "hp": "Himachal Pradesh",
    "jk": "Jammu and Kashmir",
    "wb": "West Bengal",
}

# School subjects as the catalogue names them, and how students write them (incl. Hindi).
SUBJECT_WORDS: Mapping[str, str] = {
    "maths": "Mathematics", "math": "Mathematics", "mathematics": "Mathematics",
    "mathematic": "Mathematics", "ganit": "Mathematics", "mathe": "Mathematics",
    "bio": "Biology", "biology": "Biology", "jeev vigyan": "Biology", "jiv vigyan": "Biology",
    "physics": "Physics", "phy": "Physics", "bhautiki": "Physics", "bhautik vigyan": "Physics",
    "chemistry": "Chemistry", "chem": "Chemistry", "rasayan": "Chemistry",
    "rasayan vigyan": "Chemistry",
    "computer science": "Computer Science", "comp sci": "Computer Science",
    "computers": "Computer Science", "computer": "Computer Science", "coding": "Computer Science",
    "accountancy": "Accountancy", "accounts": "Accountancy", "accounting": "Accountancy",
    "economics": "Economics", "eco": "Economics", "econ": "Economics",
    "business studies": "Business Studies", "bst": "Business Studies",
    "history": "History", "itihas": "History", "geography": "Geography", "bhugol": "Geography",
    "political science": "Political Science", "pol science": "Political Science",
    "polity": "Political Science", "civics": "Political Science",
    "sociology": "Sociology", "psychology": "Psychology", "english": "English", "hindi": "Hindi",
    "sanskrit": "Sanskrit", "statistics": "Statistics", "stats": "Statistics",
    "physical education": "Physical Education", "legal studies": "Legal Studies",
    "home science": "Home Science", "music": "Music", "fine arts": "Fine Arts",
    "drawing": "Fine Arts", "agriculture": "Agriculture", "urdu": "Urdu", "dance": "Dance",
}  # fmt: skip
# "without science": every science subject the catalogue lists.
SUBJECT_FAMILIES: Mapping[str, tuple[str, ...]] = {
    "science": ("Physics", "Chemistry", "Biology", "Science", "General Science"),
    "vigyan": ("Physics", "Chemistry", "Biology", "Science", "General Science"),
}

# Common words, incl. the Hinglish ones, that carry no career meaning: never corrected into a
# catalogue word, and dropped from the remaining text when nothing else is left.
FILLERS = frozenset(
    """a about after all also am an and any are as at be because been being best but by can
    could do does doing for from get give good have having how i i'd i'm if in into is it its
    job jobs just like love loves make me more most my no not of on or our out please show so
    student students
    some such than that the their them then there these they this to too very want wants was
    we well what when where which who why will with would you your career careers enjoy
    enjoys course courses work working become becoming study options option field fields
    list top suggest should scope future good great nice only other get
    hai hain kya karna karni karne kar karu karun chahiye chahta chahti wala wali wale mein
    mai me ke ki ka ko se baad liye bhi aur ya kaun konsa kaunsa kon sa sakta sakti sakte hu
    hoon hun mujhe mera meri mere banna banana banu naukri kaam jo job wali koi kuch kare
    karein karen karo kru kaise kahan kitna kitni kitne milega milegi milti milta hota hoti
    hote tha thi the acha accha achha sahi batao bataiye bata dijiye lena lene padhai padhna
    abhi ab agar toh to phir uske iske liye chahiye chaiye chahie apna apni apne yeh ye woh
    vo""".split()
)
_CONNECTORS = frozenset(
    "with without and or in for of at to from but having that which a an the ke ki ka se "
    "mein me aur ya wali wala wale".split()
)
# Short exam names that are also English words: only an exam in capitals, next to an exam
# word, or alone ("GATE", "gate exam", "gate" - but not "the gate").
_COMMON_ENGLISH = frozenset(
    "cat set met gate jam nest seed mat net pet aim act art ace ant mains main key can".split()
)
# Everyday words students put in queries that the catalogue's own text may not use: never
# "corrected" into a catalogue word (date is not data, fees is not feed).
_EVERYDAY = frozenset(
    """date dates time fee fees college colleges university universities admission admissions
    eligibility eligible duration year years month months girls girl boys boy student students
    parents india indian abroad foreign country city village easy hard difficult tough simple
    fast quick short long cheap free money rich famous respect respected secure safe stable
    growth demand new old modern latest trending help people nature mobile phone games gaming
    cricket football painting writing reading books cooking food cars bikes machines space
    stars sea ships planes kids children sick hospital court serve build create solve fix
    teach protect explore lab experiments puzzles numbers dream passion interested interest
    hobby hobbies talent marks percentage percent score rank board cbse icse state states
    kind which where there here near know tell need needs after before without within
    like likes love hate best worst better more less most least high low big small ignore
    scored score recommend compare tell show about catalogue which percent marks told asked
    option thing things something anything everything really actually also always never""".split()
)
_EXAM_CONTEXT = frozenset(
    "exam exams test entrance preparation prep score rank cutoff coaching result paper syllabus "
    "form date dates qualify qualified clear crack cracking pass".split()
)
# Words that leave a named exam or category the whole subject of a query ("careers after NEET",
# "jobs in the medical line").
_GROUP_CONTEXT = (
    FILLERS
    | _EXAM_CONTEXT
    | frozenset(
        "after through via using stream line side sector industry area profession professions "
        "related based students student clearing cleared pg ug degree college colleges "
        "admission admissions counselling seat seats eligibility".split()
    )
)
_PREFIX_BLOCKERS = frozenset({"e"})  # e-commerce is not the commerce stream

_TOKEN = re.compile(
    r"[\u0900-\u0963\u0966-\u097F]+"  # a Devanagari word (danda excluded)
    r"|\d+(?:[.,]\d+)*"  # 10, 1.2, 50,000
    r"|[a-z]+(?:\.[a-z]+)+\.?"  # b.sc, b.tech, p.a.
    r"|[a-z]+(?:'[a-z]+)?"
    r"|[₹%+<>&]",
    re.IGNORECASE,
)


# ---- results --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Span:
    """Where a constraint came from: character offsets into the query and those words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Constraint:
    kind: Kind
    value: Any  # str, int or a tuple of facet values, depending on kind
    span: Span
    hard: bool  # True: a filter; False: a boost or an entity mention
    key: str  # undo key: `Understanding.without(key)`
    consumes: bool  # its words are left out of the remaining text
    via: Via = "rule"
    candidates: tuple[str, ...] = ()  # careers/exams: every id the words can mean, best first

    @property
    def label(self) -> str:
        value = ", ".join(self.value) if isinstance(self.value, tuple) else str(self.value)
        return f"{self.kind.replace('_', ' ')}: {value}"


@dataclass(frozen=True, slots=True)
class Correction:
    span: Span
    original: str
    corrected: str
    via: Via


@dataclass(frozen=True, slots=True)
class Boost:
    """A soft preference for search to apply as a should clause (or sort tie-breaker).

    field is an index field: "category", "exam_ids", "id", "subjects", "travel_required", or
    "mid_salary" (values empty: prefer higher pay)."""

    field: str
    values: tuple[str, ...]
    key: str


@dataclass(frozen=True)
class SearchPlan:
    """What search should do with an understood query, in the product's filter vocabulary.

    - facets: hard filters, keyed by the facets.py parameter (OR within one, AND across).
    - salary_min / salary_max: hard, INR per year, against mid_salary (the product's salary
      filter; an "entry"/"starting" salary is recorded on the constraint's kind but filtered
      the same way).
    - excluded_subjects: hard. A career whose `subjects` lists any of them is dropped. In
      OpenSearch: `bool.must_not: [{"terms": {"subjects.keyword": [...]}}]` on a keyword
      sub-field of subjects (the mapping has subjects as text only today); in Python
      `allows(row)`.
    - excluded_exams: hard, must_not terms on exam_ids.
    - boosts: soft (see Boost). text: what is left for BM25 and the dense leg.
    """

    facets: Mapping[str, tuple[str, ...]]
    salary_min: int | None
    salary_max: int | None
    excluded_subjects: tuple[str, ...]
    excluded_exams: tuple[str, ...]
    boosts: tuple[Boost, ...]
    text: str

    def filters(self) -> Filters:
        return Filters(dict(self.facets), self.salary_min, self.salary_max)

    def allows(self, row: Mapping[str, Any]) -> bool:
        """The hard constraints on one career (an index document or a catalogue row)."""
        checks: dict[str, str] = {
            "stream": "streams",
            "stress_level": "stress_level",
            "work_life_balance": "work_life_balance",
            "remote_work": "remote_work",
            "travel_required": "travel_required",
        }
        for param, values in self.facets.items():
            if not values:
                continue
            have = row[checks[param]]
            have_set = set(have) if isinstance(have, list | tuple) else {have}
            wanted = eligible_streams(values) if param == "stream" else values
            if not have_set.intersection(wanted):
                return False
        mid = int(row["mid_salary"])
        if self.salary_min is not None and mid < self.salary_min:
            return False
        if self.salary_max is not None and mid > self.salary_max:
            return False
        if set(self.excluded_subjects).intersection(row["subjects"]):
            return False
        exams = row.get("exam_ids", row.get("entrance_exams", []))
        return not set(self.excluded_exams).intersection(exams)


@dataclass(frozen=True)
class _Token:
    surface: str  # as typed
    text: str  # lowercase Latin (Devanagari transliterated), after spelling correction
    raw: str  # lowercase Latin before correction
    start: int
    end: int
    dev: str | None  # normalised Devanagari, for exact Hindi-name matches
    upper: bool  # typed in capitals (an acronym)
    number: float | None


@dataclass(frozen=True)
class Understanding:
    query: str
    script: Script
    constraints: tuple[Constraint, ...]
    corrections: tuple[Correction, ...]
    remaining_text: str  # the query's own words minus what constraints consumed
    search_text: str  # the same words transliterated and spelling-corrected, for BM25/dense
    _tokens: tuple[_Token, ...] = field(default=(), repr=False, compare=False)

    # ---- typed views ----

    def _values(self, kind: Kind) -> list[Any]:
        return [c.value for c in self.constraints if c.kind == kind]

    def _first(self, kind: Kind) -> Any:
        values = self._values(kind)
        return values[0] if values else None

    def _union(self, kind: Kind) -> tuple[str, ...]:
        out: list[str] = []
        for value in self._values(kind):
            for v in value if isinstance(value, tuple) else (value,):
                if v not in out:
                    out.append(v)
        return tuple(out)

    @property
    def stream(self) -> str | None:
        """PCM, PCB, PCMB, Commerce, Humanities, or "Science" (any of the three)."""
        value: str | None = self._first("stream")
        return value

    @property
    def streams(self) -> tuple[str, ...]:
        """The stream as facet values (Science → PCM, PCB, PCMB)."""
        stream = self.stream
        if stream is None:
            return ()
        return SCIENCE_STREAMS if stream == SCIENCE else (stream,)

    @property
    def grade(self) -> int | None:
        value: int | None = self._first("grade")
        return value

    @property
    def required_subjects(self) -> tuple[str, ...]:
        return self._union("required_subject")

    @property
    def excluded_subjects(self) -> tuple[str, ...]:
        return self._union("excluded_subject")

    @property
    def salary_min(self) -> int | None:
        value: int | None = self._first("salary_min")
        return value

    @property
    def salary_max(self) -> int | None:
        value: int | None = self._first("salary_max")
        return value

    @property
    def salary_preference(self) -> str | None:
        value: str | None = self._first("salary_preference")
        return value

    @property
    def stress_levels(self) -> tuple[str, ...]:
        return self._union("stress_level")

    @property
    def work_life_balance(self) -> tuple[str, ...]:
        return self._union("work_life_balance")

    @property
    def remote_work(self) -> tuple[str, ...]:
        return self._union("remote_work")

    @property
    def travel_required(self) -> tuple[str, ...]:
        return self._union("travel_required")

    @property
    def sector(self) -> str | None:
        value: str | None = self._first("sector")
        return value

    @property
    def exams(self) -> tuple[str, ...]:
        return self._union("exam")

    @property
    def excluded_exams(self) -> tuple[str, ...]:
        return self._union("excluded_exam")

    @property
    def excluded_careers(self) -> tuple[str, ...]:
        """Careers the query names after a negation ("in a hospital but not as a doctor"):
        every career the words can mean."""
        out = (i for c in self.constraints if c.kind == "excluded_career" for i in c.candidates)
        return tuple(dict.fromkeys(out))

    @property
    def careers(self) -> tuple[str, ...]:
        """Career ids named in the query, in the order they were named."""
        return self._union("career")

    @property
    def career_mentions(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.kind == "career")

    @property
    def categories(self) -> tuple[str, ...]:
        return self._union("category")

    @property
    def states(self) -> tuple[str, ...]:
        return self._union("state")

    @property
    def hard(self) -> tuple[Constraint, ...]:
        return tuple(c for c in self.constraints if c.hard)

    def summary(self) -> dict[str, Any]:
        """The filters understood, as the judged set's `understood` blocks write them."""
        out: dict[str, Any] = {}
        scalars: dict[str, Any] = {
            "stream": self.stream,
            "grade": self.grade,
            "salary_min": self.salary_min,
            "salary_max": self.salary_max,
            "salary_preference": self.salary_preference,
            "sector": self.sector,
        }
        lists: dict[str, tuple[str, ...]] = {
            "required_subjects": self.required_subjects,
            "excluded_subjects": self.excluded_subjects,
            "stress_level": self.stress_levels,
            "work_life_balance": self.work_life_balance,
            "remote_work": self.remote_work,
            "travel_required": self.travel_required,
            "exams": self.exams,
            "excluded_exams": self.excluded_exams,
            "states": self.states,
        }
        out.update({k: v for k, v in scalars.items() if v is not None})
        out.update({k: list(v) for k, v in lists.items() if v})
        return out

    def plan(self) -> SearchPlan:
        facets: dict[str, tuple[str, ...]] = {}
        if self.streams:
            facets["stream"] = self.streams
        for param, values in (
            ("stress_level", self.stress_levels),
            ("work_life_balance", self.work_life_balance),
            ("remote_work", self.remote_work),
        ):
            if values:
                facets[param] = values
        boosts: list[Boost] = []
        for c in self.constraints:
            if c.kind == "travel_required":
                if c.hard:
                    facets["travel_required"] = _merge(facets.get("travel_required", ()), c.value)
                else:
                    boosts.append(Boost("travel_required", c.value, c.key))
            elif c.kind == "salary_preference":
                boosts.append(Boost("mid_salary", (), c.key))
            elif c.kind == "required_subject":
                boosts.append(Boost("subjects", (c.value,), c.key))
            elif c.kind == "exam":
                boosts.append(Boost("exam_ids", (c.value,), c.key))
            elif c.kind == "career":
                boosts.append(Boost("id", (c.value,), c.key))
            elif c.kind == "category":
                boosts.append(Boost("category", (c.value,), c.key))
            elif c.kind == "sector" and c.value == "government":
                boosts.append(Boost("category", GOVERNMENT_CATEGORIES, c.key))
            elif c.kind == "sector" and c.value == "psu":
                boosts.append(Boost("category", ("Government & Banking Jobs",), c.key))
                boosts.append(Boost("exam_ids", ("gate",), c.key))
        return SearchPlan(
            facets=facets,
            salary_min=self.salary_min,
            salary_max=self.salary_max,
            excluded_subjects=self.excluded_subjects,
            excluded_exams=self.excluded_exams,
            boosts=tuple(boosts),
            text=self.search_text,
        )

    def only_groups(self) -> tuple[Constraint, ...]:
        """The exams and categories named when they are all the free text is about ("NEET",
        "careers after JEE Main", "medical", "design careers for PCB students"): every word
        left outside their words is a filler or an exam word. () when a career is named, when
        other words are left, or when nothing is left for them to describe."""
        groups = tuple(c for c in self.constraints if c.kind in ("exam", "category"))
        if not groups or self.careers or not self.search_text:
            return ()
        taken = [(c.span.start, c.span.end) for c in self.constraints if c.consumes or c in groups]
        for token in _dedupe(self._tokens):
            if any(s <= token.start and token.end <= e for s, e in taken):
                continue
            if not all(w in _GROUP_CONTEXT for w in token.text.split()):
                return ()
        return groups

    def without(self, key: str) -> Understanding:
        """The same understanding with one constraint dropped; its words go back into the
        remaining text. An unknown key changes nothing."""
        kept = tuple(c for c in self.constraints if c.key != key)
        if len(kept) == len(self.constraints):
            return self
        remaining, search = _remaining(self._tokens, kept)
        return replace(self, constraints=kept, remaining_text=remaining, search_text=search)

    def undo_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.key for c in self.constraints))


def _merge(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


# ---- the lexicon ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: Kind | Literal["block"]
    value: Any
    hard: bool
    consumes: bool
    via: Via = "exact"
    candidates: tuple[str, ...] = ()
    needs_caps: bool = False  # a short acronym or a common English word: see _acceptable
    exam_word: bool = False  # an exam name that is a common English word


def _words(text: str) -> list[str]:
    """The lookup form of a phrase: the same tokens a query of that text would have."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if has_devanagari(raw):
            out.append(normalise_devanagari(raw))
        else:
            out.append(_latin_form(raw))
    return [w for w in out if w]


def _latin_form(raw: str) -> str:
    lowered = raw.lower().replace("'", "")
    if lowered == "&":
        return "and"
    if "." in lowered and not lowered[0].isdigit():
        return lowered.replace(".", "")
    if lowered[0].isdigit():
        return lowered.replace(",", "")
    return lowered


def _is_acronym(surface: str) -> bool:
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters) and len(letters) <= 6


def _strip_parentheses(name: str) -> tuple[str, list[str]]:
    inner = re.findall(r"\(([^)]*)\)", name)
    return re.sub(r"\s*\([^)]*\)", "", name).strip(), inner


class Lexicon:
    """The catalogue's vocabulary, built once from catalogue rows (pure; no I/O).

    Rows are mappings with a career's id, name, aliases and, when present, hinglish,
    hindi_name, hindi_aliases, prominence (1-5), category and prose fields (description,
    skills, interests) whose words are treated as known English (never "corrected"); exams
    with id, name, full_name.
    """

    MAX_PHRASE = 8

    def __init__(self) -> None:
        self.phrases: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        self.keyed: dict[tuple[str, ...], list[_Entry]] = defaultdict(list)
        self.career_names: dict[str, str] = {}
        self.exam_names: dict[str, str] = {}
        self.prominence: dict[str, int] = {}
        self.phrase_words: set[str] = set()
        self.known: set[str] = set(FILLERS) | _EVERYDAY | _EXAM_CONTEXT
        self.common: set[str] = set(FILLERS) | _COMMON_ENGLISH
        self.targets_by_length: dict[int, list[str]] = defaultdict(list)
        self.key_targets: dict[str, list[str]] = defaultdict(list)
        self.keys_by_length: dict[int, list[str]] = defaultdict(list)
        self.word_counts: Counter[str] = Counter()
        self.lexicon_bigrams: set[tuple[str, str]] = set()
        self.vocab_words: set[str] = set()  # constraint words: correction targets too
        self.skeletons: dict[str, list[str]] = defaultdict(list)
        self._corrections: dict[str, tuple[str, Via] | None] = {}
        self.name_words: set[str] = set()  # words of career, exam, category and state names
        self.english: Container[str] = frozenset()  # real words: never corrected

    # -- construction --

    @classmethod
    def build(
        cls,
        careers: Iterable[Mapping[str, Any]],
        exams: Iterable[Mapping[str, Any]] = (),
        categories: Iterable[str] = (),
        states: Iterable[str] = INDIAN_STATES,
        english: Container[str] | None = None,
    ) -> Lexicon:
        """english: words never corrected (default: search.english.english_words())."""
        lex = cls()
        lex.english = english_words() if english is None else english
        careers = list(careers)
        states = tuple(states)
        for row in careers:
            lex.prominence[str(row["id"])] = int(row.get("prominence") or 3)
        for row in careers:
            lex._add_career(row)
        for row in exams:
            lex._add_exam(row)
        for name in categories:
            lex._add_category(name)
        for name in states:
            lex._add(name, _Entry("state", name, hard=False, consumes=True))
        for variant, name in STATE_VARIANTS.items():
            if name in states:
                lex._add(
                    variant,
                    _Entry("state", name, hard=False, consumes=True, needs_caps=len(variant) <= 2),
                )
        lex._add_constraint_phrases()
        for row in careers:
            lex._learn_prose(row)
        lex._finish()
        return lex

    def _add(self, phrase: str, entry: _Entry) -> None:
        words = tuple(_words(phrase))
        if not words or len(words) > self.MAX_PHRASE:
            return
        bucket = self.phrases[words]
        for i, existing in enumerate(bucket):
            if existing.kind == entry.kind and existing.value == entry.value:
                # the same meaning twice: keep the stronger source (name over alias)
                if _VIA_RANK[entry.via] < _VIA_RANK[existing.via]:
                    bucket[i] = entry
                return
        bucket.append(entry)

    def _add_career(self, row: Mapping[str, Any]) -> None:
        cid = str(row["id"])
        name = str(row["name"])
        self.career_names[cid] = name
        base, inner = _strip_parentheses(name)
        self._add_career_phrase(name, cid, "exact")
        self._add_career_phrase(base, cid, "exact")
        for part in inner:
            if len(part.split()) >= 2 or _is_acronym(part):
                self._add_career_phrase(part, cid, "alias")
        for alias in row.get("aliases") or ():
            self._add_career_phrase(str(alias), cid, "alias")
        for spelling in row.get("hinglish") or ():
            self._add_career_phrase(str(spelling), cid, "hinglish")
        hindi = [row.get("hindi_name"), *(row.get("hindi_aliases") or ())]
        for text in hindi:
            if text:
                self._add_career_phrase(str(text), cid, "hindi")
                # the Latin reading of a Hindi name, so a differently spelt Devanagari query
                # (or a romanised one) still meets it
                self._add_career_phrase(transliterate(str(text)), cid, "hindi")
        self.lexicon_bigrams.update(_bigrams(_words(name)))
        for alias in row.get("aliases") or ():
            self.lexicon_bigrams.update(_bigrams(_words(str(alias))))

    def _add_career_phrase(self, phrase: str, cid: str, via: Via) -> None:
        words = _words(phrase)
        if not words:
            return
        acronym = len(words) == 1 and _is_acronym(phrase) and len(words[0]) <= 4
        self._add(phrase, _Entry("career", cid, False, False, via, needs_caps=acronym))

    def _add_exam(self, row: Mapping[str, Any]) -> None:
        eid = str(row["id"])
        name = str(row["name"])
        self.exam_names[eid] = name
        forms = {name, eid.replace("-", " "), str(row.get("full_name") or "")}
        base, inner = _strip_parentheses(name)
        forms.add(base)
        forms.update(p for p in inner if len(p) >= 3)
        for form in list(forms):
            words = _words(form)
            # students leave off "UG", "Exam", "Entrance", "Test": NEET-UG is "neet"
            while len(words) > 1 and words[-1] in {"ug", "exam", "exams", "entrance", "test"}:
                words = words[:-1]
                forms.add(" ".join(words))
            if words and words[-1] == "main":
                forms.add(" ".join([*words[:-1], "mains"]))
        for form, target in _EXAM_ALIASES.items():
            if target == eid:
                forms.add(form)
        for form in forms:
            words = _words(form)
            if not words:
                continue
            word_exam = len(words) == 1 and (words[0] in _COMMON_ENGLISH)
            acronym = len(words) == 1 and len(words[0]) <= 3
            self._add(
                form,
                _Entry("exam", eid, False, False, "exact", needs_caps=acronym, exam_word=word_exam),
            )

    def _add_category(self, name: str) -> None:
        entry = _Entry("category", name, hard=False, consumes=False)
        self._add(name, entry)
        self._add(name.replace("&", " "), entry)
        self.lexicon_bigrams.update(_bigrams(_words(name)))
        for short, target in _CATEGORY_WORDS.items():
            if target == name:
                self._add(short, entry)

    def _add_constraint_phrases(self) -> None:
        for phrases, entry in _constraint_phrases():
            for phrase in phrases:
                self._add(phrase, entry)
        for phrase in _BLOCKERS:
            self._add(phrase, _Entry("block", None, False, False))
            self.lexicon_bigrams.update(_bigrams(_words(phrase)))
        for word in SUBJECT_WORDS:
            self.lexicon_bigrams.update(_bigrams(_words(word)))
        self.vocab_words.update(_constraint_vocabulary())
        self.known.update(self.vocab_words)

    def _learn_prose(self, row: Mapping[str, Any]) -> None:
        """Words the catalogue uses in running text are real words: never corrected away,
        and (in lowercase) common enough that a short acronym spelling them needs capitals."""
        for key in ("description", "skills", "interests", "degree", "work_environment"):
            value = row.get(key)
            if not value:
                continue
            texts = value if isinstance(value, list | tuple) else [value]
            for text in texts:
                for word in re.findall(r"[A-Za-z]+", str(text)):
                    self.known.add(word.lower())
                    if word.islower():
                        self.common.add(word)

    def _finish(self) -> None:
        for words, entries in self.phrases.items():
            for w in words:
                self.word_counts[w] += len(entries)
            self.phrase_words.update(words)
            if any(e.kind in ("career", "exam", "category", "state") for e in entries):
                self.name_words.update(words)
        self.known.update(self.phrase_words)
        for word in self.phrase_words | self.vocab_words:
            if len(word) < 4 or not word.isalpha() or has_devanagari(word):
                continue
            self.targets_by_length[len(word)].append(word)
            key = phonetic_key(word)
            skeleton = _skeleton(key)
            if len(skeleton) >= 4:
                self.skeletons[skeleton].append(word)
            if len(key) >= 3:
                if key not in self.key_targets:
                    self.keys_by_length[len(key)].append(key)
                self.key_targets[key].append(word)
        for table in (self.key_targets, self.skeletons):
            for spellings in table.values():
                spellings.sort(key=lambda w: (-self.word_counts[w], w))
        for phrase, entries in list(self.phrases.items()):
            keyed = tuple(phonetic_key(w) or w for w in phrase)
            if any(len(k) < 3 for k in keyed):
                continue
            for entry in entries:
                if entry.kind in ("career", "exam", "state"):
                    self.keyed[keyed].append(replace(entry, via="phonetic"))
        for entries in self.phrases.values():
            entries.sort(key=self._entry_order)

    def _entry_order(self, entry: _Entry) -> tuple[int, int]:
        prominence = self.prominence.get(str(entry.value), 3) if entry.kind == "career" else 3
        return (_VIA_RANK[entry.via], -prominence)

    # -- spelling --

    def correct(self, word: str) -> tuple[str, Via] | None:
        """The catalogue word a misspelt, plural or loosely spelt word stands for, or None."""
        if word in self._corrections:
            return self._corrections[word]
        found = self._correct(word)
        if len(self._corrections) < 50_000:  # the lexicon never changes: remember answers
            self._corrections[word] = found
        return found

    def _correct(self, word: str) -> tuple[str, Via] | None:
        if word in self.phrase_words or len(word) < 4 or not word.isalpha():
            return None
        for singular in _singulars(word):
            if singular in self.phrase_words:
                return singular, "exact"
        if word in self.known or word in self.english:
            return None
        for form in (word, *_singulars(word)):
            found = self._correct_form(form)
            if found is not None:
                return found
        return None

    def _correct_form(self, word: str) -> tuple[str, Via] | None:
        key = phonetic_key(word)
        if key in self.key_targets:
            return self.key_targets[key][0], "phonetic"
        best = self._nearest(word, self.targets_by_length, _edits_allowed(word))
        if best is not None:
            return best, "fuzzy"
        if len(key) >= 4:
            near_key = self._nearest(key, self.keys_by_length, _edits_allowed(key))
            if near_key is not None:
                return self.key_targets[near_key][0], "phonetic"
        # Last resort for Hinglish vowels: the same consonants in the same order with the
        # same first letter (daktar ~ doctor, vakeel ~ wakil); only for words of 5+ letters.
        skeleton = _skeleton(key)
        if len(word) >= 5 and len(skeleton) >= 4:
            for choice in self.skeletons.get(skeleton, ()):
                if choice[0] == word[0] or phonetic_key(choice)[0] == key[0]:
                    return choice, "phonetic"
        return None

    def _nearest(self, word: str, by_length: Mapping[int, list[str]], limit: int) -> str | None:
        ranked = self._ranked(word, by_length, limit)
        return ranked[0][3] if ranked else None

    def _ranked(
        self, word: str, by_length: Mapping[int, list[str]], limit: int
    ) -> list[tuple[int, int, int, str]]:
        found: list[tuple[int, int, int, str]] = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            choices = by_length.get(length)
            if not choices:
                continue
            for choice, d, _ in process.extract(
                word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None
            ):
                # closest first; then a matching first letter (typos rarely start a word);
                # then the word the catalogue uses most
                found.append(
                    (int(d), 0 if choice[0] == word[0] else 1, -self.word_counts[choice], choice)
                )
        return sorted(found)

    def equally_near(self, word: str, chosen: str) -> tuple[str, ...]:
        """The other catalogue words as few edits from `word` as `chosen` (a fuzzy
        correction of it), for a neighbouring word to choose between."""
        ranked = self._ranked(word, self.targets_by_length, _edits_allowed(word))
        best = next((d for d, _, _, choice in ranked if choice == chosen), None)
        return tuple(c for d, _, _, c in ranked if d == best and c != chosen)


def _edits_allowed(word: str) -> int:
    """Edits a correction may make: one under 8 letters (shorter than 4 is never corrected),
    two from 8."""
    return 1 if len(word) < 8 else 2


_VIA_RANK: Mapping[str, int] = {
    "exact": 0,
    "rule": 0,
    "alias": 1,
    "hinglish": 2,
    "hindi": 2,
    "phonetic": 3,
    "fuzzy": 4,
}
_EXAM_ALIASES: Mapping[str, str] = {
    "jee": "jee-main",
    "iit jee": "jee-advanced",
    "jee adv": "jee-advanced",
    "jee advance": "jee-advanced",
    "upsc": "upsc-cse",
    "civil services exam": "upsc-cse",
    "ias exam": "upsc-cse",
    "nift": "nift-entrance",
    "nid": "nid-dat",
    "ssb": "ssb-interview",
    "neet ug": "neet-ug",
    "bank po exam": "ibps-po",
}
# Short words students use for a whole category.
_CATEGORY_WORDS: Mapping[str, str] = {
    "medical": "Medicine",
    "medical field": "Medicine",
    "engineering": "Engineering",
    "engineering field": "Engineering",
    "law": "Law",
    "legal": "Law",
    "design": "Design",
    "designing": "Design",
    "defense": "Defence",
    "armed forces": "Defence",
    "tech": "Technology",
    "it sector": "Technology",
    "it field": "Technology",
    "media": "Media & Journalism",
    "banking": "Government & Banking Jobs",
    "finance": "Commerce & Finance",
    "hospitality": "Hospitality & Culinary",
    "hotel industry": "Hospitality & Culinary",
    "paramedical": "Allied Health",
    "allied health sciences": "Allied Health",
    "research": "Science & Research",
    "performing arts": "Arts & Performing Arts",
    "farming": "Agriculture & Veterinary",
    "trades": "Skilled Trades",
    "iti": "Skilled Trades",
    "teaching": "Education",
}
# Phrases that hold a stream or constraint word but mean neither.
_BLOCKERS = (
    "e commerce",
    "ecommerce",
    "martial arts",
    "visual arts",
    "applied arts",
    "remote area",
    "remote areas",
    "remote village",
    "remote villages",
    "remote location",
    "remote locations",
    "remote control",
)


def _skeleton(key: str) -> str:
    """A phonetic key without its vowels after the first letter: daktar, doktor → dktr."""
    return key[:1] + re.sub(r"[aeiouy]", "", key[1:]) if key else ""


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    return set(itertools.pairwise(words))


def _singulars(word: str) -> list[str]:
    out = []
    if word.endswith("ies") and len(word) > 4:
        out.append(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        out.append(word[:-2])
    if word.endswith("s") and len(word) > 3:
        out.append(word[:-1])
    return out


# ---- constraint vocabulary ------------------------------------------------------------

_LOW = ("Low",)
_LOW_MEDIUM = ("Low", "Medium")
_GOOD_WLB = ("Good", "Excellent")
_REMOTE_ANY = ("Partial", "Full")


def _constraint_phrases() -> list[tuple[tuple[str, ...], _Entry]]:
    def hard(kind: Kind, value: Any) -> _Entry:
        return _Entry(kind, value, hard=True, consumes=True, via="rule")

    def soft(kind: Kind, value: Any, consumes: bool) -> _Entry:
        return _Entry(kind, value, hard=False, consumes=consumes, via="rule")

    job = ("", " job", " jobs", " career", " careers", " work", " naukri", " kaam", " life")
    stress_free = [
        f"{w}{j}"
        for w in (
            "low stress", "stress free", "stressfree", "no stress", "without stress",
            "zero stress", "tension free", "no tension", "not stressful", "non stressful",
            "relaxed", "relaxing", "calm", "peaceful", "chill", "low pressure", "no pressure",
            "pressure free", "bina tension", "bina stress", "stress nahi", "tension nahi",
            "easy going", "stress free", "less hectic", "not hectic",
        )
        for j in job
    ]  # fmt: skip
    stress_less = [
        f"{w}{j}"
        for w in (
            "less stress", "less stressful", "less pressure", "moderate stress", "kam stress",
            "kam tension", "not too stressful", "not much stress", "manageable stress",
            "medium stress", "low to medium stress", "low to moderate stress", "kam pressure",
            "without much stress", "without too much stress", "not too much stress",
            "without a lot of stress", "not a lot of stress", "not much pressure",
            "without much pressure", "without too much pressure", "not too much pressure",
            "zyada stress nahi", "jyada stress nahi", "zyada tension nahi", "jyada tension nahi",
        )
        for j in job
    ]  # fmt: skip
    wlb_good = [
        f"{q}{w}"
        for q in ("", "good ", "great ", "healthy ", "better ", "proper ", "achha ", "acha ")
        for w in ("work life balance", "worklife balance", "wlb", "work life")
    ] + [
        "balanced life", "family time", "time for family", "free time", "fixed hours",
        "fixed timings", "fixed timing", "regular hours", "9 to 5", "nine to five", "9 5",
        "weekends off", "no night shifts", "no night shift", "no overtime", "personal life",
        "time for hobbies",
    ]  # fmt: skip
    wlb_best = [
        f"{q}{w}"
        for q in ("excellent ", "best ", "perfect ")
        for w in ("work life balance", "worklife balance", "wlb")
    ]
    remote_any = [
        "work from home", "working from home", "wfh", "remote", "remotely", "remote work",
        "remote job", "remote jobs", "from home", "home based", "online job", "online jobs",
        "online work", "ghar se kaam", "ghar baithe", "ghar baithe kaam", "ghar se", "hybrid",
        "work remotely", "laptop job",
    ]  # fmt: skip
    remote_full = [
        "fully remote", "full remote", "100 % remote", "completely remote", "permanent wfh",
        "full time remote", "remote only", "100 % work from home", "full wfh",
    ]  # fmt: skip
    travel_none = [
        "no travel", "no travelling", "no traveling", "without travel", "without travelling",
        "without traveling", "dont want to travel", "do not want to travel", "not travel",
        "no touring", "one place", "one city", "same city", "no transfers", "no transfer",
        "hate travelling", "hate traveling", "travel nahi",
    ]  # fmt: skip
    travel_less = [
        "less travel", "less travelling", "less traveling", "minimal travel", "little travel",
        "not much travel", "limited travel", "kam travel", "occasional travel",
    ]  # fmt: skip
    travel_more = [
        "travel a lot", "lots of travel", "lot of travel", "frequent travel",
        "travel frequently", "travelling job", "traveling job", "travel job", "travel jobs",
        "love travelling", "love traveling", "love to travel", "like travelling",
        "like traveling", "like to travel", "want to travel", "travel the world",
        "ghumna", "ghumne", "ghoomna", "ghumne wali", "ghoomne wali", "explore places",
        "touring job", "field job",
    ]  # fmt: skip
    government = [
        f"{w}{j}"
        for w in (
            "government", "govt", "gov", "sarkari", "sarkaari", "public sector",
            "central government", "state government", "central govt", "state govt",
        )
        for j in ("", " job", " jobs", " naukri", " sector", " service", " services")
    ]  # fmt: skip
    psu = [
        "psu",
        "psus",
        "psu job",
        "psu jobs",
        "public sector undertaking",
        "public sector company",
    ]
    private = [
        f"{w}{j}"
        for w in ("private", "pvt", "private sector", "mnc", "mncs", "corporate", "private company")
        for j in ("", " job", " jobs", " naukri", " sector")
    ]  # fmt: skip
    high_pay = [
        "high salary", "high salaries", "high paying", "highest paying", "highest salary",
        "well paid", "well paying", "good salary", "good package", "high package",
        "best salary", "best paying", "top paying", "big salary", "more money", "high income",
        "lucrative", "highly paid", "achhi salary", "acchi salary", "achi salary",
        "zyada salary", "jyada salary", "zyada paisa", "jyada paisa", "mota paisa",
        "good pay", "high pay", "better salary", "more salary", "salary high", "paisa wali",
        "lots of money", "earn a lot", "earn more", "zyada kamai", "achhi kamai",
        "high earning", "good money",
    ]  # fmt: skip
    return [
        (tuple(stress_free), hard("stress_level", _LOW)),
        (tuple(stress_less), hard("stress_level", _LOW_MEDIUM)),
        (("high stress", "high pressure", "high stress job"), hard("stress_level", ("High",))),
        (tuple(wlb_good), hard("work_life_balance", _GOOD_WLB)),
        (tuple(wlb_best), hard("work_life_balance", ("Excellent",))),
        (tuple(remote_any), hard("remote_work", _REMOTE_ANY)),
        (tuple(remote_full), hard("remote_work", ("Full",))),
        (tuple(travel_none), hard("travel_required", ("Rare",))),
        (tuple(travel_less), hard("travel_required", ("Rare", "Occasional"))),
        (tuple(travel_more), soft("travel_required", ("Frequent",), consumes=False)),
        (tuple(government), soft("sector", "government", consumes=False)),
        (tuple(psu), soft("sector", "psu", consumes=False)),
        (tuple(private), soft("sector", "private", consumes=False)),
        (tuple(high_pay), soft("salary_preference", "high", consumes=True)),
    ]


# Streams. M and B stand for every way of writing maths and biology.
_MATHS = ("maths", "math", "mathematics", "ganit")
_BIO = ("bio", "biology")
_JOIN = ("with", "and", "+", "plus", "aur", "n")


def _stream_phrases() -> dict[tuple[str, ...], str]:
    table: dict[tuple[str, ...], str] = {}

    def put(value: str, *parts: Iterable[str]) -> None:
        combos: list[tuple[str, ...]] = [()]
        for part in parts:
            combos = [(*c, p) for c in combos for p in part]
        for combo in combos:
            table[combo] = value

    put("PCMB", ("pcmb", "pcbm", "pcmb stream"))
    table[("pcmb", "stream")] = "PCMB"
    put("PCMB", ("pcm",), _JOIN, _BIO)
    put("PCMB", ("pcb",), _JOIN, _MATHS)
    put("PCMB", _MATHS, _JOIN, _BIO)
    put("PCMB", _BIO, _JOIN, _MATHS)
    put("PCMB", ("science", "sci"), _JOIN, _MATHS, _JOIN, _BIO)
    put("PCMB", ("science", "sci"), _JOIN, _BIO, _JOIN, _MATHS)
    put("PCMB", ("both",), _MATHS, _JOIN, _BIO)
    put("PCM", ("pcm",))
    put("PCM", ("pcm",), ("stream", "group"))
    put("PCM", ("non",), ("medical",))
    put("PCM", ("nonmedical",))
    put("PCM", ("science", "sci"), _JOIN, _MATHS)
    put("PCM", ("maths",), ("science", "stream", "group"))
    put("PCB", ("pcb",))
    put("PCB", ("pcb",), ("stream", "group"))
    put("PCB", ("medical",), ("stream", "group", "side", "students", "student"))
    put("PCB", ("science", "sci"), _JOIN, _BIO)
    put("PCB", _BIO, ("stream", "group", "science"))
    put("Commerce", ("commerce", "vanijya"))
    put("Commerce", ("commerce",), ("stream", "student", "students", "background", "side"))
    put("Humanities", ("humanities", "humanity", "arts", "liberal arts"))
    put("Humanities", ("humanities", "arts", "art"), ("stream", "student", "students", "side"))
    put("Humanities", ("liberal",), ("arts",))
    put("Humanities", ("kala",), ("stream", "varg"))
    put(SCIENCE, ("science", "vigyan"), ("stream", "student", "students", "background", "side"))
    return table


_STREAMS = _stream_phrases()
_STREAM_MAX = max(len(k) for k in _STREAMS)
# "science" alone is a stream only after a grade or "after": "12th science", "after science".
_SCIENCE_WORDS = ("science", "vigyan")

_NEG_BEFORE: tuple[tuple[str, ...], ...] = (
    ("without",), ("no",), ("not",), ("non",), ("avoid",), ("avoiding",), ("except",),
    ("excluding",), ("bina",), ("hate",), ("hates",), ("dislike",), ("dont", "like"),
    ("do", "not", "like"), ("not", "good", "at"), ("not", "good", "in"), ("bad", "at"),
    ("bad", "in"), ("weak", "in"), ("weak", "at"), ("poor", "in"), ("poor", "at"),
    ("scared", "of"), ("afraid", "of"), ("no", "need", "of"), ("no", "need", "for"),
    ("free", "from"), ("other", "than"), ("minus",), ("dont", "want"), ("do", "not", "want"),
    ("dont", "want", "to", "study"), ("nothing", "with"), ("not", "interested", "in"),
)  # fmt: skip
_NEG_AFTER: tuple[tuple[str, ...], ...] = (
    ("nahi",), ("nahin",), ("nhi",), ("nai",), ("ke", "bina"), ("ka", "bina"), ("bina",),
    ("se", "dar"), ("not", "required"), ("not", "needed"), ("free",), ("nahi", "chahiye"),
    ("nahi", "padhna"), ("pasand", "nahi"), ("nahi", "aata"), ("nahi", "aati"), ("weak",),
    ("kamzor",), ("mein", "weak"), ("me", "weak"), ("se", "nafrat"),
)  # fmt: skip
_REQ_BEFORE: tuple[tuple[str, ...], ...] = (
    ("with",), ("using",), ("involving",), ("including",), ("requiring",), ("needs",),
    ("based", "on"), ("related", "to"), ("need",),
)  # fmt: skip
_REQ_AFTER: tuple[tuple[str, ...], ...] = (
    ("based",), ("related",), ("oriented",), ("wala",), ("wali",), ("wale",), ("heavy",),
)  # fmt: skip
# "maths related careers", "with biology": the subject is a bonus on the careers that list it
# (planning.SOFT_BONUS); True leaves its words out of the text as well, so the legs do not
# rank careers by how often their text says "biology" (Marine Biologist before Agricultural
# Scientist). Chosen on the tune half.
REQUIRED_SUBJECT_CONSUMES = True
_LIST_JOIN = frozenset({"and", "or", "aur", "ya", "nor", "+", "n"})
_AFTER_NEG_FILLER = frozenset({"any", "the", "studying", "taking", "doing", "much", "more"})

# ---- salary and grade ----------------------------------------------------------------

_LAKH = {"lpa", "lakh", "lakhs", "lac", "lacs", "l", "lk", "lkh"}
_CRORE = {"cr", "crore", "crores", "cpa", "karod", "karor"}
_THOUSAND = {"k", "thousand", "thousands", "hazar", "hazaar", "hajar"}
_YEARLY = (
    ("per", "annum"), ("pa",), ("a", "year"), ("per", "year"), ("yearly",), ("annually",),
    ("annual",), ("per", "anum"), ("saal",), ("sal",), ("yr",), ("per", "yr"), ("an", "year"),
    ("lpa",),
)  # fmt: skip
_MONTHLY = (
    ("per", "month"), ("pm",), ("a", "month"), ("monthly",), ("month",), ("mahina",),
    ("mahine",), ("har", "mahine"), ("per", "mahina"), ("p", "m"), ("mo",),
)  # fmt: skip
_MIN_BEFORE = (
    ("above",), ("over",), ("more", "than"), ("at", "least"), ("atleast",), ("minimum",),
    ("min",), ("greater", "than"), ("starting", "from"), ("from",), (">",), ("min", "of"),
    ("not", "less", "than"), ("upwards", "of"), ("at", "minimum"), ("beyond",),
)  # fmt: skip
_MAX_BEFORE = (
    ("below",), ("under",), ("less", "than"), ("upto",), ("up", "to"), ("max",),
    ("maximum",), ("at", "most"), ("within",), ("<",), ("not", "more", "than"), ("till",),
)  # fmt: skip
_MIN_AFTER = (
    ("+",), ("or", "more"), ("and", "above"), ("se", "zyada"), ("se", "jyada"),
    ("se", "upar"), ("se", "adhik"), ("or", "above"), ("plus",), ("and", "more"),
    ("ya", "zyada"), ("ya", "usse", "zyada"), ("se", "jada"),
)  # fmt: skip
_MAX_AFTER = (
    ("or", "less"), ("and", "below"), ("se", "kam"), ("tak",), ("or", "below"), ("max",),
)  # fmt: skip
_SALARY_WORDS = frozenset(
    "salary salaries package packages ctc pay income earning earnings stipend tankhwah vetan "
    "kamai lpa".split()
)
_ENTRY_WORDS = frozenset("starting start initial entry fresher freshers beginning".split())
_SALARY_FILLER = frozenset({"of", "a", "rs", "inr", "₹", "rupees", "rupaye", "rupay", "with", "ka"})

_ORDINAL = frozenset({"th", "st", "nd", "rd", "vi", "vin", "vee", "veen", "wi", "win"})
_GRADE_BEFORE = frozenset({"class", "std", "standard", "grade", "kaksha", "cls"})
_GRADE_AFTER = frozenset({"class", "standard", "std", "pass", "passed", "grade", "board"})
_ROMAN = {"x": 10, "xi": 11, "xii": 12}
_GRADE_WORDS = {
    "barahvi": 12, "barahvin": 12, "barvi": 12, "baarvi": 12, "barhvi": 12, "gyarahvi": 11,
    "gyarahvin": 11, "gyarvi": 11, "dasvi": 10, "dasvin": 10, "inter": 12, "intermediate": 12,
}  # fmt: skip
_AFTER = (("after",), ("ke", "baad"), ("baad",), ("completing",), ("passing",), ("post",))


# ---- the reader ------------------------------------------------------------------------


def _tokens(text: str, lexicon: Lexicon) -> tuple[list[_Token], list[Correction]]:
    tokens: list[_Token] = []
    corrections: list[Correction] = []
    for m in _TOKEN.finditer(text):
        surface = m.group()
        dev: str | None = None
        if has_devanagari(surface):
            dev = normalise_devanagari(surface)
            raw = transliterate(dev)
            # a Devanagari word with digits (१२वीं): split them off like Latin text
            parts = re.findall(r"\d+|[a-z]+", raw)
            if len(parts) > 1:
                offset = m.start()
                for part in parts:
                    tokens.append(
                        _Token(surface, part, part, offset, m.end(), None, False, _number(part))
                    )
                continue
        else:
            raw = _latin_form(surface)
        number = _number(raw)
        upper = dev is None and _is_acronym(surface)
        fixed = raw
        if number is None and not upper:
            found = lexicon.correct(raw)
            if found is not None:
                fixed = found[0]
                span = Span(m.start(), m.end(), surface)
                corrections.append(Correction(span, raw, fixed, found[1]))
        tokens.append(_Token(surface, fixed, raw, m.start(), m.end(), dev, upper, number))
    return _in_context(tokens, corrections, lexicon)


def _in_context(
    tokens: list[_Token], corrections: list[Correction], lexicon: Lexicon
) -> tuple[list[_Token], list[Correction]]:
    """Between corrections equally near the typed word, take the one that makes a catalogue
    name with a neighbour: "mechanicle engineer" is "mechanical engineer", not "mechanic
    engineer" (both two edits away)."""
    for n, c in enumerate(corrections):
        if c.via != "fuzzy":
            continue
        i = next(i for i, t in enumerate(tokens) if t.start == c.span.start)
        prev = tokens[i - 1].text if i > 0 else None
        nxt = tokens[i + 1].text if i + 1 < len(tokens) else None
        bigrams = lexicon.lexicon_bigrams
        if (prev, c.corrected) in bigrams or (c.corrected, nxt) in bigrams:
            continue
        near = lexicon.equally_near(c.original, c.corrected)
        better = next((w for w in near if (prev, w) in bigrams or (w, nxt) in bigrams), None)
        if better is not None:
            tokens[i] = replace(tokens[i], text=better)
            corrections[n] = replace(c, corrected=better)
    return tokens, corrections


def _number(text: str) -> float | None:
    if not text or not text[0].isdigit():
        return None
    try:
        return float(text)
    except ValueError:
        return None


class _Reader:
    """One pass over one query's tokens. `taken[i]` marks tokens a constraint already owns."""

    def __init__(self, query: str, tokens: list[_Token], lexicon: Lexicon) -> None:
        self.query = query
        self.tokens = tokens
        self.lexicon = lexicon
        self.taken = [False] * len(tokens)
        self.found: list[tuple[int, Constraint]] = []  # (first token index, constraint)
        self.words = [t.text for t in tokens]

    # -- helpers --

    def span(self, i: int, j: int) -> Span:
        start, end = self.tokens[i].start, self.tokens[j - 1].end
        return Span(start, end, self.query[start:end])

    def free(self, i: int, j: int) -> bool:
        return 0 <= i <= j <= len(self.tokens) and not any(self.taken[i:j])

    def seq(self, i: int, options: Iterable[tuple[str, ...]]) -> int:
        """Length of the longest option matching free tokens at i (0 if none)."""
        best = 0
        for option in options:
            n = len(option)
            if n > best and tuple(self.words[i : i + n]) == option and self.free(i, i + n):
                best = n
        return best

    def seq_before(self, j: int, options: Iterable[tuple[str, ...]]) -> int:
        """Length of the longest option ending just before token j."""
        best = 0
        for option in options:
            n = len(option)
            if n > best and j - n >= 0 and tuple(self.words[j - n : j]) == option:
                if self.free(j - n, j):
                    best = n
        return best

    def add(
        self,
        i: int,
        j: int,
        kind: Kind,
        value: Any,
        *,
        hard: bool,
        consumes: bool,
        key: str | None = None,
        via: Via = "rule",
        candidates: tuple[str, ...] = (),
        mark: bool = True,
    ) -> None:
        if key is None:
            key = kind if kind not in _MULTI else f"{kind}:{value}"
        constraint = Constraint(kind, value, self.span(i, j), hard, key, consumes, via, candidates)
        self.found.append((i, constraint))
        if mark:
            for k in range(i, j):
                self.taken[k] = True

    # -- steps --

    def salary(self) -> None:
        i = 0
        while i < len(self.tokens):
            if self.taken[i] or self.tokens[i].number is None:
                i += 1
                continue
            i = self._salary_at(i)

    def _amount(self, i: int) -> tuple[float, str | None, int] | None:
        """(number, unit, tokens used) for an amount starting at i: 10 lpa, 1.2 crore, 50k."""
        number = self.tokens[i].number
        if number is None:
            return None
        unit: str | None = None
        n = 1
        # "15+ lpa": the plus belongs to the amount (at least 15 lakh)
        gap = 1 if self.words[i + 1 : i + 2] == ["+"] else 0
        k = i + 1 + gap
        if k < len(self.tokens) and self.free(i + 1, k + 1):
            nxt = self.words[k]
            if nxt in _LAKH or nxt in _CRORE or nxt in _THOUSAND:
                unit = nxt
                n = 2 + gap
        return number, unit, n

    def _salary_at(self, i: int) -> int:
        first = self._amount(i)
        assert first is not None
        value, unit, n = first
        j = i + n
        second: tuple[float, str | None, int] | None = None
        # a range: 5-10 lakh, 5 to 10 lpa, between 5 and 10 lakh
        if j < len(self.tokens) and self.words[j] in ("to", "and", "se", "-"):
            if j + 1 < len(self.tokens) and self.tokens[j + 1].number is not None:
                second = self._amount(j + 1)
                if second is not None:
                    j = j + 1 + second[2]
        elif j < len(self.tokens) and self.tokens[j].number is not None and unit is None:
            # "5 10 lakh" is "5-10 lakh" with the dash lost in tokenising
            second = self._amount(j)
            if second is not None and second[1] is not None:
                j = j + second[2]
            else:
                second = None
        unit = unit or (second[1] if second else None)
        start = i
        start -= self.seq_before(start, [("rs",), ("inr",), ("₹",), ("rupees",)])
        between = self.seq_before(start, [("between",)])
        start -= between
        lo_before = self.seq_before(start, _MIN_BEFORE)
        hi_before = 0 if lo_before else self.seq_before(start, _MAX_BEFORE)
        start -= lo_before or hi_before
        end = j
        period: str | None = None
        for options, name in ((_YEARLY, "year"), (_MONTHLY, "month")):
            k = self.seq(end, options)
            if k:
                period = name
                end += k
                break
        lo_after = self.seq(end, _MIN_AFTER)
        hi_after = 0 if lo_after else self.seq(end, _MAX_AFTER)
        end += lo_after or hi_after
        if unit is None and period is None:
            k = self.seq(end, [("per", "annum"), ("per", "month")])
            end += k
        context = self._salary_context(start, end)
        currency = self.seq_before(i, [("rs",), ("inr",), ("₹",), ("rupees",)]) > 0
        if unit is None and not (context or currency or period):
            return i + 1
        if unit is None and value < 1000 and unit != "lpa":
            return i + 1  # a bare small number is not pay ("12", "class 10")
        yearly = self._to_yearly(value, unit, period)
        high = self._to_yearly(second[0], unit, period) if second else None
        # the words around the amount that belong to it: "salary", "package", "of"
        start = self._extend_left(start)
        end = self._extend_right(end)
        basis_entry = any(w in _ENTRY_WORDS for w in self.words[max(0, start - 2) : end])
        kind_min: Kind = "salary_min"
        if high is not None:
            self.add(start, end, kind_min, yearly, hard=True, consumes=True, mark=False)
            self.add(start, end, "salary_max", high, hard=True, consumes=True)
        elif hi_before or hi_after:
            self.add(start, end, "salary_max", yearly, hard=True, consumes=True)
        else:
            self.add(start, end, kind_min, yearly, hard=True, consumes=True)
        if basis_entry:
            for k in range(max(0, start - 2), start):
                if self.words[k] in _ENTRY_WORDS:
                    self.taken[k] = True
        return end

    def _salary_context(self, start: int, end: int) -> bool:
        window = self.words[max(0, start - 3) : min(len(self.words), end + 3)]
        return any(w in _SALARY_WORDS for w in window)

    def _extend_left(self, start: int) -> int:
        while start > 0 and not self.taken[start - 1]:
            w = self.words[start - 1]
            if w in _SALARY_WORDS or w in _ENTRY_WORDS or w in ("of", "a", "with", "ka", "rs"):
                start -= 1
            else:
                break
        return start

    def _extend_right(self, end: int) -> int:
        while end < len(self.words) and not self.taken[end]:
            w = self.words[end]
            if w in _SALARY_WORDS or w in ("wali", "wala", "ki", "ka"):
                end += 1
            else:
                break
        return end

    @staticmethod
    def _to_yearly(value: float, unit: str | None, period: str | None) -> int:
        if unit in _CRORE:
            amount = value * 10_000_000
        elif unit in _LAKH:
            amount = value * 100_000
        elif unit in _THOUSAND:
            amount = value * 1_000
        else:
            amount = value
        monthly = period == "month" or (
            period is None and unit not in _LAKH and unit not in _CRORE and amount < 200_000
        )
        # Thousands without a period ("50k salary") are a monthly figure in Indian usage; lakhs
        # and crores without one are yearly.
        return round(amount * 12 if monthly else amount)

    def grade(self) -> None:
        for i in range(len(self.tokens)):
            if self.taken[i]:
                continue
            found = self._grade_at(i)
            if found is None:
                continue
            start, end, grade = found
            start -= self.seq_before(start, _GRADE_BEFORE_SEQ)
            after = self.seq_before(start, _AFTER)
            start -= after
            if not after:
                k = self.seq(end, (("ke", "baad"), ("baad",), ("ke", "bad"), ("bad",)))
                end += k
            end += self.seq(end, tuple((w,) for w in _GRADE_AFTER))
            self.add(start, end, "grade", grade, hard=False, consumes=True)

    def _grade_at(self, i: int) -> tuple[int, int, int] | None:
        token = self.tokens[i]
        w = self.words[i]
        nxt = self.words[i + 1] if i + 1 < len(self.words) else ""
        prev = self.words[i - 1] if i > 0 else ""
        if token.number is not None and token.number in (10.0, 11.0, 12.0):
            grade = int(token.number)
            if nxt in _ORDINAL and self.free(i + 1, i + 2):
                return i, i + 2, grade
            if prev in _GRADE_BEFORE or nxt in _GRADE_AFTER:
                return i, i + 1, grade
            # 10+2 is class 12
            if grade == 10 and nxt == "+" and self.words[i + 2 : i + 3] == ["2"]:
                return i, i + 3, 12
            return None
        if w == "+" and nxt == "2" and prev not in ("10",):
            return i, i + 2, 12
        if w == "plus" and nxt in ("two", "2"):
            return i, i + 2, 12
        if w in _ROMAN and (prev in _GRADE_BEFORE or token.upper) and (w != "x" or prev):
            return i, i + 1, _ROMAN[w]
        if w in _GRADE_WORDS:
            return i, i + 1, _GRADE_WORDS[w]
        if w == "puc":
            # 1st PUC / 2nd PUC (Karnataka's classes 11 and 12); "2nd" is tokenised as 2, nd
            before = tuple(self.words[max(0, i - 2) : i])
            for words, grade in (((("1", "st"), ("first",)), 11), ((("2", "nd"), ("second",)), 12)):
                for form in words:
                    if before[-len(form) :] == form:
                        return i - len(form), i + 1, grade
        return None

    def streams(self) -> None:
        i = 0
        while i < len(self.tokens):
            if self.taken[i]:
                i += 1
                continue
            n = self._stream_at(i)
            i += n or 1

    def _stream_at(self, i: int) -> int:
        for n in range(min(_STREAM_MAX, len(self.words) - i), 0, -1):
            key = tuple(self.words[i : i + n])
            value = _STREAMS.get(key)
            if value is None or not self.free(i, i + n):
                continue
            if self._stream_blocked(i):
                return 0
            self.add(i, i + n, "stream", value, hard=True, consumes=True)
            return n
        w = self.words[i]
        if w in _SCIENCE_WORDS and not self._stream_blocked(i):
            prev = self.words[i - 1] if i > 0 else ""
            nxt = self.words[i + 1] if i + 1 < len(self.words) else ""
            start = self.tokens[i].start
            after_grade = any(c.kind == "grade" and c.span.end <= start for _, c in self.found)
            # "12th science", "after science", "science ke baad"; but "careers in science"
            # is a topic
            if after_grade or prev == "after" or nxt in ("ke", "se", "wale", "wala"):
                self.add(i, i + 1, "stream", SCIENCE, hard=True, consumes=True)
                return 1
        return 0

    def _stream_blocked(self, i: int) -> bool:
        """A stream word inside a longer name: fine arts, computer science, e-commerce."""
        w = self.words[i]
        if i > 0:
            prev = self.words[i - 1]
            if prev in _PREFIX_BLOCKERS:
                return True
            if (prev, w) in self.lexicon.lexicon_bigrams and prev not in (*_JOIN, "in", "after"):
                return True
        if i + 1 < len(self.words):
            nxt = self.words[i + 1]
            if (w, nxt) in self.lexicon.lexicon_bigrams and nxt not in (
                "stream", "student", "students", "with", "and",
            ):  # fmt: skip
                return w not in ("pcm", "pcb", "pcmb")
        return False

    def subjects(self) -> None:
        i = 0
        while i < len(self.tokens):
            if self.taken[i]:
                i += 1
                continue
            n = self._negation_at(i) or self._requirement_at(i)
            i += n or 1

    def _subject(self, i: int) -> tuple[tuple[str, ...], int] | None:
        for n in (2, 1):
            phrase = " ".join(self.words[i : i + n])
            if len(self.words[i : i + n]) == n and self.free(i, i + n):
                if phrase in SUBJECT_WORDS:
                    return (SUBJECT_WORDS[phrase],), n
                if phrase in SUBJECT_FAMILIES:
                    return SUBJECT_FAMILIES[phrase], n
        return None

    def _exam(self, i: int) -> tuple[str, int] | None:
        for n in range(min(4, len(self.words) - i), 0, -1):
            entries = self.lexicon.phrases.get(tuple(self.words[i : i + n]))
            if entries and self.free(i, i + n):
                for entry in entries:
                    if entry.kind == "exam":
                        return str(entry.value), n
        return None

    def _items(self, i: int) -> tuple[list[tuple[str, tuple[str, ...] | str]], int]:
        """Subjects or exams joined by and/or from i: "maths and physics", "neet or jee"."""
        items: list[tuple[str, tuple[str, ...] | str]] = []
        j = i
        while j < len(self.words):
            if self.words[j] in _AFTER_NEG_FILLER and not items:
                j += 1
                continue
            subject = self._subject(j)
            if subject is not None:
                items.append(("subject", subject[0]))
                j += subject[1]
            else:
                exam = self._exam(j)
                if exam is None:
                    break
                items.append(("exam", exam[0]))
                j += exam[1]
            if j < len(self.words) and self.words[j] in _LIST_JOIN:
                following = j + 1
                if self._subject(following) or self._exam(following):
                    j = following
                    continue
            break
        return items, j

    def _negation_at(self, i: int) -> int:
        cue = self.seq(i, _NEG_BEFORE)
        if cue:
            items, j = self._items(i + cue)
            if items:
                j += self.seq(j, (("ke",), ("ka",), ("ki",)))
                self._emit(i, j, items, negated=True)
                return j - i
        items, j = self._items(i)
        if items:
            after = self.seq(j, _NEG_AFTER)
            if after:
                self._emit(i, j + after, items, negated=True)
                return j + after - i
            before = self.seq_before(i, (("bina",),))
            if before:
                self._emit(i - before, j, items, negated=True)
                return j - i
        return 0

    def _requirement_at(self, i: int) -> int:
        cue = self.seq(i, _REQ_BEFORE)
        if cue:
            items, j = self._items(i + cue)
            subjects = [it for it in items if it[0] == "subject"]
            if subjects and len(subjects) == len(items):
                self._emit(i, j, items, negated=False)
                return j - i
        items, j = self._items(i)
        if items and all(kind == "subject" for kind, _ in items):
            after = self.seq(j, _REQ_AFTER)
            if after:
                self._emit(i, j + after, items, negated=False)
                return j + after - i
        return 0

    def _emit(
        self, i: int, j: int, items: list[tuple[str, tuple[str, ...] | str]], negated: bool
    ) -> None:
        for n, (kind, value) in enumerate(items):
            last = n == len(items) - 1
            if kind == "exam":
                assert isinstance(value, str)
                if negated:
                    self.add(i, j, "excluded_exam", value, hard=True, consumes=True, mark=last)
                else:
                    self.add(i, j, "exam", value, hard=False, consumes=False, mark=last)
                continue
            assert isinstance(value, tuple)
            for m, subject in enumerate(value):
                final = last and m == len(value) - 1
                if negated:
                    self.add(
                        i, j, "excluded_subject", subject, hard=True, consumes=True, mark=final
                    )
                else:
                    self.add(
                        i,
                        j,
                        "required_subject",
                        subject,
                        hard=False,
                        consumes=REQUIRED_SUBJECT_CONSUMES,
                        mark=final,
                    )

    def phrases(self) -> None:
        i = 0
        n_tokens = len(self.tokens)
        while i < n_tokens:
            if self.taken[i]:
                i += 1
                continue
            used = 0
            for n in range(min(Lexicon.MAX_PHRASE, n_tokens - i), 0, -1):
                if not self.free(i, i + n):
                    continue
                entries = self._lookup(i, n)
                if entries and self._emit_entries(i, i + n, entries):
                    used = n
                    break
            i += used or 1

    def _lookup(self, i: int, n: int) -> list[_Entry]:
        window = self.tokens[i : i + n]
        if all(t.dev for t in window):
            hit = self.lexicon.phrases.get(tuple(t.dev or "" for t in window))
            if hit:
                return [replace(e, via="hindi") if e.kind == "career" else e for e in hit]
        key = tuple(self.words[i : i + n])
        hit = self.lexicon.phrases.get(key)
        corrected = any(t.text != t.raw for t in window)
        if hit:
            if corrected:
                return [replace(e, via="fuzzy") if e.kind == "career" else e for e in hit]
            return hit
        # plurals the catalogue also uses as plain words elsewhere ("teachers")
        singular = tuple(self._singular(w) for w in key)
        if singular != key and (hit := self.lexicon.phrases.get(singular)):
            return hit
        keyed = self.lexicon.keyed.get(tuple(phonetic_key(w) or w for w in key))
        return keyed or []

    def _singular(self, word: str) -> str:
        for form in _singulars(word):
            if form in self.lexicon.phrase_words:
                return form
        return word

    def _acceptable(self, i: int, j: int, entry: _Entry) -> bool:
        if j - i != 1:
            return True
        token = self.tokens[i]
        word = self.words[i]
        alone = len(self.tokens) == 1
        common = word in self.lexicon.common
        if entry.kind == "exam" and (entry.exam_word or common):
            # CAT, GATE, JAM are exams in capitals, next to an exam word, or typed alone
            context = {self.words[k] for k in (i - 1, j) if 0 <= k < len(self.words)}
            return token.upper or alone or bool(context & _EXAM_CONTEXT)
        if entry.needs_caps and common:
            # a short acronym that spells an everyday word (IT, PO, UP) needs capitals
            return token.upper or alone
        return True

    def _emit_entries(self, i: int, j: int, entries: list[_Entry]) -> bool:
        accepted = [e for e in entries if self._acceptable(i, j, e)]
        if not accepted:
            return False
        if any(e.kind == "block" for e in accepted):
            for k in range(i, j):
                self.taken[k] = True
            return True
        careers = [e for e in accepted if e.kind == "career"]
        emitted = False
        if careers:
            ids = tuple(dict.fromkeys(str(e.value) for e in careers))
            best = careers[0]
            before = self.seq_before(i, _CAREER_NEG_BEFORE)
            after = 0 if before else self.seq(j, _CAREER_NEG_AFTER)
            if before or after:
                # a career ruled out is no wish to find it: its words leave the text, and
                # search ranks it last (planning.rerank)
                self.add(
                    i - before, j + after, "excluded_career", ids[0], hard=False, consumes=True,
                    via=best.via, candidates=ids,
                )  # fmt: skip
            else:
                self.add(
                    i, j, "career", ids[0], hard=False, consumes=False, via=best.via,
                    candidates=ids, mark=False,
                )  # fmt: skip
            emitted = True
        exams = [e for e in accepted if e.kind == "exam"]
        if exams:
            ids = tuple(dict.fromkeys(str(e.value) for e in exams))
            self.add(i, j, "exam", ids[0], hard=False, consumes=False, candidates=ids, mark=False)
            emitted = True
        seen: set[tuple[str, str]] = set()
        for e in accepted:
            if e.kind in ("career", "exam") or (e.kind, repr(e.value)) in seen:
                continue
            seen.add((e.kind, repr(e.value)))
            assert e.kind != "block"
            start = i
            if e.kind == "state":
                start -= self.seq_before(i, (("in",), ("from",), ("near",), ("of",), ("at",)))
            self.add(
                start, j, e.kind, e.value, hard=e.hard, consumes=e.consumes, via=e.via, mark=False
            )
            emitted = True
        if emitted:
            for k in range(i, j):
                self.taken[k] = True
        return emitted


_MULTI = frozenset(
    {
        "required_subject", "excluded_subject", "exam", "excluded_exam", "career",
        "excluded_career", "category", "state",
    }
)  # fmt: skip
# "not as a doctor", "other than engineer", "doctor nahi": a career named to rule it out.
_CAREER_NEG_BEFORE: tuple[tuple[str, ...], ...] = (
    ("not",), ("not", "a"), ("not", "an"), ("not", "as"), ("not", "as", "a"), ("not", "as", "an"),
    ("except",), ("except", "as"), ("except", "as", "a"), ("except", "as", "an"),
    ("other", "than"), ("other", "than", "a"), ("other", "than", "an"), ("apart", "from"),
    ("anything", "but"), ("rather", "than"), ("instead", "of"),
)  # fmt: skip
_CAREER_NEG_AFTER: tuple[tuple[str, ...], ...] = (
    ("nahi",), ("nahin",), ("nhi",), ("nahi", "banna"), ("nahin", "banna"), ("nhi", "banna"),
)  # fmt: skip
_GRADE_BEFORE_SEQ = tuple((w,) for w in _GRADE_BEFORE)


def _remaining(tokens: Sequence[_Token], constraints: Sequence[Constraint]) -> tuple[str, str]:
    """The query's words that no consuming constraint took: (as typed, corrected)."""
    consumed: list[tuple[int, int]] = [
        (c.span.start, c.span.end) for c in constraints if c.consumes
    ]
    if not consumed:
        return (
            " ".join(t.surface for t in _dedupe(tokens)),
            " ".join(t.text for t in _dedupe(tokens)),
        )
    kept = [t for t in _dedupe(tokens) if not any(s <= t.start and t.end <= e for s, e in consumed)]
    while kept and kept[0].text in _CONNECTORS:
        kept.pop(0)
    while kept and kept[-1].text in _CONNECTORS:
        kept.pop()
    if all(t.text in FILLERS or t.text in ("+", "%") for t in kept):
        return "", ""
    return " ".join(t.surface for t in kept), " ".join(t.text for t in kept)


def _dedupe(tokens: Sequence[_Token]) -> list[_Token]:
    """A Devanagari word split into digits and letters is one word of the query."""
    out: list[_Token] = []
    for t in tokens:
        if out and out[-1].start == t.start and out[-1].surface == t.surface:
            prev = out[-1]
            out[-1] = replace(prev, text=f"{prev.text} {t.text}")
            continue
        out.append(t)
    return out


def understand(text: str, lexicon: Lexicon) -> Understanding:
    """Read one query (or chat message). Never raises on odd input; an empty query gives an
    empty understanding."""
    query = unicodedata.normalize("NFC", text or "")
    tokens, corrections = _tokens(query, lexicon)
    reader = _Reader(query, tokens, lexicon)
    reader.salary()
    reader.grade()
    reader.streams()
    reader.subjects()
    reader.phrases()
    found = sorted(reader.found, key=lambda item: (item[0], item[1].span.start))
    constraints = tuple(c for _, c in found)
    # A correction into a constraint word that no constraint then used is only a guess about
    # an ordinary word: give the legs the student's own word back ("scored" is not "scared").
    # Corrections into career and exam words stay: BM25 meets them in names and aliases.
    used = [(c.span.start, c.span.end) for c in constraints]
    kept: list[Correction] = []
    for n, token in enumerate(tokens):
        if token.text == token.raw:
            continue
        if token.text in lexicon.name_words or any(
            s <= token.start and token.end <= e for s, e in used
        ):
            kept.extend(c for c in corrections if c.span.start == token.start)
        else:
            tokens[n] = replace(token, text=token.raw)
    corrections = kept
    remaining, search = _remaining(tokens, constraints)
    dev = has_devanagari(query)
    latin = bool(re.search(r"[A-Za-z]", query))
    script: Script = "mixed" if dev and latin else "devanagari" if dev else "latin"
    return Understanding(
        query=query,
        script=script,
        constraints=constraints,
        corrections=tuple(corrections),
        remaining_text=remaining,
        search_text=search,
        _tokens=tuple(tokens),
    )


# Facet value lists, kept next to the constraint vocabulary that produces them so a change
# in records.py that renames a value fails the unit tests here.
FACET_VOCABULARY: Mapping[str, tuple[str, ...]] = {
    "stress_level": STRESS_LEVELS,
    "work_life_balance": WORK_LIFE_BALANCES,
    "remote_work": REMOTE_LEVELS,
    "travel_required": TRAVEL_LEVELS,
}


def _constraint_vocabulary() -> set[str]:
    """Every word the rules above look for, so a misspelling of one is corrected to it."""
    words: set[str] = set()
    for phrases, _ in _constraint_phrases():
        for phrase in phrases:
            words.update(_words(phrase))
    for key in _STREAMS:
        words.update(key)
    for phrase in (*SUBJECT_WORDS, *SUBJECT_FAMILIES):
        words.update(_words(phrase))
    for table in (_NEG_BEFORE, _NEG_AFTER, _REQ_BEFORE, _REQ_AFTER, _MIN_BEFORE, _MAX_BEFORE):
        for seq in table:
            words.update(seq)
    words.update(_LAKH | _CRORE | _THOUSAND | _SALARY_WORDS | _ENTRY_WORDS)
    words.update(_GRADE_WORDS)
    words.update(_GRADE_BEFORE | _GRADE_AFTER)
    return {w for w in words if w.isalpha()}
