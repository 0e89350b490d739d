"""Personalised search: a step after retrieval, so retrieval (query.py, fusion.py and
SearchService._search_opensearch) does not change with it.

1. The profile's hard constraints (stream eligibility, salary floor, and the work preferences
   when the student made them strict) are added to the request as filters (Filters.also), so
   OpenSearch never returns a career the student ruled out, and the facet counts are counted
   within what the student can choose.
2. The top WINDOW hits by relevance are scored with the compatibility formula
   (profiles/scoring.py) and re-ranked by
       blended = (1 - BLEND_WEIGHT) * relevance / best relevance + BLEND_WEIGHT * fit
   Each hit carries `fit` {score, breakdown, reasons, relevance}; `score` is the blend.
   Field-sorted requests and browsing without a query keep their order (there is no
   relevance to blend with) and only gain the filters and `fit`.
3. The formula reads each career's subjects, interests and embedding. They are loaded from
   the index once per index version (CatalogueMemo.fit_catalogue), so personalising costs
   no extra OpenSearch round trip per request; read first, they spare the legs and the page
   their fields, as in an unpersonalised search (SearchService.known_careers).

Without a profile none of this runs and the answer is exactly the unpersonalised one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from search_api.core.cache import cache_key
from search_api.core.embeddings import Embedder
from search_api.profiles.constraints import hard_constraints, soft_preference_notes
from search_api.profiles.schemas import FitProfile
from search_api.profiles.scoring import score_career
from search_api.search.facets import Filters
from search_api.search.index import NO_ANSWER, CareerIndex, IndexedCareer
from search_api.search.schemas import Fit, FitBreakdown, SearchData, SearchParams, SearchResult

if TYPE_CHECKING:
    from search_api.search.service import Mode, SearchOutcome, SearchService

log = logging.getLogger("search_api.search")

# How many hits by relevance are re-ranked. 50 is what each retrieval leg returns for the
# first page anyway, so personalising page 1 costs OpenSearch nothing extra.
WINDOW = 50
# The weight of the compatibility formula in the blend, measured with
# `scripts/eval_relevance.py --personalised` (live index, 335 careers): 60 judged (query,
# profile) pairs in tests/relevance/personalised.yaml, chosen on the 30 "tune" pairs,
# reported on the 30 "test" pairs; "judged" = the 453 judged queries of judgments.yaml, each
# run with a profile of its best answer's stream (what must not get worse).
#
#                      tune hit@5 / MRR / NDCG   test hit@5 / MRR / NDCG   judged hit@5 / MRR / NDCG
#   no profile           0.733 / 0.560 / 0.483     0.800 / 0.564 / 0.455     0.735 / 0.663 / 0.601
#   w=0 (filters only)   0.733 / 0.595 / 0.507     0.800 / 0.569 / 0.459     0.746 / 0.670 / 0.607
#   w=0.3                0.900 / 0.757 / 0.705     1.000 / 0.822 / 0.708     0.746 / 0.673 / 0.611
#   w=0.5                1.000 / 0.868 / 0.814     1.000 / 0.933 / 0.823     0.757 / 0.678 / 0.609
#   w=0.6 (shipped)      1.000 / 0.933 / 0.881     1.000 / 0.950 / 0.856     0.755 / 0.678 / 0.605
#   w=0.7                1.000 / 0.933 / 0.902     1.000 / 1.000 / 0.910     0.746 / 0.665 / 0.590
#   w=0.8                1.000 / 0.983 / 0.932     1.000 / 0.983 / 0.912     0.695 / 0.553 / 0.510
#
# Rule: the best tune MRR among weights that keep the judged queries' hit@5 within 0.02 and
# their MRR and NDCG@10 within 0.01 of no profile. Above 0.6 the formula starts to outvote
# an exact name match (judged NDCG 0.590 at 0.7, hit@5 0.695 at 0.8). The earlier 144-query
# judged set chose the same weight (0.986 / 0.923 / 0.810 at 0.6 against 0.986 / 0.909 /
# 0.817 without a profile). Every result of every run was open to the profile's stream.
BLEND_WEIGHT = 0.6
PAGE_SIZE = 1000


@dataclass(frozen=True)
class FitCatalogue:
    """Every career as the formula reads it, and the unit embeddings as one matrix."""

    careers: dict[str, IndexedCareer]
    rows: dict[str, int]
    matrix: np.ndarray[Any, np.dtype[np.float32]]

    def semantic(
        self, vector: np.ndarray[Any, np.dtype[np.float32]] | None, career_id: str
    ) -> float | None:
        row = self.rows.get(career_id)
        if vector is None or row is None:
            return None
        return float(self.matrix[row] @ vector)


async def load_fit_catalogue(index: CareerIndex, version: str) -> FitCatalogue:
    careers: dict[str, IndexedCareer] = {}
    vectors: list[list[float]] = []
    rows: dict[str, int] = {}
    after: list[str] | None = None
    while True:
        body: dict[str, Any] = {
            "size": PAGE_SIZE,
            "query": {"match_all": {}},
            "sort": [{"id": "asc"}],
            "_source": {"excludes": ["content_hash"]},
        }
        if after is not None:
            body["search_after"] = after
        response = await index.search(version, body)
        for hit in response.hits:
            careers[hit.id] = hit.career
            if hit.career.embedding is not None:
                rows[hit.id] = len(vectors)
                vectors.append(hit.career.embedding)
        if len(response.hits) < PAGE_SIZE:
            break
        after = [response.hits[-1].id]
    dims = len(vectors[0]) if vectors else 0
    matrix = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), dims)
    return FitCatalogue(careers, rows, matrix)


def constraint_filters(profile: FitProfile) -> Filters | None:
    constraints = hard_constraints(profile)
    if not constraints:
        return None
    return Filters(dict(constraints.values), salary_min=constraints.salary_min)


async def interest_vector(
    embedder: Embedder, profile: FitProfile
) -> np.ndarray[Any, np.dtype[np.float32]] | None:
    """The same text recommendations embed, so a search and a recommendation agree."""
    if not profile.interests:
        return None
    vector = await embedder.aencode_query("Interests: " + ", ".join(profile.interests))
    return np.asarray(vector, dtype=np.float32)


def fit_for(
    profile: FitProfile, career: IndexedCareer, semantic: float | None, relevance: float
) -> Fit:
    score, breakdown, reasons = score_career(profile, career, semantic)
    reasons = [*reasons, *soft_preference_notes(profile.work_preferences, career)]
    return Fit(
        score=score, breakdown=FitBreakdown(**breakdown), reasons=reasons, relevance=relevance
    )


def blend(relevance: float, fit: float, weight: float) -> float:
    return (1.0 - weight) * relevance + weight * fit


def rerank(
    results: Sequence[SearchResult],
    profile: FitProfile,
    catalogue: FitCatalogue,
    vector: np.ndarray[Any, np.dtype[np.float32]] | None,
    weight: float,
    reorder: bool,
) -> list[SearchResult]:
    """Attach `fit` to each result; with reorder, sort by the blend (ties keep relevance
    order). A career missing from the catalogue (indexed since it was loaded) keeps its
    relevance and gets no fit."""
    best = max((r.score for r in results), default=0.0) or 1.0
    scored: list[tuple[float, int, SearchResult]] = []
    for position, result in enumerate(results):
        career = catalogue.careers.get(result.id)
        if career is None:
            scored.append((result.score / best, position, result))
            continue
        relevance = round(result.score / best, 4)
        fit = fit_for(profile, career, catalogue.semantic(vector, result.id), relevance)
        if reorder:
            ranking = round(blend(relevance, fit.score, weight), 4)
            scored.append(
                (ranking, position, result.model_copy(update={"score": ranking, "fit": fit}))
            )
        else:
            scored.append((0.0, position, result.model_copy(update={"fit": fit})))
    if reorder:
        scored.sort(key=lambda item: (-item[0], item[1]))
    return [result for _, _, result in scored]


def profile_material(profile: FitProfile) -> dict[str, Any]:
    """What of the profile changes an answer: part of the cache key."""
    return {
        "stream": profile.stream,
        "interests": list(profile.interests),
        "skills": list(profile.skills),
        "salary_min": profile.salary_min,
        "salary_max": profile.salary_max,
        "work_preferences": profile.work_preferences.model_dump(mode="json"),
    }


async def personalised_search(
    service: SearchService,
    params: SearchParams,
    profile: FitProfile,
    *,
    use_cache: bool,
    mode: Mode,
    weight: float = BLEND_WEIGHT,
) -> SearchOutcome:
    from search_api.search.service import SearchOutcome, check_params, normalise_query

    check_params(params)
    params = params.model_copy(update={"q": normalise_query(params.q)})
    params._constraints = constraint_filters(profile)
    try:
        index, version, cacheable = await service.live_state()
    except NO_ANSWER as exc:
        log.warning("search falling back to postgres: %s", exc)
        return await service.fallback(params)  # the filters apply there too, without `fit`
    use_cache = use_cache and cacheable
    await service.check_filters(params, version)
    vocabulary = await service.memo.vocabulary(version, service.catalogue)
    await service.memo.lexicon(index, service.catalogue)  # off the deadline, once per index
    payload = {
        **params.model_dump(mode="json"),
        "q": params.q.lower(),
        "mode": mode,
        "profile": profile_material(profile),
        "weight": weight,
    }
    key = cache_key("search-personal", payload, version)
    if use_cache and (hit := await service.cache.get(key)) is not None:
        return SearchOutcome(SearchData.model_validate(hit), index, cached=True)

    reorder = bool(params.q) and params.sort == "relevance"
    offset = (params.page - 1) * params.size
    retrieval = params
    if reorder:
        window = min(max(WINDOW, offset + params.size), 1000)
        retrieval = params.model_copy(update={"page": 1, "size": window})

    async def retrieve() -> tuple[SearchOutcome, FitCatalogue]:
        # the legs then ask for ids and scores only (SearchService.known_careers)
        catalogue = await service.fit_catalogue(index, version)
        known = catalogue.careers if cacheable else None
        outcome = await service._search_opensearch(retrieval, index, mode, vocabulary, known)
        return outcome, catalogue

    try:
        (outcome, catalogue), vector = await asyncio.wait_for(
            asyncio.gather(retrieve(), interest_vector(service.embedder, profile)),
            service.deadline_seconds,
        )
    except NO_ANSWER as exc:
        log.warning("search falling back to postgres: %s", exc)
        return await service.fallback(params)
    ranked = rerank(outcome.data.results, profile, catalogue, vector, weight, reorder)
    if reorder:
        ranked = ranked[offset : offset + params.size]
    data = outcome.data.model_copy(
        update={"results": ranked, "page": params.page, "size": params.size}
    )
    if use_cache:
        service.cache.set_soon(key, data.model_dump(mode="json"))
    return SearchOutcome(data, index)
