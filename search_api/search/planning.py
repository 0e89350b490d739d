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

from search_api.careers.records import STREAMS, eligible_streams
from search_api.search.facets import Filters, filter_clauses
from search_api.search.fusion import Fused
from search_api.search.index import IndexedCareer
from search_api.search.schemas import (
    Correction,
    SearchParams,
    Understood,
    UnderstoodConstraint,
)
from search_api.search.transliteration import has_devanagari
from search_api.search.understanding import Boost, Constraint, Lexicon, Understanding, understand

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

# Typo rules of the best engines: no edit under 4 letters, one from 4, two from 8.
FUZZINESS = "AUTO:4,8"
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
# Short acronyms must match exactly or through a synonym, never as a prefix of another word
# (CA is not "Cabin Crew", IAS is not "Iastic"): a last word this short gets no prefix clause.
SHORT = 3
# With no free text left, rank the filtered careers by every word of q (True) or browse them
# by the prior and the soft bonuses (False). Chosen on the tune half's constraint phrases.
RANK_BY_WORDS = False


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
        """Understood hard constraints still applied, in the order they were typed."""
        if self.reading is None:
            return ()
        keys = (c.key for c in self.reading.constraints if c.hard and c.key not in self.relaxed)
        return tuple(dict.fromkeys(keys))

    @property
    def mentions(self) -> tuple[str, ...]:
        return tuple(b.values[0] for b in self.boosts if b.field == "id" and b.values)


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
    understood = Filters(
        dict(plan.facets),
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
    rank_text = reading.search_text or (every.search_text if RANK_BY_WORDS else "")
    return QueryPlan(reading.search_text, filters, reading, base, relaxed, rank_text)


def relax(plan: QueryPlan) -> QueryPlan | None:
    """The plan without its last applied understood hard constraint; None when none is left."""
    keys = plan.hard_keys
    if plan.reading is None or not keys:
        return None
    return _planned(plan.reading, plan.base, (*plan.relaxed, keys[-1]))


# ---- the BM25 leg ----------------------------------------------------------------------


def typo_rules(body: dict[str, Any], text: str) -> dict[str, Any]:
    """Typo rules on a BM25 leg body built by search/query.py: FUZZINESS, no fuzzy numbers,
    no prefix match of a short last word. Changes the body in place and returns it."""
    must = body.get("query", {}).get("bool", {}).get("must") or []
    for clause in must:
        should = clause.get("bool", {}).get("should")
        if not isinstance(should, list):
            continue
        words = text.split()
        kept: list[dict[str, Any]] = []
        for inner in should:
            match = inner.get("multi_match")
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


def _satisfies(career: IndexedCareer, boost: Boost) -> bool:
    values = set(boost.values)
    if boost.field == "id":
        return career.id in values
    if boost.field == "category":
        return career.category in values
    if boost.field == "exam_ids":
        return bool(values.intersection(career.exam_ids))
    if boost.field == "subjects":
        return bool(values.intersection(career.subjects))
    if boost.field == "travel_required":
        return career.travel_required in values
    return False


def bonus(career: IndexedCareer, boosts: tuple[Boost, ...], top_salary: int) -> float:
    total = prior(career)
    for boost in boosts:
        if boost.field == "mid_salary":
            total += SALARY_BONUS * career.mid_salary / top_salary if top_salary else 0.0
        elif _satisfies(career, boost):
            total += MENTION_BONUS if boost.field == "id" else SOFT_BONUS
    return total


def rerank(fused: list[Fused], careers: dict[str, IndexedCareer], plan: QueryPlan) -> list[Fused]:
    """The fused ranking with the prior and the soft bonuses added, best first."""
    if not fused:
        return fused
    boosts = plan.boosts
    top_salary = max(careers[f.id].mid_salary for f in fused)
    scored = [replace(f, score=f.score + bonus(careers[f.id], boosts, top_salary)) for f in fused]
    return sorted(scored, key=lambda f: -f.score)


def browse_request(plan: QueryPlan, offset: int, size: int) -> dict[str, Any]:
    """No free text left ("12th commerce without maths"): the filtered careers, scored by the
    same prior and soft bonuses as rerank (sorted by pay first for "high salary")."""
    functions: list[dict[str, Any]] = [
        {
            "field_value_factor": {"field": "prominence", "missing": 3},
            "weight": PRIOR_BOUND / 4,
        }
    ]
    sort: list[Any] = []
    for boost in plan.boosts:
        if boost.field == "mid_salary":
            sort.append({"mid_salary": "desc"})
            continue
        weight = MENTION_BONUS if boost.field == "id" else SOFT_BONUS
        functions.append({"filter": {"terms": {boost.field: list(boost.values)}}, "weight": weight})
    functions.extend(_fit_functions(plan))
    return {
        "from": offset,
        "size": size,
        "query": {
            "function_score": {
                "query": {"bool": {"filter": filter_clauses(plan.filters)}},
                "functions": functions,
                "score_mode": "sum",
                "boost_mode": "replace",
            }
        },
        "sort": [*sort, "_score", {"name.keyword": "asc"}],
        "_source": {"excludes": ["embedding", "content_hash"]},
        "track_total_hits": True,
    }


# The value that satisfies a wish most ("work from home": Full before Partial).
STRONGEST: dict[str, str] = {
    "remote_work": "Full",
    "work_life_balance": "Excellent",
    "stress_level": "Low",
    "travel_required": "Rare",
}


def _fit_functions(plan: QueryPlan) -> list[dict[str, Any]]:
    """Browsing the careers a stream or a wish leaves: the ones made for it first. Up to
    SOFT_BONUS for a career open to few streams besides the one asked (Company Secretary
    before Chef for "commerce"), SOFT_BONUS for the strongest value of a wish."""
    if plan.reading is None:
        return []
    facets = plan.reading.plan().facets
    out: list[dict[str, Any]] = []
    streams = facets.get("stream", ())
    if streams and "stream" not in plan.relaxed:
        open_to = set(eligible_streams(streams))
        others = [s for s in STREAMS if s not in open_to]
        # the fewer other streams a career is open to, the more it is made for this one
        for other in others:
            narrower = {"bool": {"must_not": [{"term": {"streams": other}}]}}
            out.append({"filter": narrower, "weight": SOFT_BONUS / len(others)})
    for param, best in STRONGEST.items():
        values = facets.get(param, ())
        if best in values and len(values) > 1:
            out.append({"filter": {"term": {param: best}}, "weight": SOFT_BONUS})
    return out


# ---- what the response says ------------------------------------------------------------

Applied = Literal["filter", "boost", "relaxed", "noted"]
# Read but not shown: a state names where, and the catalogue is national.
_HIDDEN = frozenset({"state"})


def _applied(c: Constraint, plan: QueryPlan, boost_keys: set[str]) -> Applied:
    if c.key in plan.relaxed:
        return "relaxed"
    if c.hard:
        return "filter"
    if c.key in boost_keys:
        return "boost"
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
