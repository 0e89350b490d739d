"""From what a student typed to what search runs: query understanding applied to a search.

search/understanding.py reads q (pure); this module turns that reading into the search's
inputs and says what it did:

- hard constraints (stream eligibility, excluded subjects and exams, salary floor/ceiling,
  stress, work-life balance, remote, travel) become filters, ANDed with the explicit facet
  parameters and a profile's constraints (Filters.also), never replacing them;
- soft ones (a named career, category, exam, subject, sector, "high salary") become bounded
  bonuses on the fused score (rerank), and the careers a query names are also retrieved by id,
  so "डॉक्टर" or "daktar" reaches Doctor (MBBS) even when no indexed text matches those letters;
- the remaining free text is what BM25 and the dense leg see; with no free text left, the
  filtered careers are browsed by the prominence prior and the soft bonuses (browse_request);
- a search that finds nothing with an understood hard constraint is run again without it
  (relaxed), and the response says so.

The typo rules of the BM25 leg (typo_rules) apply to every search, understood or not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Literal

from search_api.careers.records import eligible_streams
from search_api.profiles.scoring import STREAM_SUBJECTS
from search_api.search.facets import Filters, filter_clauses
from search_api.search.fusion import Fused
from search_api.search.index import IndexedCareer
from search_api.search.query import CANDIDATE_FIELDS
from search_api.search.schemas import (
    Correction,
    SearchParams,
    Understood,
    UnderstoodConstraint,
)
from search_api.search.transliteration import has_devanagari
from search_api.search.understanding import (
    Boost,
    Constraint,
    Lexicon,
    Understanding,
    understand,
)

# Bonuses added to the fused score, which lies in [0, 1] (min-max normalised legs, weights
# summing to 1). Chosen on the tune half of tests/relevance/judgments.yaml
# (scripts/eval_relevance.py --split tune), reported on the test half.
# A career the words name outright ("docter", "वकील", "CA") goes first unless another career
# beats it by more than this on text and meaning.
MENTION_BONUS = 0.5
# A soft wish that a career satisfies (category, exam, subject, sector, frequent travel).
SOFT_BONUS = 0.15
# "high salary": up to this much for the best paid candidate, in proportion to mid salary.
SALARY_BONUS = 0.2
# The prominence prior: how often a plain word means this career (catalogue `prominence`,
# 1-5). At most PRIOR_BOUND apart between prominence 1 and 5: a tie-breaker, never a ranking
# of its own (a near-tie on the fused score is a few hundredths).
PRIOR_BOUND = 0.04

# A query that is one bare head word of career names ("engineer", "analyst"): the family's
# members (careers whose name ends in it) get up to this much by prominence. Chosen on the
# tune half.
FAMILY_BOUND = 0.1

# A career's later exams count a little less for a query naming the exam: the route's first
# exam leads to it most directly. Only a tie-break: at most SOFT_BONUS * (1 - GATEWAY_FLOOR)
# = 0.0075, under one step of the prominence prior (PRIOR_BOUND / 4 = 0.01), so among the
# careers an exam leads to, the one students mean most often comes first (JEE Advanced:
# Software Engineer, whose list starts with JEE Main, before Space Scientist, whose list
# starts with JEE Advanced; GATE, listed late by every engineer, still reaches them).
GATEWAY_STEP = 0.01
GATEWAY_FLOOR = 0.95

# Typo rules of the best engines: no edit under 4 letters, one from 4, two from 8.
FUZZINESS = "AUTO:4,8"
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
# Short acronyms must match exactly or through a synonym, never as a prefix of another word
# (CA is not "Cabin Crew", IAS is not "Iastic"): a last word this short gets no prefix clause.
SHORT = 3
# With no free text left, rank the filtered careers by every word of q (True) or browse them
# by the prior and the soft bonuses (False). Chosen on the tune half's constraint phrases.
RANK_BY_WORDS = False
# A stated stream: up to this much for a career that draws on the stream's own school
# subjects (profiles.scoring.STREAM_SUBJECTS; Company Secretary, built on Business Studies,
# Accountancy and Economics, before Chef for "12th commerce"). The share of the career's
# subjects (at most three counted) that the stream studies, times this.
STREAM_FIT_BONUS = 0.25
# A salary floor ("above 20 lakh") is a wish for more as well: up to SALARY_BONUS in
# proportion to mid salary, as for "high salary", when this is True.
FLOOR_WANTS_MORE = True
# Browsing ranks the filtered careers in Python with the same bonus as rerank; at most this
# many, the most prominent first, are scored (a page is cut from them).
BROWSE_WINDOW = 1000


@dataclass(frozen=True)
class QueryPlan:
    text: str  # for the legs; "" with q non-empty: browse the filtered careers (browse_request)
    filters: Filters  # explicit facets, then (also) understood hard constraints, then profile
    reading: Understanding | None  # None: not understood (understand=false, no lexicon, no q)
    base: Filters  # the filters without anything understood, for relaxation
    relaxed: tuple[str, ...] = ()
    # What the legs rank by: the free text, or with none left ("12th commerce without maths")
    # every word of q, so the filtered careers are still ranked by what the words are about.
    rank_text: str = ""
    # The exams and categories a query only names ("NEET", "careers after JEE Main",
    # "medical"): their careers are listed (a filter), most central first, instead of
    # ranking every career by how often its text repeats the name.
    groups: tuple[Constraint, ...] = ()

    @property
    def browse(self) -> bool:
        return self.reading is not None and not self.text

    @property
    def boosts(self) -> tuple[Boost, ...]:
        if self.reading is None:
            return ()
        return self.reading.plan().boosts

    @property
    def hard_keys(self) -> tuple[str, ...]:
        """Understood constraints applied as filters (hard ones and the groups a query only
        names), in the order they were typed, minus the relaxed ones."""
        if self.reading is None:
            return ()
        group_keys = {g.key for g in self.groups}
        keys = (
            c.key
            for c in self.reading.constraints
            if (c.hard or c.key in group_keys) and c.key not in self.relaxed
        )
        return tuple(dict.fromkeys(keys))

    @property
    def mentions(self) -> tuple[str, ...]:
        return tuple(b.values[0] for b in self.boosts if b.field == "id" and b.values)

    @property
    def ruled_out(self) -> frozenset[str]:
        """Careers the query names to rule out ("not as a doctor"): ranked last, not hidden."""
        return frozenset(self.reading.excluded_careers) if self.reading is not None else frozenset()


def plan_query(params: SearchParams, base: Filters, lexicon: Lexicon | None) -> QueryPlan:
    if not params.q or not params.understand or lexicon is None:
        return QueryPlan(params.q, base, None, base, rank_text=params.q)
    reading = understand(params.q, lexicon)
    for key in params.ignore:
        reading = reading.without(key)
    return _planned(reading, base, ())


def _planned(reading: Understanding, base: Filters, relaxed: tuple[str, ...]) -> QueryPlan:
    applied = reading
    for key in relaxed:
        # a relaxed constraint stops filtering, but its words stay out of the text: "without
        # maths" searched as words would rank Mathematician first
        applied = replace(
            applied, constraints=tuple(c for c in applied.constraints if c.key != key)
        )
    plan = applied.plan()
    groups = tuple(g for g in reading.only_groups() if g.key not in relaxed)
    facets = dict(plan.facets)
    for group in groups:
        param = "exam" if group.kind == "exam" else "category"
        facets[param] = (*facets.get(param, ()), str(group.value))
    understood = Filters(
        facets,
        plan.salary_min,
        plan.salary_max,
        also=base.also,
        excluded_subjects=plan.excluded_subjects,
        excluded_exams=plan.excluded_exams,
    )
    filters = base
    if understood.active() or plan.excluded_subjects or plan.excluded_exams:
        filters = replace(base, also=understood)
    every = reading
    for key in reading.undo_keys():
        every = every.without(key)
    text = "" if groups else reading.search_text
    rank_text = text or (every.search_text if RANK_BY_WORDS and not groups else "")
    return QueryPlan(text, filters, reading, base, relaxed, rank_text, groups)


def relax(plan: QueryPlan) -> QueryPlan | None:
    """The plan without its last applied understood hard constraint; None when none is left."""
    keys = plan.hard_keys
    if plan.reading is None or not keys:
        return None
    return _planned(plan.reading, plan.base, (*plan.relaxed, keys[-1]))


# ---- the BM25 leg ----------------------------------------------------------------------


def typo_rules(body: dict[str, Any]) -> dict[str, Any]:
    """Typo rules on a BM25 leg body built by search/query.py: FUZZINESS, no fuzzy numbers,
    no prefix match of a short last word, each on its clause's own words (a sentence's
    scoring clauses carry only its content words). Changes the body in place and returns it."""
    must = body.get("query", {}).get("bool", {}).get("must") or []
    for clause in must:
        should = clause.get("bool", {}).get("should")
        if not isinstance(should, list):
            continue
        kept: list[dict[str, Any]] = []
        for inner in should:
            match = inner.get("multi_match")
            words = str(match["query"]).split() if match is not None else []
            if match is not None and "fuzziness" in match:
                fuzzy_words = [w for w in words if not _NUMBER.match(w)]
                if not fuzzy_words:
                    continue
                match["fuzziness"] = FUZZINESS
                match["query"] = " ".join(fuzzy_words)
            elif match is not None and match.get("type") == "bool_prefix":
                last = words[-1] if words else ""
                if len(last) <= SHORT or _NUMBER.match(last):
                    continue
            kept.append(inner)
        clause["bool"]["should"] = kept
    return body


def extend_bm25(body: dict[str, Any], plan: QueryPlan, q: str) -> dict[str, Any]:
    """Add what understanding knows to a BM25 leg body: Hindi names for Devanagari, Hinglish
    spellings, and the careers the words name (by id, so they are retrieved at all)."""
    extra: list[dict[str, Any]] = []
    if has_devanagari(q):
        extra.append({"multi_match": {"query": q, "fields": ["hindi_name^5", "hindi_aliases^4"]}})
    if plan.text:
        extra.append({"multi_match": {"query": plan.text, "fields": ["hinglish^4"]}})
    if plan.mentions:
        extra.append({"terms": {"id": list(plan.mentions), "boost": 5.0}})
    if not extra:
        return body
    query = body["query"]["bool"]
    query["must"] = [{"bool": {"should": [*query["must"], *extra], "minimum_should_match": 1}}]
    return body


# ---- ranking ---------------------------------------------------------------------------


def prior(career: IndexedCareer) -> float:
    return PRIOR_BOUND * (min(max(career.prominence, 1), 5) - 1) / 4


def gateway(career: IndexedCareer, exams: tuple[str, ...]) -> float:
    """The named exam is on the career's route (it lists it): 1 when it is the first exam the
    career lists, GATEWAY_STEP less for each exam before it, down to GATEWAY_FLOOR; 0 when
    the career does not list it."""
    for position, exam in enumerate(career.exam_ids):
        if exam in exams:
            return max(GATEWAY_FLOOR, 1.0 - GATEWAY_STEP * position)
    return 0.0


def _satisfies(career: IndexedCareer, boost: Boost) -> float:
    values = set(boost.values)
    if boost.field == "id":
        return 1.0 if career.id in values else 0.0
    if boost.field == "category":
        return 1.0 if career.category in values else 0.0
    if boost.field == "exam_ids":
        return gateway(career, boost.values)
    if boost.field == "subjects":
        return 1.0 if values.intersection(career.subjects) else 0.0
    if boost.field == "travel_required":
        return 1.0 if career.travel_required in values else 0.0
    return 0.0


@dataclass(frozen=True)
class Wishes:
    """What a plan asks of a career beyond its filters, for the bonus."""

    boosts: tuple[Boost, ...]
    stream_subjects: frozenset[str]  # the stated stream's own subjects, casefolded
    strongest: tuple[tuple[str, str], ...]  # (career attribute, the value that fits best)
    wants_more_pay: bool


def wishes(plan: QueryPlan) -> Wishes:
    reading = plan.reading
    boosts = plan.boosts
    if reading is None:
        return Wishes(boosts, frozenset(), (), False)
    facets = reading.plan().facets
    streams = facets.get("stream", ()) if "stream" not in plan.relaxed else ()
    excluded = {s.casefold() for s in reading.excluded_subjects}
    core = frozenset(
        s for stream in eligible_streams(streams) for s in STREAM_SUBJECTS.get(stream, ())
    )
    strongest = tuple(
        (param, best)
        for param, best in STRONGEST.items()
        if best in facets.get(param, ()) and len(facets.get(param, ())) > 1
    )
    floor = reading.salary_min is not None and "salary_min" not in {
        c.kind for c in reading.constraints if c.key in plan.relaxed
    }
    wants_more = any(b.field == "mid_salary" for b in boosts) or (FLOOR_WANTS_MORE and floor)
    return Wishes(boosts, core - excluded, strongest, wants_more)


def stream_fit(career: IndexedCareer, subjects: frozenset[str]) -> float:
    """The share of the career's subjects (at most three counted) that the stream studies."""
    if not subjects or not career.subjects:
        return 0.0
    used = sum(1 for s in career.subjects if s.casefold() in subjects)
    return min(1.0, used / min(3, len(career.subjects)))


