"""Hybrid career search: BM25 + dense legs, fused, faceted, cached.

When OpenSearch is unreachable, slower than the deadline, or has no live index, the same
request is answered from PostgreSQL full-text search with meta.degraded = true.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from sqlalchemy.exc import DBAPIError

from search_api.careers.repository import CatalogueRepository
from search_api.core.cache import ResponseCache, cache_key
from search_api.core.clients import open_clients
from search_api.core.embeddings import Embedder
from search_api.core.errors import DependencyUnavailable, Location, ValidationFailed, listed
from search_api.core.metrics import DEGRADED_RESPONSES
from search_api.core.settings import Settings
from search_api.profiles.schemas import FitProfile
from search_api.search.facets import (
    FACETS,
    Filters,
    count_facets,
    read_facet_aggregations,
    row_matches,
)
from search_api.search.fusion import (
    NAMES,
    SENTENCES,
    Fused,
    QueryShape,
    query_shape,
    reciprocal_rank,
    weighted_sum,
)
from search_api.search.index import (
    NO_ANSWER,
    CareerHit,
    CareerIndex,
    IndexedCareer,
    NodeFailure,
    read_outcome,
)
from search_api.search.memo import CatalogueMemo
from search_api.search.personalise import (
    FitCatalogue,
    load_fit_catalogue,
    personalised_search,
)
from search_api.search.planning import (
    QueryPlan,
    browse_rank,
    browse_request,
    extend_bm25,
    plan_query,
    relax,
    rerank,
    typo_rules,
    understood,
)
from search_api.search.query import (
    DESCRIPTION_CLAUSE,
    bm25_leg,
    dense_leg,
    facets_request,
    page_request,
    sorted_request,
)
from search_api.search.schemas import (
    FacetCount,
    Relaxation,
    SearchData,
    SearchParams,
    SearchResult,
    ZeroResults,
)
from search_api.search.suggest import Vocabulary

log = logging.getLogger("search_api.search")

FusionMethod = Literal["weighted", "rrf"]
Mode = Literal["hybrid", "bm25", "dense"]


@dataclass(frozen=True)
class FusionConfig:
    """How the two legs are combined. The shipped values come from scripts/eval_relevance.py
    --grid on the 144 judged queries (tests/relevance/judgments.yaml):

    - min-max weighted sum beat RRF at each one's best setting: hit@5 0.986 vs 0.979, MRR
      0.913 vs 0.902. RRF throws away how far ahead the top BM25 hit is, which is exactly
      what separates an exact name or alias match from the rest.
    - BM25 0.6 / dense 0.4: BM25 owns names, aliases, abbreviations and exam names (dense
      hit@5 on exam names is 0.28); dense rescues loose phrases. 0.5/0.5 lost hit@5
      (0.979), 0.7/0.3 lost interest phrases.
    - cosine >= 0.20 for the radial dense leg: 0.15 scores the same (hit@5 0.986) but lets
      more unrelated careers in; 0.10 hurt typo and exam queries, 0.25-0.30 dropped the
      dense leg for loose phrases (interest hit@5 0.969 and below).
    """

    method: FusionMethod = "weighted"
    bm25_weight: float = 0.6
    dense_weight: float = 0.4
    # BM25 weight per query shape (search.fusion.query_shape), the dense weight being 1 minus
    # it; a shape not listed gets bm25_weight. Empty: one weight for every query.
    shape_weights: Mapping[QueryShape, float] = field(default_factory=dict)
    rrf_k: int = 60
    # Radial k-NN threshold as a cosine similarity. OpenSearch scores cosinesimil as (1+cos)/2.
    min_cosine: float = 0.2
    # The cosine from which a neighbour counts (total, facets, field-sorted results) without
    # a plausible text match (query.PLAUSIBLE_MATCH).
    count_cosine: float = 0.2
    # Rank only counted careers: the BM25 leg keeps plausible text matches, the dense leg
    # neighbours from count_cosine. Then every result shown is one of `total`.
    rank_counted_only: bool = False
    # The BM25 weight for a sentence that no description among the BM25 leg's first
    # QUOTE_DEPTH hits holds most of (query.DESCRIPTION_CLAUSE did not match): its words are
    # spread over many careers' text and the meaning is the dense leg's to find. None: the
    # shape's weight. Chosen on the tune halves from 0.4 and 0.25 (see DEFAULT_FUSION).
    unquoted_sentence_bm25: float | None = None

    @property
    def min_score(self) -> float:
        return (1.0 + self.min_cosine) / 2.0

    @property
    def count_min_score(self) -> float:
        return (1.0 + self.count_cosine) / 2.0

    def weights(self, shape: QueryShape | None, quoted: bool = True) -> tuple[float, float]:
        """(BM25, dense) for a query of this shape; quoted: whether a description holds most
        of it (see unquoted_sentence_bm25)."""
        if not quoted and shape in SENTENCES and self.unquoted_sentence_bm25 is not None:
            return self.unquoted_sentence_bm25, round(1.0 - self.unquoted_sentence_bm25, 6)
        if shape is not None and shape in self.shape_weights:
            bm25 = self.shape_weights[shape]
            return bm25, round(1.0 - bm25, 6)
        return self.bm25_weight, self.dense_weight


# Per-shape weights chosen by scripts/tune_fusion.py sweep on the tune halves (the 453
# queries over our 335 careers, 100 of the scale set's tune half) did not hold on the 335
# test half (hit@5 0.707 against 0.724 with one weight), so one weight stays for every
# shape; what changes with the shape is the BM25 leg (query.sentence_query). The sentence
# clause at 0.6/0.4: scale tune description hit@5 0.75 -> 0.95, 335 test hit@5 unchanged.
SHAPE_WEIGHTS: dict[QueryShape, float] = {}
# count_cosine 0.25: of the thresholds swept on the 335 tune half, the highest that keeps the
# best answer counted within 0.05 of 0.20 (0.765 vs 0.814); median total 43 -> 11 there,
# precision of the counted set 0.13 -> 0.26. Ranking only counted careers cost 335 tune
# MRR at every threshold (0.710 -> 0.698 at 0.25), so results are not restricted.
# unquoted_sentence_bm25 0.25: scale tune task hit@5 0.267 -> 0.317 (0.300 at 0.4), all MRR
# 0.545 -> 0.547 (student hit@1 0.225 -> 0.200, 0.4 kept it), 335 tune interest hit@1 0.880
# -> 0.920 at either.
DEFAULT_FUSION = FusionConfig(
    shape_weights=SHAPE_WEIGHTS, count_cosine=0.25, unquoted_sentence_bm25=0.25
)
# How many of the BM25 leg's first hits may show that a description holds the sentence.
QUOTE_DEPTH = 5
FALLBACK_INDEX = "postgres-fallback"
# A did-you-mean must name one of the first few results (suggest.Vocabulary.suggest).
SUGGEST_FROM = 5


@dataclass
class SearchOutcome:
    data: SearchData
    index: str
    degraded: bool = False
    cached: bool = False


def normalise_query(q: str) -> str:
    return " ".join(q.split())


def params_filters(params: SearchParams) -> Filters:
    return Filters(
        {f.param: tuple(sorted(set(getattr(params, f.param)))) for f in FACETS},
        params.salary_min,
        params.salary_max,
        also=params._constraints,  # a profile's hard constraints (search/personalise.py)
    )


def answer_version(index: str, counter: str | None) -> tuple[str, bool]:
    """SearchService.catalogue_state from the version counter Redis gave (None: unknown)."""
    return f"{index}@{counter or '-'}", counter is not None


def check_params(params: SearchParams) -> None:
    if (
        params.salary_min is not None
        and params.salary_max is not None
        and params.salary_min > params.salary_max
    ):
        raise ValidationFailed.field(
            "salary_min",
            "query",
            f"salary_min ({params.salary_min}) is greater than salary_max ({params.salary_max})",
        )


def to_result(
    career: IndexedCareer, score: float, highlights: dict[str, list[str]], legs: list[str]
) -> SearchResult:
    return SearchResult(
        id=career.id,
        name=career.name,
        hindi_name=career.hindi_name,
        category=career.category,
        score=round(score, 4),
        highlights=highlights,
        matched_by=legs,
        description=career.description,
        streams=list(career.streams),
        entry_salary=career.entry_salary,
        mid_salary=career.mid_salary,
        senior_salary=career.senior_salary,
        stress_level=career.stress_level,
        work_life_balance=career.work_life_balance,
        job_outlook=career.job_outlook,
        remote_work=career.remote_work,
    )


def fuse(
    bm25_hits: Sequence[CareerHit],
    dense_hits: Sequence[CareerHit],
    config: FusionConfig,
    mode: Mode = "hybrid",
    shape: QueryShape | None = None,
) -> list[Fused]:
    bm25 = [(h.id, h.score) for h in bm25_hits] if mode != "dense" else []
    # cosine similarity back from OpenSearch's (1 + cos) / 2
    dense = [(h.id, 2.0 * h.score - 1.0) for h in dense_hits] if mode != "bm25" else []
    if config.method == "rrf":
        return reciprocal_rank(bm25, dense, config.rrf_k, config.bm25_weight, config.dense_weight)
    quoted = any(DESCRIPTION_CLAUSE in h.matched for h in bm25_hits[:QUOTE_DEPTH])
    bm25_weight, dense_weight = config.weights(shape, quoted)
    return weighted_sum(bm25, dense, bm25_weight, dense_weight, dense_floor=config.min_cosine)


def explain_zero(
    params: SearchParams, filters: Filters, without: dict[str, int], unfiltered: int
) -> ZeroResults:
    active = filters.active()
    if active and unfiltered > 0:
        relaxations = sorted(
            (
                Relaxation(
                    parameter=name, value=filters.describe(name), results_without_it=without[name]
                )
                for name in active
            ),
            key=lambda r: -r.results_without_it,
        )
        helpful = [r for r in relaxations if r.results_without_it > 0]
        if helpful:
            best = helpful[0]
            message = (
                f"No careers match every filter. Removing {best.parameter} would give "
                f"{best.results_without_it} result(s)."
            )
        else:
            message = (
                f"No careers match this combination of filters; without any filter there are "
                f"{unfiltered} result(s)."
            )
        return ZeroResults(reason="filters", message=message, relaxations=relaxations)
    text = normalise_query(params.q)
    return ZeroResults(
        reason="query", message=f"No career in the catalogue matches {text!r}.", relaxations=[]
    )


def search_data(
    params: SearchParams,
    filters: Filters,
    results: list[SearchResult],
    facets: dict[str, list[dict[str, Any]]],
    without: dict[str, int],
    total: int,
    unfiltered: int,
    vocabulary: Vocabulary,
    found: Sequence[str],
) -> SearchData:
    """The response body, the same whichever engine answered. found: the names and aliases
    of the first results, which a did-you-mean must name (suggest.Vocabulary.suggest)."""
    return SearchData(
        total=total,
        page=params.page,
        size=params.size,
        results=results,
        facets={k: [FacetCount(**c) for c in v] for k, v in facets.items()},
        suggestion=vocabulary.suggest(params.q, found) if params.q else None,
        zero_results=explain_zero(params, filters, without, unfiltered) if total == 0 else None,
    )


def fusion_for(metadata: Mapping[str, Any]) -> FusionConfig:
    """DEFAULT_FUSION, with the BM25 weight for names and phrases that an adapted model
    (indexer/adapt.py) was measured with: its dense leg is stronger, so BM25 weighs less."""
    weight = (metadata.get("fusion") or {}).get("names_bm25_weight")
    if weight is None:
        return DEFAULT_FUSION
    return replace(
        DEFAULT_FUSION,
        shape_weights={**DEFAULT_FUSION.shape_weights, **dict.fromkeys(NAMES, float(weight))},
    )


class SearchService:
    def __init__(
        self,
        index: CareerIndex,
        cache: ResponseCache,
        embedder: Embedder,
        catalogue: CatalogueRepository,
        memo: CatalogueMemo,
        deadline_seconds: float,
        fusion: FusionConfig | None = None,
    ) -> None:
        """fusion: by default the shipped one, as the embedding model wants it (fusion_for)."""
        self.index = index
        self.cache = cache
        self.embedder = embedder
        self.catalogue = catalogue
        self.memo = memo
        self.deadline_seconds = deadline_seconds
        self.fusion = fusion or fusion_for(embedder.metadata)

    async def check_filters(self, params: SearchParams, version: str) -> None:
        """Exam ids and category names are catalogue data: unknown ones are a 422, like an
        unknown stream. When Postgres cannot say, an unknown value just matches nothing."""
        problems: list[tuple[str, Location | None, str]] = []
        if params.exam:
            known = await self.memo.exam_ids(version, self.catalogue)
            unknown = sorted(set(params.exam) - known) if known is not None else []
            if unknown:
                problems.append(("exam", "query", f"unknown exam id(s): {listed(unknown)}"))
        if params.category:
            names = await self.memo.category_names(version, self.catalogue)
            unknown = sorted(set(params.category) - names) if names is not None else []
            if unknown:
                problems.append(("category", "query", f"unknown category: {listed(unknown)}"))
        if problems:
            raise ValidationFailed.many(problems)

    async def search(
        self,
        params: SearchParams,
        *,
        use_cache: bool = True,
        mode: Mode = "hybrid",
        profile: FitProfile | None = None,
    ) -> SearchOutcome:
        if profile is not None:
            # personalisation is its own step after retrieval (search/personalise.py)
            return await personalised_search(self, params, profile, use_cache=use_cache, mode=mode)
        check_params(params)
        params = params.model_copy(update={"q": normalise_query(params.q)})
        try:
            index, version, cacheable = await self.live_state()
        except NO_ANSWER as exc:
            log.warning("search falling back to postgres: %s", exc)
            return await self.fallback(params)
        use_cache = use_cache and cacheable
        await self.check_filters(params, version)
        # Outside the deadline below: a cancelled statement would leave the session unusable
        # for the PostgreSQL fallback that follows a timeout.
        vocabulary = await self.memo.vocabulary(version, self.catalogue)
        await self.memo.lexicon(index, self.catalogue)  # built once per index, off the deadline
        payload = {**params.model_dump(mode="json"), "q": params.q.lower(), "mode": mode}
        key = cache_key("search", payload, version)
        if use_cache and (hit := await self.cache.get(key)) is not None:
            return SearchOutcome(SearchData.model_validate(hit), index, cached=True)

        async def answer() -> SearchOutcome:
            # under the deadline: a hung OpenSearch must not be waited for twice
            known = await self.known_careers(index, version) if cacheable else None
            return await self._search_opensearch(params, index, mode, vocabulary, known)

        try:
            try:
                outcome = await asyncio.wait_for(answer(), self.deadline_seconds)
            except NodeFailure as exc:
                log.warning("search retried after a node failure: %s", exc)
                outcome = await asyncio.wait_for(answer(), self.deadline_seconds)
        except NO_ANSWER as exc:
            log.warning("search falling back to postgres: %s", exc)
            return await self.fallback(params)
        if use_cache:
            self.cache.set_soon(key, outcome.data.model_dump(mode="json"))
        return outcome

    async def fit_catalogue(self, index: str, version: str) -> FitCatalogue:
        """Every career of this index version as personalisation reads it, read from the
        index once (CatalogueMemo.fit_catalogue); a failed read raises."""
        return await self.memo.fit_catalogue(version, lambda: load_fit_catalogue(self.index, index))

    async def known_careers(self, index: str, version: str) -> Mapping[str, IndexedCareer] | None:
        """Every career of this index version, read from the index once (the catalogue
        personalisation reads, CatalogueMemo.fit_catalogue), so the legs and the page ask for
        ids, scores and highlights only. Only with a known version (Redis up): the sync step
        advances it after each change it applies, and a document indexed in between is
        fetched by id (CareerIndex._complete). None when the index cannot be read now: the
        legs then carry their fields as before."""
        try:
            catalogue = await self.fit_catalogue(index, version)
        except NO_ANSWER as exc:
            log.warning("careers not read from the index: %s", exc)
            return None
        return catalogue.careers

    async def catalogue_state(self, index: str) -> tuple[str, bool]:
        """-> (what an answer is computed from: the index and the catalogue version the sync
        step advances, whether answers may be cached). Without the version (Redis down) the
        cache is skipped: an entry could predate a synced change."""
        return answer_version(index, await self.cache.catalogue_version(self.index.alias))

    async def live_state(self) -> tuple[str, str, bool]:
        """-> (the live index, catalogue_state of it). The alias and the version are read at
        the same time: one round trip less before every search. Raises what live_index
        raises (the version read, which never raises, is then left to finish)."""
        index, counter = await asyncio.gather(
            self.index.live_index(), self.cache.catalogue_version(self.index.alias)
        )
        return index, *answer_version(index, counter)

    async def _search_opensearch(
        self,
        params: SearchParams,
        index: str,
        mode: Mode,
        vocabulary: Vocabulary,
        known: Mapping[str, IndexedCareer] | None = None,
    ) -> SearchOutcome:
        """OpenSearch only (run under a deadline): no PostgreSQL statement in here (the
        lexicon was built before the deadline). Understand q (search/planning.py), search, and
        relax understood hard constraints one by one, last typed first, while nothing matches."""
        lexicon = await self.memo.lexicon(index, self.catalogue)
        plan: QueryPlan | None = plan_query(params, params_filters(params), lexicon)
        while True:
            assert plan is not None
            outcome = await self._search_planned(params, index, mode, plan, vocabulary, known)
            relaxed = relax(plan) if outcome.data.total == 0 else None
            if relaxed is None:
                names = lexicon.career_names if lexicon is not None else None
                outcome.data.understood = understood(plan, names)
                return outcome
            plan = relaxed

    async def _search_planned(
        self,
        params: SearchParams,
        index: str,
        mode: Mode,
        plan: QueryPlan,
        vocabulary: Vocabulary,
        known: Mapping[str, IndexedCareer] | None = None,
    ) -> SearchOutcome:
        filters = plan.filters
        # text decides what counts (total, facets); rank_text what ranks (planning.QueryPlan)
        text = plan.rank_text
        min_score = self.fusion.min_score
        count_min_score = self.fusion.count_min_score
        relevance = bool(text) and params.sort == "relevance"
        browsing = not relevance and plan.browse and params.sort == "relevance"
        offset = (params.page - 1) * params.size
        # Each leg returns at least 50 hits (k-NN "k"), and enough to cover the page asked for;
        # relevance ranking stops at the top 1,000.
        window = min(max(offset + params.size, 50), 1000)

        # The query's shape picks the BM25 leg's clauses and the fusion weights (the vocabulary
        # was read before the deadline, for this catalogue version).
        shape = query_shape(text, vocabulary)
        # The BM25 leg needs no vector: send it first and embed the query while it runs.
        bm25_task = None
        if relevance and mode != "dense":
            bm25_task = asyncio.ensure_future(
                self.index.search(
                    index,
                    extend_bm25(
                        typo_rules(
                            bm25_leg(
                                text,
                                filters,
                                window,
                                shape,
                                self.fusion.rank_counted_only,
                                vocabulary.known,
                                source=known is None,
                            )
                        ),
                        plan,
                        params.q,
                    ),
                    known,
                )
            )
            # When the other leg fails first, this one's outcome is never awaited.
            bm25_task.add_done_callback(read_outcome)
        try:
            vector: list[float] | None = None
            if text and mode != "bm25":
                vector = await self.embedder.aencode_query(text)
            bodies: list[dict[str, Any]] = []
            if relevance:
                if vector is not None:
                    radius = count_min_score if self.fusion.rank_counted_only else min_score
                    bodies.append(dense_leg(vector, radius, filters, window, known is None))
            elif browsing:
                bodies.append(browse_request(plan))
            else:
                bodies.append(
                    sorted_request(
                        plan.text,
                        vector if plan.text == text else None,
                        count_min_score,
                        filters,
                        params.sort,
                        offset,
                        params.size,
                        shape,
                        vocabulary.known,
                    )
                )
            count_vector = vector if plan.text == text else None
            bodies.append(
                facets_request(
                    plan.text, count_vector, count_min_score, filters, shape, vocabulary.known
                )
            )
            responses = await self.index.msearch(index, bodies, known)
            bm25_response = await bm25_task if bm25_task is not None else None
        finally:
            if bm25_task is not None:
                bm25_task.cancel()

        facets = responses[-1]
        facets_raw, without, total = read_facet_aggregations(facets.aggregations)
        if relevance:
            bm25_hits = bm25_response.hits if bm25_response is not None else []
            dense_hits = responses[0].hits if vector is not None else []
            by_id = {h.id: h for h in [*dense_hits, *bm25_hits]}
            fused = fuse(bm25_hits, dense_hits, self.fusion, mode, shape)
            fused = rerank(fused, {i: h.career for i, h in by_id.items()}, plan)
            # the legs' hits hold the fields ranking reads (query.CANDIDATE_FIELDS, or the
            # known careers); the page's highlights (and, without known, documents) come now
            shown = fused[offset : offset + params.size]
            page = await self.page_hits(index, [f.id for f in shown], text, known)
            results = [
                to_result(page[f.id].career, f.score, page[f.id].highlights, f.legs)
                for f in shown
                if f.id in page
            ]
            first = [by_id[f.id].career for f in fused[:SUGGEST_FROM]]
            # The ranked list may reach past the counted (plausible) set; a page never shows
            # more results than the total it states.
            total = max(total, offset + len(results))
        elif browsing:
            # ranked here on the candidates' fields (planning.browse_rank); then the page's
            # full documents
            ranked = browse_rank([h.career for h in responses[0].hits], plan)
            scored = ranked[offset : offset + params.size]
            page = await self.page_hits(index, [cid for cid, _ in scored], "", known)
            results = [
                to_result(page[cid].career, score, {}, ["browse"])
                for cid, score in scored
                if cid in page
            ]
            first = [page[cid].career for cid, _ in scored[:SUGGEST_FROM] if cid in page]
        else:
            results = [
                to_result(h.career, h.score, h.highlights, ["match"] if text else ["browse"])
                for h in responses[0].hits
            ]
            first = [h.career for h in responses[0].hits[:SUGGEST_FROM]]
        found = [text for career in first for text in (career.name, *career.aliases)]
        data = search_data(
            params, filters, results, facets_raw, without, total, facets.total, vocabulary, found
        )
        return SearchOutcome(data, index)

    async def page_hits(
        self,
        index: str,
        ids: list[str],
        q: str = "",
        known: Mapping[str, IndexedCareer] | None = None,
    ) -> dict[str, CareerHit]:
        """One page's full documents by id (highlighted for q); none for an empty page. With
        known, OpenSearch is asked for the highlights only, and without q not at all."""
        if not ids:
            return {}
        if known is not None and not q and all(i in known for i in ids):
            return {i: CareerHit(i, 0.0, known[i], {}) for i in ids}
        docs = await self.index.search(index, page_request(ids, q, known is None), known)
        return {h.id: h for h in docs.hits}

    # ---- Postgres fallback ----------------------------------------------------------------

    async def fallback(self, params: SearchParams) -> SearchOutcome:
        DEGRADED_RESPONSES.labels(dependency="opensearch").inc()
        lexicon = await self.memo.lexicon(FALLBACK_INDEX, self.catalogue)
        plan = plan_query(params, params_filters(params), lexicon)
        filters = plan.filters
        try:
            rows = await self.catalogue.fallback_candidates(plan.text)
        except (DBAPIError, OSError) as exc:
            raise DependencyUnavailable(
                "SEARCH_UNAVAILABLE",
                "search is unavailable: OpenSearch and PostgreSQL are both down",
            ) from exc
        version, _ = await self.catalogue_state(FALLBACK_INDEX)
        await self.check_filters(params, version)
        vocabulary = await self.memo.vocabulary(version, self.catalogue)
        facets_raw, without, total = count_facets(rows, filters)
        matched = [r for r in rows if row_matches(r, filters)]
        wanted = params.q.casefold()
        for r in matched:
            # full-text rank knows nothing of "this is the career's own name": add it.
            labels = {r["name"].casefold(), *(a.casefold() for a in r["aliases"])}
            r["rank"] = float(r["rank"]) + (1.0 if wanted in labels else 0.0)
        if params.q and params.sort == "relevance":
            matched.sort(key=lambda r: (-float(r["rank"]), r["name"]))
        elif params.sort == "salary_desc":
            matched.sort(key=lambda r: (-int(r["mid_salary"]), r["name"]))
        elif params.sort == "salary_asc":
            matched.sort(key=lambda r: (int(r["mid_salary"]), r["name"]))
        else:
            matched.sort(key=lambda r: r["name"])
        top = max((float(r["rank"]) for r in matched), default=0.0) or 1.0
        offset = (params.page - 1) * params.size
        results = [
            to_result(IndexedCareer.from_source(r), float(r["rank"]) / top, {}, ["postgres"])
            for r in matched[offset : offset + params.size]
        ]
        found = [
            text for r in matched[:SUGGEST_FROM] for text in (r["name"], *(r["aliases"] or []))
        ]
        data = search_data(
            params, filters, results, facets_raw, without, total, len(rows), vocabulary, found
        )
        data.understood = understood(plan, lexicon.career_names if lexicon is not None else None)
        return SearchOutcome(data, FALLBACK_INDEX, degraded=True)


@asynccontextmanager
async def standalone_search_service(
    settings: Settings, embedder: Embedder | None = None
) -> AsyncIterator[SearchService]:
    """The search service outside the API (evaluation, benchmarks), built the same way."""
    async with open_clients(settings, embedder=embedder) as clients:
        cache = ResponseCache(clients.redis, settings.cache_ttl_seconds)
        try:
            async with clients.sessionmaker() as session:
                yield SearchService(
                    CareerIndex(
                        clients.opensearch,
                        settings.opensearch_alias,
                        settings.search_timeout_seconds,
                    ),
                    cache,
                    clients.embedder,
                    CatalogueRepository(session),
                    CatalogueMemo(),
                    settings.search_timeout_seconds,
                )
        finally:
            await cache.drain()
