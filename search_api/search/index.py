"""CareerIndex: the one owner of OpenSearch calls.

Search, recommendations, health, reindex, sync and the admin CLI all go through it. It resolves
the live alias, runs searches and bulk writes, manages the versioned indices behind the alias,
turns hits into typed objects and client exceptions into three typed errors:

- IndexUnavailable: OpenSearch could not be reached or did not answer in time.
- NoLiveIndex: OpenSearch answered, but the alias points at no index.
- IndexRequestFailed: OpenSearch refused a request (a bad query, a missing index, ...).

Query DSL is built elsewhere in search_api.search (query.py, facets.py); this class only sends it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from opensearchpy import AsyncOpenSearch
from opensearchpy.exceptions import ConnectionError as ClientConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, TransportError

from search_api.core.breaker import CircuitBreaker
from search_api.core.errors import DependencyUnavailable
from search_api.search.query import page_request


class IndexUnavailable(DependencyUnavailable):
    """OpenSearch is down or too slow. Unhandled, it answers 503 SEARCH_UNAVAILABLE."""

    def __init__(self, message: str) -> None:
        super().__init__("SEARCH_UNAVAILABLE", f"the search engine is unavailable: {message}")


class NoLiveIndex(DependencyUnavailable):
    """The alias points at no index yet (never built, or deleted by hand)."""

    def __init__(self, message: str) -> None:
        super().__init__("SEARCH_INDEX_MISSING", f"the search index is not built: {message}")


class NodeFailure(IndexUnavailable):
    """A node died while serving the request: a 5xx from a lost node, or an answer with shards
    missing. The next attempt is routed to the surviving shard copies, so it is worth one
    retry (search does that) before falling back."""


class IndexRequestFailed(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"OpenSearch refused the request ({status}): {reason}")
        self.status = status
        self.reason = reason


# The key under the index mapping's _meta that says "fully built and verified".
COMPLETE_META = "career_compass"

# What a caller treats as "the index cannot answer now" (fall back, or retry later).
INDEX_UNREACHABLE = (IndexUnavailable, TimeoutError)
NO_ANSWER = (*INDEX_UNREACHABLE, NoLiveIndex)


def _reason(exc: TransportError) -> str:
    info = exc.info
    if isinstance(info, dict):
        error = info.get("error")
        if isinstance(error, dict):
            return str(error.get("reason") or error.get("type") or error)[:500]
        if error:
            return str(error)[:500]
    return str(exc.error)[:500]


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, ConnectionTimeout | ClientConnectionError):
        return IndexUnavailable(f"{type(exc).__name__}: OpenSearch unreachable or too slow")
    if isinstance(exc, TransportError):
        status = exc.status_code if isinstance(exc.status_code, int) else 500
        if status >= 500:
            return NodeFailure(f"{status}: {_reason(exc)}")
        return IndexRequestFailed(status, _reason(exc))
    return exc


@dataclass(frozen=True, slots=True)
class IndexedCareer:
    """A career document as stored in the index (the `_source`)."""

    id: str
    name: str
    category: str
    description: str
    aliases: list[str]
    skills: list[str]
    subjects: list[str]
    interests: list[str]  # plain tags; RIASEC letters are in `riasec`
    riasec: list[str]
    streams: list[str]
    degree: str
    duration: str
    stress_level: str
    work_life_balance: str
    job_outlook: str
    remote_work: str
    travel_required: str
    entry_salary: int
    mid_salary: int
    senior_salary: int
    exam_ids: list[str]
    exams: list[str]
    institutions: list[str]
    hindi_name: str = ""
    prominence: int = 3
    embedding: list[float] | None = None

    @classmethod
    def from_source(cls, source: Mapping[str, Any]) -> IndexedCareer:
        # A plain constructor call: hits are our own documents, and validating each of the
        # hundred or so per search would cost more than the fusion itself.
        return cls(
            id=source["id"],
            name=source["name"],
            category=source["category"],
            description=source.get("description") or "",  # absent from browse's candidates
            aliases=source.get("aliases") or [],
            skills=source.get("skills") or [],
            subjects=source.get("subjects") or [],
            interests=source.get("interests") or [],
            riasec=source.get("riasec") or [],
            streams=source.get("streams") or [],
            degree=source.get("degree", ""),
            duration=source.get("duration", ""),
            stress_level=source["stress_level"],
            work_life_balance=source["work_life_balance"],
            job_outlook=source["job_outlook"],
            remote_work=source["remote_work"],
            travel_required=source.get("travel_required", ""),
            entry_salary=int(source["entry_salary"]),
            mid_salary=int(source["mid_salary"]),
            senior_salary=int(source["senior_salary"]),
            exam_ids=source.get("exam_ids") or [],
            exams=source.get("exams") or [],
            institutions=source.get("institutions") or [],
            hindi_name=source.get("hindi_name") or "",
            prominence=int(source.get("prominence") or 3),
            embedding=source.get("embedding"),
        )


@dataclass(frozen=True, slots=True)
class CareerHit:
    id: str
    score: float
    career: IndexedCareer
    highlights: dict[str, list[str]]
    matched: tuple[str, ...] = ()  # names (`_name`) of the query clauses the hit matched


@dataclass(frozen=True, slots=True)
class SearchResponse:
    total: int
    hits: list[CareerHit]
    aggregations: dict[str, Any]


@dataclass(frozen=True, slots=True)
class BulkAction:
    """One document write. version is external: OpenSearch keeps the highest one it saw."""

    op: Literal["index", "delete"]
    id: str
    version: int
    source: dict[str, Any] | None = None
    tag: Any = None  # the caller's own reference (an outbox event id), echoed in the result


# version_conflict: this or a newer version is already there; not_found: a delete found no
# document; index_missing: the target index or alias does not exist (nothing was created).
FailureKind = Literal["version_conflict", "not_found", "index_missing", "rejected"]


@dataclass(frozen=True, slots=True)
class BulkFailure:
    action: BulkAction
    kind: FailureKind
    status: int
    reason: str


@dataclass
class BulkResult:
    succeeded: list[BulkAction] = field(default_factory=list)
    failures: list[BulkFailure] = field(default_factory=list)

    def merge(self, other: BulkResult) -> None:
        self.succeeded.extend(other.succeeded)
        self.failures.extend(other.failures)


def _classify(status: int, error: Any) -> FailureKind:
    if status == 409:
        return "version_conflict"
    if status == 404:
        kind = error.get("type") if isinstance(error, dict) else None
        return "index_missing" if kind == "index_not_found_exception" else "not_found"
    return "rejected"


def _hits(
    response: Mapping[str, Any], known: Mapping[str, IndexedCareer] | None = None
) -> SearchResponse:
    """known: careers by id, for hits asked without their _source or with a part of it (a
    hit known lacks, asked that way, is left out)."""
    shards = response.get("_shards") or {}
    if shards.get("failed"):
        # Partial results would be wrong results (counts, facets, rankings): not an answer.
        raise NodeFailure(f"{shards['failed']} of {shards.get('total')} shards failed")
    hits = response["hits"]
    out: list[CareerHit] = []
    for h in hits["hits"]:
        if known is not None and h["_id"] in known:
            career = known[h["_id"]]
        elif _has_fields(h):
            career = IndexedCareer.from_source(h["_source"])
        else:
            continue
        out.append(
            CareerHit(
                id=h["_id"],
                score=float(h["_score"] or 0.0),
                career=career,
                highlights={k: list(v) for k, v in (h.get("highlight") or {}).items()},
                matched=tuple(h.get("matched_queries") or ()),
            )
        )
    return SearchResponse(
        total=int(hits["total"]["value"]) if "total" in hits else len(hits["hits"]),
        hits=out,
        aggregations=dict(response.get("aggregations") or {}),
    )


def _has_fields(hit: Mapping[str, Any]) -> bool:
    """Whether a hit came with its career's fields, not ids and scores only (query.leg_source)
    or the id alone (query.page_request)."""
    return "name" in (hit.get("_source") or {})


def _unknown(
    responses: Sequence[Mapping[str, Any]], known: Mapping[str, IndexedCareer]
) -> set[str]:
    return {
        h["_id"]
        for r in responses
        for h in r.get("hits", {}).get("hits", ())
        if not _has_fields(h) and h["_id"] not in known
    }


class CareerIndex:
    """The `alias` and the versioned indices `<alias>_v<UTC timestamp>` behind it."""

    def __init__(
        self,
        client: AsyncOpenSearch,
        alias: str,
        timeout_seconds: float,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        """breaker: the API's, so a hung node costs each search nothing once it has failed a
        few times. The indexer has none: a bulk load should wait, not skip."""
        self.client = client
        self.alias = alias
        self.timeout_seconds = timeout_seconds
        self.breaker = breaker

    async def _call(self, request: Any) -> Any:
        breaker = self.breaker
        if breaker is not None and not breaker.allow():
            request.close()  # the request coroutine is never sent
            raise IndexUnavailable("skipped for a cool-down after repeated failures")
        # Our own task, so its outcome is always read: when the caller is cancelled while the
        # request is being torn down, aiohttp turns the cancellation into a timeout error that
        # asyncio would otherwise log at shutdown as "Task exception was never retrieved".
        sent = asyncio.ensure_future(request)
        sent.add_done_callback(read_outcome)
        try:
            result = await asyncio.wait_for(sent, self.timeout_seconds)
        except TimeoutError as exc:
            if breaker is not None:
                breaker.failed()
            raise IndexUnavailable(f"no answer within {self.timeout_seconds:.1f} s") from exc
        except (ClientConnectionError, ConnectionTimeout, TransportError) as exc:
            translated = exc if isinstance(exc, NotFoundError) else _translate(exc)
            if breaker is not None:
                # an answer (a 404, a refused query) says the engine is up
                if isinstance(translated, IndexUnavailable):
                    breaker.failed()
                else:
                    breaker.succeeded()
            if translated is exc:
                raise
            raise translated from exc
        except BaseException:
            if breaker is not None:
                breaker.released()
            raise
        if breaker is not None:
            breaker.succeeded()
        return result

    # ---- the alias ------------------------------------------------------------------

    async def alias_target(self) -> str | None:
        """The index the alias points at, or None when it points nowhere."""
        try:
            found = await self._call(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return None
        names = sorted(found)
        return str(names[-1]) if names else None

    async def live_index(self) -> str:
        target = await self.alias_target()
        if target is None:
            raise NoLiveIndex(f"alias {self.alias!r} points at no index")
        return target

    def new_index_name(self) -> str:
        return f"{self.alias}_v{datetime.now(UTC):%Y%m%d%H%M%S%f}"

    async def versioned_indices(self) -> list[str]:
        """All `<alias>_v*` indices, oldest first (the timestamp sorts as text)."""
        found = await self._call(
            self.client.indices.get(
                index=f"{self.alias}_v*", expand_wildcards="open,closed", allow_no_indices=True
            )
        )
        return sorted(found)

    async def swap_alias(self, new_index: str) -> None:
        """Point the alias at new_index in one atomic `_aliases` call."""
        actions: list[dict[str, Any]] = [
            {"remove": {"index": f"{self.alias}_v*", "alias": self.alias, "must_exist": False}},
            {"add": {"index": new_index, "alias": self.alias, "is_write_index": True}},
        ]
        await self._call(self.client.indices.update_aliases(body={"actions": actions}))

    async def mark_complete(self, name: str, documents: int) -> None:
        """Record in the index itself that it was fully built and verified, so pruning can
        tell it from one a killed build left behind."""
        meta = {COMPLETE_META: {"complete": True, "documents": documents}}
        await self._call(self.client.indices.put_mapping(index=name, body={"_meta": meta}))

    async def complete_indices(self) -> set[str]:
        """The versioned indices marked complete by mark_complete."""
        found = await self._call(
            self.client.indices.get_mapping(
                index=f"{self.alias}_v*", expand_wildcards="open,closed", allow_no_indices=True
            )
        )
        return {
            name
            for name, body in found.items()
            if ((body.get("mappings") or {}).get("_meta") or {})
            .get(COMPLETE_META, {})
            .get("complete")
        }

    async def prune(self, keep: int, complete: set[str] | None = None) -> list[str]:
        """Delete the partial versioned indices and all but the newest `keep` complete ones,
        never the live one. Call only when no build is running (the reindex lock held).

        complete: indices known complete besides those marked so (e.g. by reindex_runs).
        """
        live = await self.alias_target()
        indices = await self.versioned_indices()
        done = await self.complete_indices() | (complete or set())
        finished = [name for name in indices if name in done or name == live]
        kept = set(finished[-keep:]) | {live}
        doomed = [name for name in indices if name not in kept]
        for name in doomed:
            await self.delete_index(name)
        return doomed

    # ---- index lifecycle --------------------------------------------------------------

    async def create_index(self, name: str, body: Mapping[str, Any]) -> None:
        await self._call(self.client.indices.create(index=name, body=dict(body)))

    async def delete_index(self, name: str) -> None:
        await self._call(self.client.indices.delete(index=name, ignore_unavailable=True))

    async def set_refresh_interval(self, name: str, interval: str) -> None:
        await self._call(
            self.client.indices.put_settings(
                index=name, body={"index": {"refresh_interval": interval}}
            )
        )

    async def refresh(self, name: str) -> None:
        await self._call(self.client.indices.refresh(index=name))

    async def count(self, name: str | None = None) -> int:
        """Documents in name (default: the live index behind the alias)."""
        try:
            response = await self._call(self.client.count(index=name or self.alias))
        except NotFoundError as exc:
            raise NoLiveIndex(f"no index {name or self.alias!r}") from exc
        return int(response["count"])

    async def cluster_status(self) -> str:
        health = await self._call(self.client.cluster.health())
        return str(health["status"])

    # ---- reads ----------------------------------------------------------------------

    async def search(
        self,
        index: str,
        body: Mapping[str, Any],
        known: Mapping[str, IndexedCareer] | None = None,
    ) -> SearchResponse:
        """known: the careers of a body that asks for no _source (see _hits)."""
        try:
            response = await self._call(self.client.search(index=index, body=dict(body)))
        except NotFoundError as exc:
            raise NoLiveIndex(f"no index {index!r}") from exc
        known = await self._complete(index, [response], known)
        return _hits(response, known)

    async def msearch(
        self,
        index: str,
        bodies: Sequence[Mapping[str, Any]],
        known: Mapping[str, IndexedCareer] | None = None,
    ) -> list[SearchResponse]:
        """Several searches in one round trip; any failed item fails the whole call."""
        lines: list[Mapping[str, Any]] = []
        for body in bodies:
            lines.append({"index": index})
            lines.append(body)
        response = await self._call(self.client.msearch(body=lines))
        items: list[Mapping[str, Any]] = response["responses"]
        for item in items:
            if "error" in item:
                status = int(item.get("status", 500))
                if status == 404:
                    raise NoLiveIndex(f"no index {index!r}")
                if status >= 500:
                    raise NodeFailure(f"msearch item failed ({status})")
                error = item["error"]
                reason = error.get("reason", error) if isinstance(error, dict) else error
                raise IndexRequestFailed(status, str(reason)[:500])
        known = await self._complete(index, items, known)
        return [_hits(item, known) for item in items]

    async def _complete(
        self,
        index: str,
        responses: Sequence[Mapping[str, Any]],
        known: Mapping[str, IndexedCareer] | None,
    ) -> Mapping[str, IndexedCareer] | None:
        """known, plus the careers of source-less hits it lacks, fetched by id: a document
        indexed after `known` was read (a sync that has not yet advanced the catalogue
        version)."""
        if known is None:
            return None
        missing = _unknown(responses, known)
        if not missing:
            return known
        body = page_request(sorted(missing))
        fetched = _hits(await self._call(self.client.search(index=index, body=body)))
        return {**known, **{h.id: h.career for h in fetched.hits}}

    async def get(self, career_id: str, index: str | None = None) -> IndexedCareer | None:
        try:
            response = await self._call(self.client.get(index=index or self.alias, id=career_id))
        except NotFoundError:
            return None
        return IndexedCareer.from_source(response["_source"])

    # ---- writes ---------------------------------------------------------------------

    async def bulk(
        self,
        index: str,
        actions: Sequence[BulkAction],
        refresh: str | bool = False,
        require_alias: bool = False,
    ) -> BulkResult:
        """One bulk request. Per-document failures come back classified, never raised.

        require_alias: `index` must be an alias. Writes through the alias use it, so a missing
        alias fails the items instead of auto-creating an index by that name.
        """
        if not actions:
            return BulkResult()
        lines: list[dict[str, Any]] = []
        for action in actions:
            meta = {
                "_index": index,
                "_id": action.id,
                "version": action.version,
                "version_type": "external",
            }
            lines.append({action.op: meta})
            if action.op == "index":
                lines.append(action.source or {})
        params: dict[str, Any] = {}
        if refresh:
            params["refresh"] = refresh if isinstance(refresh, str) else "true"
        if require_alias:
            params["require_alias"] = "true"
        response = await self._call(self.client.bulk(body=lines, **params))
        result = BulkResult()
        for action, item in zip(actions, response["items"], strict=True):
            ((_, outcome),) = item.items()
            status = int(outcome.get("status", 500))
            if 200 <= status < 300:
                result.succeeded.append(action)
            else:
                error = outcome.get("error")
                kind = _classify(status, error)
                reason = str(error if error is not None else outcome.get("result", outcome))
                result.failures.append(BulkFailure(action, kind, status, reason[:500]))
        return result

    async def bulk_stream(
        self, index: str, chunks: AsyncIterator[Sequence[BulkAction]], in_flight: int = 2
    ) -> BulkResult:
        """Send chunks as they are produced, with up to `in_flight` requests at once.

        While OpenSearch builds the HNSW graph for one chunk (most of the cost), the producer
        embeds and serialises the next. Measured on 10,000 careers: 8.2 s with one request at
        a time, 4.7 s with two.
        """
        result = BulkResult()
        pending: set[asyncio.Task[BulkResult]] = set()
        try:
            async for chunk in chunks:
                while len(pending) >= in_flight:
                    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                    _merge_finished(result, done)
                pending.add(asyncio.create_task(self.bulk(index, chunk)))
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
            _merge_finished(result, done)
        finally:
            # Every task's outcome is collected, even after a failure: an exception left
            # unretrieved is printed at shutdown as a traceback the operator did not ask for.
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        return result


def read_outcome(task: asyncio.Future[Any]) -> None:
    """A done-callback for a request whose failure may have no reader (its caller gave up or
    answered another way): reading it keeps asyncio from logging it as never retrieved."""
    if not task.cancelled():
        task.exception()


def _merge_finished(result: BulkResult, done: set[asyncio.Task[BulkResult]]) -> None:
    """Merge the finished requests' results; raise the first failure after reading them all."""
    errors: list[BaseException] = []
    for task in done:
        error = task.exception() if not task.cancelled() else asyncio.CancelledError()
        if error is None:
            result.merge(task.result())
        else:
            errors.append(error)
    if errors:
        raise errors[0]