def bonus(career: IndexedCareer, wish: Wishes, top_salary: int) -> float:
    total = prior(career)
    for boost in wish.boosts:
        if boost.field == "mid_salary":
            continue
        weight = MENTION_BONUS if boost.field == "id" else SOFT_BONUS
        total += weight * _satisfies(career, boost)
    if wish.wants_more_pay and top_salary:
        total += SALARY_BONUS * career.mid_salary / top_salary
    total += STREAM_FIT_BONUS * stream_fit(career, wish.stream_subjects)
    for param, best in wish.strongest:
        if getattr(career, param) == best:
            total += SOFT_BONUS
    return total


def rerank(fused: list[Fused], careers: dict[str, IndexedCareer], plan: QueryPlan) -> list[Fused]:
    """The fused ranking with the prior and the soft bonuses added, best first."""
    if not fused:
        return fused
    wish = wishes(plan)
    if not FIT_IN_RERANK:
        wish = replace(wish, stream_subjects=frozenset(), strongest=())
        wish = replace(wish, wants_more_pay=any(b.field == "mid_salary" for b in wish.boosts))
    top_salary = max(careers[f.id].mid_salary for f in fused)
    head = _head_word(plan)
    scored = [
        replace(
            f,
            score=f.score
            + bonus(careers[f.id], wish, top_salary)
            + family_prior(careers[f.id], head),
        )
        for f in fused
    ]
    # a career the student ruled out ("not as a doctor") is still listed, last, not hidden;
    # its score stays what the search found
    ruled_out = plan.ruled_out
    return sorted(scored, key=lambda f: (f.id in ruled_out, -f.score))


