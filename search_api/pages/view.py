"""Pure helpers for the pages: page state <-> URL, chips, pagination, money, highlights.

The URL is the whole state of the explore, compare and for-you pages (shareable links,
back/forward), so every link is built here from one canonical parameter order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Protocol
from urllib.parse import urlencode

from markupsafe import Markup, escape

from search_api.careers.records import (
    CATEGORY_PATTERN,
    RIASEC_LETTERS,
    SLUG_PATTERN,
    STREAMS,
    STRESS_LEVELS,
    TRAVEL_LEVELS,
    WORK_LIFE_BALANCES,
)
from search_api.profiles.schemas import StudentProfile
from search_api.profiles.scoring import lakh
from search_api.search.facets import FACET_BY_PARAM, FACETS, SALARY_BANDS
from search_api.search.schemas import SearchParams

QueryItems = Mapping[str, Sequence[str]]

SORTS = ("relevance", "salary_desc", "salary_asc", "name")
PAGE_SIZE = 10
MAX_PAGE = 1000 // PAGE_SIZE  # the search's relevance window stops at 1,000
MAX_QUERY = 200
SALARY_PARAM = "salary"
_SLUG = re.compile(SLUG_PATTERN)
_CATEGORY = re.compile(CATEGORY_PATTERN)


def first(query: QueryItems, name: str, default: str = "") -> str:
    values = query.get(name) or []
    return values[0].strip() if values else default


def lakh_range(low: int, high: int) -> str:
    return f"₹{lakh(low)}\u2013{lakh(high)}"  # en dash


def slug(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"


# ---- explore ----------------------------------------------------------------------------


def band_token(low: int | None, high: int | None) -> str:
    """A salary band in the URL: "300000-600000", "-300000", "2000000-" (high exclusive)."""
    return f"{'' if low is None else low}-{'' if high is None else high}"


def parse_band(token: str) -> tuple[int | None, int | None] | None:
    m = re.fullmatch(r"(\d{0,9})-(\d{0,9})", token.strip())
    if not m or not (m.group(1) or m.group(2)):
        return None
    low = int(m.group(1)) if m.group(1) else None
    high = int(m.group(2)) if m.group(2) else None
    if low is not None and high is not None and low >= high:
        return None
    return low, high


@dataclass(frozen=True)
class ExploreState:
    q: str = ""
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    salary: tuple[int | None, int | None] | None = None
    sort: str = "relevance"
    page: int = 1
    ignored: tuple[str, ...] = ()  # what the URL asked for and the page could not use
    # False: a signed-in student asked for plain relevance (personalise=false in the URL)
    personalise: bool = True
    # understood constraints the student removed (search `ignore`), or all of them
    dropped: tuple[str, ...] = ()
    understand: bool = True

    # -- to the search ---------------------------------------------------------------

    def search_params(self) -> SearchParams:
        low, high = self.salary or (None, None)
        return SearchParams.model_validate(
            {
                "q": self.q,
                **{p: list(v) for p, v in self.filters.items()},
                "salary_min": low,
                # bands are half-open [low, high); the search's salary_max is inclusive
                "salary_max": None if high is None else high - 1,
                "page": self.page,
                "size": PAGE_SIZE,
                "sort": self.sort,
                "understand": self.understand,
                "ignore": list(self.dropped),
            }
        )

    # -- to URLs ---------------------------------------------------------------------

    def items(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for facet in FACETS:
            out.extend((facet.param, v) for v in self.filters.get(facet.param, ()))
        if self.salary is not None:
            out.append((SALARY_PARAM, band_token(*self.salary)))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        out.extend(("ignore", key) for key in self.dropped)
        if not self.understand:
            out.append(("understand", "false"))
        if self.page > 1:
            out.append(("page", str(self.page)))
        if not self.personalise:
            out.append(("personalise", "false"))
        return out

    def url(self, path: str = "/explore") -> str:
        items = self.items()
        return f"{path}?{urlencode(items)}" if items else path

    def selected(self, param: str, value: str) -> bool:
        return value in self.filters.get(param, ())

    def toggle(self, param: str, value: str) -> str:
        values = list(self.filters.get(param, ()))
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        return self.with_filter(param, values).url()

    def with_filter(self, param: str, values: Iterable[str]) -> ExploreState:
        filters = dict(self.filters)
        filters[param] = canonical(param, values)
        return replace(self, filters=filters, page=1, ignored=())

    def without(self, param: str, value: str | None = None) -> str:
        """The URL without one filter value, or without the whole filter (or salary)."""
        if param == SALARY_PARAM or param == "salary":
            return replace(self, salary=None, page=1, ignored=()).url()
        keep = [] if value is None else [v for v in self.filters.get(param, ()) if v != value]
        return self.with_filter(param, keep).url()

    def cleared(self) -> str:
        return ExploreState(q=self.q, sort=self.sort, personalise=self.personalise).url()

    def personalised(self, on: bool) -> str:
        return replace(self, personalise=on, page=1, ignored=()).url()

    def with_query(self, q: str) -> str:
        return replace(self, q=q, page=1, ignored=(), dropped=(), understand=True).url()

    def without_understood(self, key: str | None = None) -> str:
        """The URL without one understood constraint, or (None) without understanding."""
        if key is None:
            return replace(self, page=1, ignored=(), dropped=(), understand=False).url()
        return replace(self, page=1, ignored=(), dropped=(*self.dropped, key)).url()

    def with_page(self, page: int) -> str:
        return replace(self, page=page, ignored=()).url()

    def active_count(self) -> int:
        return sum(len(v) for v in self.filters.values()) + (self.salary is not None)


def canonical(param: str, values: Iterable[str]) -> tuple[str, ...]:
    """Selected values without repeats, in the facet's natural order (vocabularies) or sorted
    (exams), so one selection always makes one URL and one cache key."""
    unique = list(dict.fromkeys(values))
    vocab = FACET_BY_PARAM[param].values
    if vocab is None:
        return tuple(sorted(unique))
    return tuple(v for v in vocab if v in unique)


_UNDERSTOOD_KEY = re.compile(r"[a-z_]+(:[\w &,.()'/-]+)?")


def parse_explore(query: QueryItems) -> ExploreState:
    ignored: list[str] = []
    q = " ".join(first(query, "q").split())
    if len(q) > MAX_QUERY:
        q = q[:MAX_QUERY]
        ignored.append("q")
    filters: dict[str, tuple[str, ...]] = {}
    for facet in FACETS:
        raw = [v.strip() for v in query.get(facet.param, []) if v.strip()]
        if facet.param == "category":  # names from the catalogue's categories table
            good = [v for v in raw if _CATEGORY.fullmatch(v) and len(v) <= 60]
        elif facet.values is None:
            good = [v for v in raw if _SLUG.fullmatch(v) and len(v) <= 50]
        else:
            good = [v for v in raw if v in facet.values]
        ignored.extend(f"{facet.param}={v}" for v in raw if v not in good)
        if good:
            filters[facet.param] = canonical(facet.param, good)
    salary = None
    token = first(query, SALARY_PARAM)
    if token:
        salary = parse_band(token)
        if salary is None:
            ignored.append(f"{SALARY_PARAM}={token}")
    sort = first(query, "sort", "relevance")
    if sort not in SORTS:
        ignored.append(f"sort={sort}")
        sort = "relevance"
    page_text = first(query, "page", "1")
    page = int(page_text) if page_text.isdigit() else 0
    if not 1 <= page <= MAX_PAGE:
        if page_text != "1":
            ignored.append(f"page={page_text}")
        page = 1
    personalise = first(query, "personalise").lower() not in ("false", "0", "off", "no")
    dropped = tuple(
        dict.fromkeys(
            k for k in (v.strip() for v in query.get("ignore", [])) if _UNDERSTOOD_KEY.fullmatch(k)
        )
    )
    understand = first(query, "understand", "true").lower() not in ("false", "0", "no")
    return ExploreState(
        q, filters, salary, sort, page, tuple(ignored), personalise, dropped[:20], understand
    )


def salary_band_options() -> list[tuple[str, str]]:
    """(URL token, band label) for every salary band, in order."""
    return [(band_token(b.low, b.high), b.label) for b in SALARY_BANDS]


ValueLabel = Callable[[str, str], str]  # (param, value) -> what the student reads
EXAMS_SHOWN = 8
FACET_ORDER = (
    "category",
    "stream",
    "work_life_balance",
    "stress_level",
    "job_outlook",
    "remote_work",
    "travel_required",
    "exam",
)


class HasCount(Protocol):
    value: str
    count: int


@dataclass(frozen=True)
class FacetOption:
    id: str
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class FacetGroup:
    param: str
    kind: str  # "checkbox" (multi-select) or "radio" (salary: the search takes one range)
    options: list[FacetOption]
    more: list[FacetOption] = field(default_factory=list)  # folded away (long exam list)


def facet_groups(
    state: ExploreState, facets: Mapping[str, Sequence[HasCount]], label: ValueLabel
) -> list[FacetGroup]:
    groups = []
    for param in FACET_ORDER:
        counts = {c.value: c.count for c in facets.get(param, [])}
        # a selected value stays visible (and removable) even when other filters zero it
        for value in state.filters.get(param, ()):
            counts.setdefault(value, 0)
        options = [
            FacetOption(
                f"f-{param}-{slug(value)}",
                value,
                label(param, value),
                count,
                state.selected(param, value),
            )
            for value, count in counts.items()
        ]
        if not options:
            continue
        if param == "exam":
            shown = [o for o in options if o.selected]
            shown += [o for o in options if not o.selected][: max(0, EXAMS_SHOWN - len(shown))]
            more = [o for o in options if o not in shown]
            groups.append(FacetGroup(param, "checkbox", shown, more))
        else:
            groups.append(FacetGroup(param, "checkbox", options))
    bands = {c.value: c.count for c in facets.get("salary_band", [])}
    chosen = band_token(*state.salary) if state.salary else ""
    salary_options = [FacetOption("f-salary-any", "", "", -1, not chosen)]
    for token, band_label in salary_band_options():
        salary_options.append(
            FacetOption(
                f"f-salary-{slug(token)}",
                token,
                label(SALARY_PARAM, band_label),
                bands.get(band_label, 0),
                token == chosen,
            )
        )
    groups.append(FacetGroup(SALARY_PARAM, "radio", salary_options))
    return groups


def salary_label(salary: tuple[int | None, int | None], label: ValueLabel) -> str:
    token = band_token(*salary)
    for band_token_, band_label in salary_band_options():
        if band_token_ == token:
            return label(SALARY_PARAM, band_label)
    low, high = salary
    return f"₹{lakh(low or 0)}\u2013{lakh(high) if high else '…'}"  # a range from a hand-made link


@dataclass(frozen=True)
class Chip:
    param: str
    label: str
    url: str


def chips(state: ExploreState, label: ValueLabel) -> list[Chip]:
    out = [
        Chip(param, label(param, value), state.without(param, value))
        for param in FACET_ORDER
        for value in state.filters.get(param, ())
    ]
    if state.salary is not None:
        text = salary_label(state.salary, label)
        out.append(Chip(SALARY_PARAM, text, state.without(SALARY_PARAM)))
    return out


class HasRelaxation(Protocol):
    parameter: str
    results_without_it: int


@dataclass(frozen=True)
class Relaxed:
    param: str
    values: str
    count: int
    url: str


def relaxations(
    state: ExploreState, options: Sequence[HasRelaxation], label: ValueLabel
) -> list[Relaxed]:
    """The filters whose removal brings results back, most results first."""
    out = []
    for option in options:
        if option.results_without_it <= 0:
            continue
        param = option.parameter
        if param == SALARY_PARAM and state.salary is not None:
            values = salary_label(state.salary, label)
        else:
            values = ", ".join(label(param, v) for v in state.filters.get(param, ()))
        out.append(Relaxed(param, values, option.results_without_it, state.without(param)))
    return sorted(out, key=lambda r: -r.count)


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str
    current: bool = False


def pagination(state: ExploreState, total: int, size: int = PAGE_SIZE) -> list[PageLink]:
    """First, last, and two either side of the current page, with gaps marked."""
    pages = min(math.ceil(total / size), MAX_PAGE)
    if pages <= 1:
        return []
    wanted = sorted({1, pages, *range(state.page - 2, state.page + 3)} & set(range(1, pages + 1)))
    out: list[PageLink] = []
    previous = 0
    for n in wanted:
        if n - previous > 1:
            out.append(PageLink(None, ""))
        out.append(PageLink(n, state.with_page(n), n == state.page))
        previous = n
    return out


# ---- highlights -------------------------------------------------------------------------

_EM = re.compile(r"(</?em>)")


def safe_highlight(fragment: str) -> Markup:
    """OpenSearch marks matches with <em>; everything else in the fragment is text and is
    escaped, so catalogue text can never inject markup. Matches become <mark>."""
    out: list[str] = []
    open_mark = False
    for part in _EM.split(fragment):
        if part == "<em>" and not open_mark:
            out.append("<mark>")
            open_mark = True
        elif part == "</em>" and open_mark:
            out.append("</mark>")
            open_mark = False
        elif part not in ("<em>", "</em>"):
            out.append(str(escape(part)))
    if open_mark:
        out.append("</mark>")
    return Markup("".join(out))


def snippet(description: str, limit: int = 180) -> str:
    if len(description) <= limit:
        return description
    cut = description[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# ---- compare ----------------------------------------------------------------------------

MAX_COMPARE = 4


def parse_ids(raw: str) -> tuple[list[str], list[str]]:
    """-> (valid ids in order without repeats, up to four; what was dropped)."""
    ids: list[str] = []
    dropped: list[str] = []
    for part in raw.split(","):
        value = part.strip()
        if not value:
            continue
        if not _SLUG.fullmatch(value) or len(value) > 50 or value in ids:
            dropped.append(value)
        elif len(ids) >= MAX_COMPARE:
            dropped.append(value)
        else:
            ids.append(value)
    return ids, dropped


def compare_url(ids: Sequence[str]) -> str:
    return f"/compare?{urlencode({'ids': ','.join(ids)}, safe=',')}" if ids else "/compare"


# ---- for you ----------------------------------------------------------------------------

PROFILE_PARAMS = (
    "grade",
    "stream",
    "interests",
    "skills",
    "salary_min",
    "salary_max",
    "remote",
    "max_travel",
    "min_wlb",
    "max_stress",
    "riasec",
)
LAKH = 100_000
MAX_PHRASES = 20


def phrases(text: str) -> list[str]:
    """Comma- or semicolon-separated phrases, trimmed, without repeats, at most 80 characters."""
    out: list[str] = []
    for part in re.split(r"[,;\n]", text):
        value = " ".join(part.split())[:80]
        if value and value.casefold() not in {o.casefold() for o in out}:
            out.append(value)
    return out


def riasec_letters(text: str) -> list[str]:
    return list(dict.fromkeys(ch for ch in text.upper() if ch in RIASEC_LETTERS))


def lakh_to_rupees(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    if not 0 <= value <= 1000:
        return None
    return round(value * LAKH)


@dataclass(frozen=True)
class ProfileForm:
    """What the for-you form holds, as typed; `profile()` turns it into the API's Profile."""

    grade: str = ""
    stream: str = ""
    interests: str = ""
    skills: str = ""
    salary_min: str = ""
    salary_max: str = ""
    remote: bool = False
    max_travel: str = ""
    min_wlb: str = ""
    max_stress: str = ""
    riasec: str = ""

    @property
    def submitted(self) -> bool:
        return bool(self.grade or self.stream)

    def items(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for name in PROFILE_PARAMS:
            value = getattr(self, name)
            if name == "remote":
                if value:
                    out.append(("remote", "1"))
            elif value:
                out.append((name, value))
        return out

    def query(self, **extra: str) -> str:
        return urlencode([*self.items(), *extra.items()])

    def letters(self) -> list[str]:
        return riasec_letters(self.riasec)

    def problems(self) -> list[str]:
        """Keys of the strings table naming what is missing or wrong."""
        out = []
        if self.grade not in ("11", "12"):
            out.append("error_grade")
        if self.stream not in STREAMS:
            out.append("error_stream")
        low, high = lakh_to_rupees(self.salary_min), lakh_to_rupees(self.salary_max)
        if (self.salary_min and low is None) or (self.salary_max and high is None):
            out.append("error_salary_number")
        elif low is not None and high is not None and low > high:
            out.append("error_salary_order")
        return out

    def profile_body(self, riasec_words: Mapping[str, str], limit: int = 10) -> dict[str, object]:
        """The JSON body of POST /api/v1/recommendations for this form (call after problems()
        came back empty). Quiz letters join the interests as the words scoring understands."""
        interests = phrases(self.interests)
        for letter in self.letters():
            word = riasec_words[letter]
            if word not in (i.casefold() for i in interests):
                interests.append(word)
        prefs: dict[str, object] = {"remote": self.remote}
        if self.max_travel in TRAVEL_LEVELS:
            prefs["max_travel"] = self.max_travel
        if self.min_wlb in WORK_LIFE_BALANCES:
            prefs["min_work_life_balance"] = self.min_wlb
        if self.max_stress in STRESS_LEVELS:
            prefs["max_stress"] = self.max_stress
        return {
            "grade": int(self.grade),
            "stream": self.stream,
            "interests": interests[:MAX_PHRASES],
            "skills": phrases(self.skills)[:MAX_PHRASES],
            "salary_min": lakh_to_rupees(self.salary_min) if self.salary_min else None,
            "salary_max": lakh_to_rupees(self.salary_max) if self.salary_max else None,
            "work_preferences": prefs,
            "limit": limit,
        }


def saved_profile_fields(form: ProfileForm, riasec_words: Mapping[str, str]) -> dict[str, object]:
    """What a signed-in student's form saves (StudentProfile fields): the recommendation body
    without its page size. Quiz letters are saved as the interest words they stand for."""
    body = form.profile_body(riasec_words)
    body.pop("limit")
    return body


def form_from_saved(profile: StudentProfile, riasec_words: Mapping[str, str]) -> ProfileForm:
    """The form filled from a saved profile: the inverse of saved_profile_fields."""
    letter_of = {word.casefold(): letter for letter, word in riasec_words.items()}
    letters = [letter_of[i.casefold()] for i in profile.interests if i.casefold() in letter_of]
    interests = [i for i in profile.interests if i.casefold() not in letter_of]
    prefs = profile.work_preferences

    def lakh_text(rupees: int | None) -> str:
        return "" if rupees is None else f"{rupees / LAKH:g}"

    return ProfileForm(
        grade=str(profile.grade or ""),
        stream=profile.stream or "",
        interests=", ".join(interests),
        skills=", ".join(profile.skills),
        salary_min=lakh_text(profile.salary_min),
        salary_max=lakh_text(profile.salary_max),
        remote=prefs.remote,
        max_travel=prefs.max_travel or "",
        min_wlb=prefs.min_work_life_balance or "",
        max_stress=prefs.max_stress or "",
        riasec="".join(letters),
    )


def parse_profile(query: QueryItems) -> ProfileForm:
    return ProfileForm(
        grade=first(query, "grade")[:2],
        stream=first(query, "stream")[:12],
        interests=first(query, "interests")[:600],
        skills=first(query, "skills")[:600],
        salary_min=first(query, "salary_min")[:8],
        salary_max=first(query, "salary_max")[:8],
        remote=first(query, "remote") in ("1", "on", "true"),
        max_travel=first(query, "max_travel")[:12],
        min_wlb=first(query, "min_wlb")[:12],
        max_stress=first(query, "max_stress")[:12],
        riasec="".join(riasec_letters(first(query, "riasec")[:12])),
    )
