"""Hybrid career search: BM25 + dense legs in one _msearch, fused, faceted, cached.

When OpenSearch is unreachable, slower than the deadline, or has no live index, the same
request is answered from PostgreSQL full-text search with meta.degraded = true.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError

from search_api.core.embeddings import Embedder
from search_api.core.errors import DependencyUnavailable, ValidationFailed
from search_api.core.metrics import CACHE_REQUESTS, DEGRADED_RESPONSES
from search_api.core.settings import Settings
from search_api.search.facets import (
    FACETS,
    Filters,
    count_facets,
    read_facet_aggregations,
    row_matches,
)
from search_api.search.fusion import Fused, reciprocal_rank, weighted_sum
from search_api.search.query import bm25_leg, dense_leg, facets_request, sorted_request
from search_api.search.repository import SearchRepository
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
    rrf_k: int = 60
    # Radial k-NN threshold as a cosine similarity. OpenSearch scores cosinesimil as (1+cos)/2.
    min_cosine: float = 0.2

    @property
    def min_score(self) -> float:
        return (1.0 + self.min_cosine) / 2.0


DEFAULT_FUSION = FusionConfig()


class IncompleteResults(Exception):
    """OpenSearch answered, but not from every shard: a node died while serving this search."""


# OpenSearch cannot answer (completely): down, too slow, shards lost, or no index behind the
# alias yet.
SEARCH_UNREACHABLE = (OpenSearchConnectionError, ConnectionTimeout, TimeoutError, IncompleteResults)
NO_LIVE_INDEX = (*SEARCH_UNREACHABLE, NotFoundError)
CACHE_PREFIX = "cc:search:v1:"
FALLBACK_INDEX = "postgres-fallback"


@dataclass
class SearchOutcome:
    data: SearchData
    index: str
    degraded: bool = False
    cached: bool = False
    timings: dict[str, float] = field(default_factory=dict)


class SearchState:
    """Per-app memo of catalogue-derived helpers, rebuilt when the live index changes."""

    def __init__(self) -> None:
        self.vocabulary: dict[str, Vocabulary] = {}
        self.exam_ids: dict[str, set[str]] = {}
        self.lock = asyncio.Lock()


def require_all_shards(response: dict[str, Any]) -> dict[str, Any]:
    shards = response.get("_shards") or {}
    if shards.get("failed"):
        raise IncompleteResults(f"{shards['failed']} of {shards.get('total')} shards failed")
    return response


def node_died_mid_search(exc: BaseException) -> bool:
    """A node killed while requests are in flight fails the phases it was running: a 5xx
    (node_not_connected) or a 200 with shards missing. The next request is routed to the
    surviving shard copies, so such a search is worth one more try."""
    if isinstance(exc, IncompleteResults):
        return True
    status = getattr(exc, "status_code", None)
    return isinstance(exc, TransportError) and isinstance(status, int) and status >= 500


def normalise_query(q: str) -> str:
    return " ".join(q.split())


def cache_key(kind: str, payload: dict[str, Any], index: str) -> str:
    material = json.dumps(
        {"kind": kind, "index": index, **payload}, sort_keys=True, ensure_ascii=False
    )
    return CACHE_PREFIX + hashlib.sha256(material.encode()).hexdigest()


def params_filters(params: SearchParams) -> Filters:
    return Filters(
        {f.param: tuple(sorted(set(getattr(params, f.param)))) for f in FACETS},
        params.salary_min,
        params.salary_max,
    )


def check_params(params: SearchParams) -> None:
    if (
        params.salary_min is not None
        and params.salary_max is not None
        and params.salary_min > params.salary_max
    ):
        raise ValidationFailed(
            "invalid request: salary_min, salary_max",
            [
                {
                    "field": "salary_min",
                    "location": "query",
                    "message": (
                        f"salary_min ({params.salary_min}) is greater than "
                        f"salary_max ({params.salary_max})"
                    ),
                }
            ],
        )


def _highlights(hit: dict[str, Any]) -> dict[str, list[str]]:
    return {k: list(v) for k, v in (hit.get("highlight") or {}).items()}


def _result(
    source: dict[str, Any], score: float, highlights: dict[str, list[str]], legs: list[str]
) -> SearchResult:
    return SearchResult(
        id=source["id"],
        name=source["name"],
        category=source["category"],
        score=round(score, 4),
        highlights=highlights,
        matched_by=legs,
        description=source["description"],
        streams=list(source["streams"]),
        entry_salary=source["entry_salary"],
        mid_salary=source["mid_salary"],
        senior_salary=source["senior_salary"],
        stress_level=source["stress_level"],
        work_life_balance=source["work_life_balance"],
        job_outlook=source["job_outlook"],
        remote_work=source["remote_work"],
    )


def fuse(
    bm25_hits: Sequence[dict[str, Any]],
    dense_hits: Sequence[dict[str, Any]],
    config: FusionConfig,
    mode: Mode = "hybrid",
) -> list[Fused]:
    bm25 = [(h["_id"], float(h["_score"])) for h in bm25_hits] if mode != "dense" else []
    # cosine similarity back from OpenSearch's (1 + cos) / 2
    dense = (
        [(h["_id"], 2.0 * float(h["_score"]) - 1.0) for h in dense_hits] if mode != "bm25" else []
    )
    if config.method == "rrf":
        return reciprocal_rank(bm25, dense, config.rrf_k, config.bm25_weight, config.dense_weight)
    return weighted_sum(
        bm25, dense, config.bm25_weight, config.dense_weight, dense_floor=config.min_cosine
    )


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
) -> SearchData:
    """The response body, the same whichever engine answered."""
    return SearchData(
        total=total,
        page=params.page,
        size=params.size,
        results=results,
        facets={k: [FacetCount(**c) for c in v] for k, v in facets.items()},
        suggestion=vocabulary.suggest(params.q) if params.q else None,
        zero_results=explain_zero(params, filters, without, unfiltered) if total == 0 else None,
    )


class SearchService:
    def __init__(
        self,
        settings: Settings,
        client: AsyncOpenSearch,
        cache: Redis,
        embedder: Embedder,
        repository: SearchRepository,
        state: SearchState,
        fusion: FusionConfig = DEFAULT_FUSION,
    ) -> None:
        self.settings = settings
        self.client = client
        self.cache = cache
        self.embedder = embedder
        self.repo = repository
        self.state = state
        self.fusion = fusion

    # ---- helpers shared with recommendations -------------------------------------------

    async def live_index(self) -> str:
        aliases = await asyncio.wait_for(
            self.client.indices.get_alias(name=self.settings.opensearch_alias),
            self.settings.search_timeout_seconds,
        )
        return str(sorted(aliases)[-1])

    async def cache_get(self, key: str) -> dict[str, Any] | None:
        try:
            raw = await self.cache.get(key)
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("cache read failed: %s", exc)
            return None
        CACHE_REQUESTS.labels(result="miss" if raw is None else "hit").inc()
        if raw is None:
            return None
        loaded: dict[str, Any] = json.loads(raw)
        return loaded

    async def cache_set(self, key: str, value: dict[str, Any]) -> None:
        try:
            await self.cache.set(
                key, json.dumps(value, ensure_ascii=False), ex=self.settings.cache_ttl_seconds
            )
        except (RedisError, OSError, TimeoutError) as exc:
            log.warning("cache write failed: %s", exc)

    async def vocabulary(self, index: str) -> Vocabulary:
        """Did-you-mean words, read from Postgres once per live index. Without Postgres there
        are simply no suggestions; the search itself still answers."""
        if index not in self.state.vocabulary:
            async with self.state.lock:
                if index not in self.state.vocabulary:
                    try:
                        texts = await self.repo.vocabulary_texts()
                    except (DBAPIError, OSError) as exc:
                        log.warning("no did-you-mean vocabulary: %s", exc)
                        await self.repo.session.rollback()
                        return Vocabulary([])
                    self.state.vocabulary = {index: Vocabulary(texts)}
        return self.state.vocabulary[index]

    async def check_exams(self, exams: Sequence[str], index: str) -> None:
        if not exams:
            return
        if index not in self.state.exam_ids:
            try:
                self.state.exam_ids = {index: await self.repo.exam_ids()}
            except (DBAPIError, OSError) as exc:
                # Cannot check: an unknown id then just matches nothing, which is still safe.
                log.warning("exam ids unavailable: %s", exc)
                await self.repo.session.rollback()
                return
        unknown = sorted(set(exams) - self.state.exam_ids[index])
        if unknown:
            raise ValidationFailed(
                "invalid request: exam",
                [
                    {
                        "field": "exam",
                        "location": "query",
                        "message": f"unknown exam id(s): {', '.join(unknown)}",
                    }
                ],
            )

    # ---- search ---------------------------------------------------------------------------

    async def search(
        self, params: SearchParams, *, use_cache: bool = True, mode: Mode = "hybrid"
    ) -> SearchOutcome:
        check_params(params)
        params = params.model_copy(update={"q": normalise_query(params.q)})
        try:
            index = await self.live_index()
        except NO_LIVE_INDEX as exc:
            log.warning("search falling back to postgres: %s", exc)
            return await self.fallback(params)

        await self.check_exams(params.exam, index)
        payload = {**params.model_dump(mode="json"), "q": params.q.lower(), "mode": mode}
        key = cache_key("search", payload, index)
        if use_cache and (hit := await self.cache_get(key)) is not None:
            return SearchOutcome(SearchData.model_validate(hit), index, cached=True)
        try:
            try:
                outcome = await asyncio.wait_for(
                    self._search_opensearch(params, index, mode),
                    self.settings.search_timeout_seconds,
                )
            except (IncompleteResults, TransportError) as exc:
                if not node_died_mid_search(exc):
                    raise
                log.warning("search retried after a node failure: %s", exc)
                outcome = await asyncio.wait_for(
                    self._search_opensearch(params, index, mode),
                    self.settings.search_timeout_seconds,
                )
        except SEARCH_UNREACHABLE as exc:
            log.warning("search falling back to postgres: %s", exc)
            return await self.fallback(params)
        if use_cache:
            await self.cache_set(key, outcome.data.model_dump(mode="json"))
        return outcome

    async def _search_opensearch(
        self, params: SearchParams, index: str, mode: Mode
    ) -> SearchOutcome:
        timings: dict[str, float] = {}
        filters = params_filters(params)
        min_score = self.fusion.min_score
        relevance = bool(params.q) and params.sort == "relevance"
        offset = (params.page - 1) * params.size
        # Each leg returns at least 50 hits (k-NN "k"), and enough to cover the page asked for;
        # relevance ranking stops at the top 1,000.
        window = min(max(offset + params.size, 50), 1000)

        # The BM25 leg needs no vector: send it first and embed the query while it runs.
        bm25_task = None
        if relevance and mode != "dense":
            bm25_task = asyncio.ensure_future(
                self.client.search(index=index, body=bm25_leg(params.q, filters, window))
            )
        try:
            vector: list[float] | None = None
            if params.q and mode != "bm25":
                started = time.perf_counter()
                vector = await self.embedder.aencode_query(params.q)
                timings["embed"] = (time.perf_counter() - started) * 1000
            bodies: list[dict[str, Any]] = []
            if relevance:
                if vector is not None:
                    bodies.append(dense_leg(vector, min_score, filters, window))
            else:
                bodies.append(
                    sorted_request(
                        params.q, vector, min_score, filters, params.sort, offset, params.size
                    )
                )
            bodies.append(facets_request(params.q, vector, min_score, filters))
            started = time.perf_counter()
            responses = await self.msearch(index, bodies)
            bm25_response = require_all_shards(await bm25_task) if bm25_task is not None else None
            timings["search"] = (time.perf_counter() - started) * 1000
        finally:
            if bm25_task is not None and not bm25_task.done():
                bm25_task.cancel()

        facets_raw, without, total = read_facet_aggregations(responses[-1]["aggregations"])
        unfiltered = int(responses[-1]["hits"]["total"]["value"])
        if relevance:
            bm25_hits = bm25_response["hits"]["hits"] if bm25_response is not None else []
            dense_hits = responses[0]["hits"]["hits"] if vector is not None else []
            by_id = {h["_id"]: h for h in [*dense_hits, *bm25_hits]}
            fused = fuse(bm25_hits, dense_hits, self.fusion, mode)
            results = [
                _result(by_id[f.id]["_source"], f.score, _highlights(by_id[f.id]), f.legs)
                for f in fused[offset : offset + params.size]
            ]
        else:
            results = [
                _result(
                    h["_source"],
                    float(h["_score"] or 0.0),
                    _highlights(h),
                    ["match"] if params.q else ["browse"],
                )
                for h in responses[0]["hits"]["hits"]
            ]
        vocabulary = await self.vocabulary(index)
        data = search_data(
            params, filters, results, facets_raw, without, total, unfiltered, vocabulary
        )
        return SearchOutcome(data, index, timings=timings)

    async def msearch(self, index: str, bodies: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        lines: list[dict[str, Any]] = []
        for body in bodies:
            lines.append({"index": index})
            lines.append(body)
        response = await self.client.msearch(body=lines)
        out: list[dict[str, Any]] = []
        for item in response["responses"]:
            if "error" in item:
                raise TransportError(
                    int(item.get("status", 500)), "msearch item failed", item["error"]
                )
            out.append(require_all_shards(item))
        return out

    # ---- Postgres fallback ----------------------------------------------------------------

    async def fallback(self, params: SearchParams) -> SearchOutcome:
        DEGRADED_RESPONSES.labels(dependency="opensearch").inc()
        filters = params_filters(params)
        try:
            rows = await self.repo.fallback_candidates(params.q)
        except (DBAPIError, OSError) as exc:
            raise DependencyUnavailable(
                "SEARCH_UNAVAILABLE",
                "search is unavailable: OpenSearch and PostgreSQL are both down",
            ) from exc
        await self.check_exams(params.exam, FALLBACK_INDEX)
        vocabulary = await self.vocabulary(FALLBACK_INDEX)
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
            _result(r, float(r["rank"]) / top, {}, ["postgres"])
            for r in matched[offset : offset + params.size]
        ]
        data = search_data(
            params, filters, results, facets_raw, without, total, len(rows), vocabulary
        )
        return SearchOutcome(data, FALLBACK_INDEX, degraded=True)