def _head_word(plan: QueryPlan) -> str | None:
    """The one plain word a query is, when no career was named ("engineer", "analysts")."""
    words = plan.text.split()
    if len(words) != 1 or plan.mentions or not words[0].isalpha():
        return None
    return words[0]


def _name_head(name: str) -> str:
    base = re.sub(r"\s*\([^)]*\)", "", name).strip().casefold()
    return base.rsplit(" ", 1)[-1] if base else ""


def family_prior(career: IndexedCareer, head: str | None) -> float:
    """A bare head word ("engineer") names a family of careers ("X Engineer") that its text
    matches about equally (the differences are field lengths); within the family the
    prominence prior decides, up to FAMILY_BOUND (Software Engineer before Telecom Engineer)."""
    if head is None or FAMILY_BOUND <= 0:
        return 0.0
    own = _name_head(career.name)
    if own != head and own + "s" != head:
        return 0.0
    return FAMILY_BOUND * (min(max(career.prominence, 1), 5) - 1) / 4


# Stream fit, narrowness, the strongest value and a salary floor also count when free text
# is left ("design careers for PCB students"), not only when browsing.
FIT_IN_RERANK = True


def browse_request(plan: QueryPlan) -> dict[str, Any]:
    """No free text left ("12th commerce without maths", "NEET"): the filtered careers, most
    prominent first, with the fields browse_rank reads (BROWSE_WINDOW of them at most)."""
    return {
        "size": BROWSE_WINDOW,
        "query": {"bool": {"filter": filter_clauses(plan.filters)}},
        "sort": [{"prominence": {"order": "desc", "missing": 3}}, {"name.keyword": "asc"}],
        "_source": {"includes": CANDIDATE_FIELDS},
        "track_total_hits": True,
    }


def browse_rank(careers: list[IndexedCareer], plan: QueryPlan) -> list[tuple[str, float]]:
    """The browsed careers scored by the same prior and bonuses as rerank, best first (ties:
    name). "high salary" sorts by pay first: the student asked for the best paid."""
    if not careers:
        return []
    wish = wishes(plan)
    top_salary = max(c.mid_salary for c in careers)
    by_pay = any(b.field == "mid_salary" for b in wish.boosts)
    ruled_out = plan.ruled_out
    scored = [(c, bonus(c, wish, top_salary)) for c in careers]
    scored.sort(
        key=lambda cs: (
            cs[0].id in ruled_out,
            -(cs[0].mid_salary if by_pay else 0),
            -cs[1],
            cs[0].name,
        )
    )
    return [(c.id, score) for c, score in scored]


# The value that satisfies a wish most ("work from home": Full before Partial).
STRONGEST: dict[str, str] = {
    "remote_work": "Full",
    "work_life_balance": "Excellent",
    "stress_level": "Low",
    "travel_required": "Rare",
}


# ---- what the response says ------------------------------------------------------------

Applied = Literal["filter", "boost", "relaxed", "noted"]
# Read but not shown: a state names where, and the catalogue is national.
_HIDDEN = frozenset({"state"})


def _applied(c: Constraint, plan: QueryPlan, boost_keys: set[str]) -> Applied:
    if c.key in plan.relaxed:
        return "relaxed"
    if c.hard or any(g.key == c.key for g in plan.groups):
        return "filter"
    if c.key in boost_keys or c.kind == "excluded_career":
        return "boost"  # ranked last: rerank and browse_rank
    return "noted"


def understood(plan: QueryPlan, names: dict[str, str] | None = None) -> Understood | None:
    """data.understood, or None when nothing was read from q. names: career ids to names, for
    the label of a named career."""
    reading = plan.reading
    if reading is None or not (reading.constraints or reading.corrections):
        return None
    boost_keys = {b.key for b in plan.boosts}
    names = names or {}
    constraints: list[UnderstoodConstraint] = []
    for c in reading.constraints:
        if c.kind in _HIDDEN:
            continue
        label = c.label
        if c.kind == "career" and str(c.value) in names:
            label = f"career: {names[str(c.value)]}"
        elif c.kind == "excluded_career" and str(c.value) in names:
            label = f"not: {names[str(c.value)]}"
        value = list(c.value) if isinstance(c.value, tuple) else c.value
        constraints.append(
            UnderstoodConstraint(
                key=c.key,
                kind=c.kind,
                value=value,
                label=label,
                words=c.span.text,
                applied=_applied(c, plan, boost_keys),
            )
        )
    message = None
    if plan.relaxed:
        relaxed = [c.label for c in reading.constraints if c.key in plan.relaxed]
        message = (
            f"No career matches {' and '.join(relaxed)} together with the rest of the search, "
            f"so {'they were' if len(relaxed) > 1 else 'it was'} relaxed: these results do "
            "not all satisfy it."
        )
    return Understood(
        text=plan.text,
        script=reading.script,
        constraints=constraints,
        corrections=[
            Correction(original=c.original, corrected=c.corrected) for c in reading.corrections
        ],
        relaxed=list(plan.relaxed),
        message=message,
    )
