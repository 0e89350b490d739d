"""`careers-admin sync`: apply outbox events to the live index.

Each event is written with OpenSearch external versioning (version = outbox id), so an event
can be applied again safely (a replay is a no-op or a same-content overwrite) and an older event
can never overwrite a newer one. An event is marked applied only after OpenSearch acknowledged
it; a failure leaves it pending with its attempt count and error, to be retried with backoff.
Writes go through the alias with require_alias, so they never create an index: with no live
index the events simply stay pending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.embedding_cache import CachedEmbedder
from search_api.careers.repository import CatalogueRepository, OutboxItem
from search_api.core.cache import advance_catalogue_version
from search_api.search.documents import career_document, embedding_text
from search_api.search.index import (
    BulkAction,
    CareerIndex,
    IndexRequestFailed,
    IndexUnavailable,
    NoLiveIndex,
)

log = logging.getLogger("indexer.sync")

# What makes a sync attempt wait and retry rather than give up on an event.
RETRYABLE = (IndexUnavailable, NoLiveIndex, IndexRequestFailed)


@dataclass
class SyncReport:
    applied: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def build_actions(
    repo: CatalogueRepository, embedder: CachedEmbedder, events: Sequence[OutboxItem]
) -> tuple[list[BulkAction], list[int]]:
    """Bulk actions for the events, plus the ids of events that need no action.

    An upsert whose career has since been deleted is skipped: the later delete event wins.
    """
    upsert_ids = {e.career_id for e in events if e.operation == "upsert"}
    rows = {row.id: row for row in await repo.document_rows(upsert_ids)} if upsert_ids else {}
    lookups = await repo.lookups()
    vectors = dict(
        zip(
            rows,
            await embedder.vectors([embedding_text(row) for row in rows.values()]) if rows else [],
            strict=True,
        )
    )
    actions: list[BulkAction] = []
    skipped: list[int] = []
    for event in events:
        if event.operation == "delete":
            actions.append(BulkAction("delete", event.career_id, event.id, tag=event.id))
        elif event.career_id in rows:
            row = rows[event.career_id]
            source = career_document(row, lookups, vectors[row.id])
            actions.append(BulkAction("index", row.id, event.id, source, tag=event.id))
        else:
            skipped.append(event.id)
    return actions, skipped


async def apply_events(
    repo: CatalogueRepository,
    index: CareerIndex,
    embedder: CachedEmbedder,
    events: Sequence[OutboxItem],
) -> tuple[list[int], dict[int, str]]:
    """-> (event ids the live index now reflects, failed event id -> reason)."""
    actions, skipped = await build_actions(repo, embedder, events)
    result = await index.bulk(index.alias, actions, refresh="wait_for", require_alias=True)
    done = [*skipped, *(a.tag for a in result.succeeded)]
    failed: dict[int, str] = {}
    for failure in result.failures:
        # version_conflict: this or a newer event already reached the index; not_found on a
        # delete: nothing to delete. Either way the index already reflects the event.
        if failure.kind == "version_conflict" or (
            failure.kind == "not_found" and failure.action.op == "delete"
        ):
            done.append(failure.action.tag)
        else:
            failed[failure.action.tag] = f"{failure.kind}: {failure.reason}"
    return done, failed


async def sync_once(
    sessionmaker: async_sessionmaker[AsyncSession],
    index: CareerIndex,
    embedder: CachedEmbedder,
    batch_size: int = 200,
    redis: Redis | None = None,
) -> SyncReport:
    """Apply up to batch_size pending events. Raises IndexUnavailable or NoLiveIndex (events
    stay pending, their attempt counted) when the index cannot take them.

    redis: where the API's response cache lives. Once the applied events are committed, the
    catalogue version there is advanced, so no answer cached before them is served again.
    """
    report = SyncReport()
    unavailable: Exception | None = None
    async with sessionmaker() as session, session.begin():
        repo = CatalogueRepository(session)
        events = await repo.claim_pending(batch_size)
        if not events:
            return report
        try:
            await index.live_index()
            done, failed = await apply_events(repo, index, embedder, events)
        except RETRYABLE as exc:
            unavailable = exc
            # The transaction commits with the attempt counted; the events stay pending.
            await repo.record_attempt([e.id for e in events], str(exc))
            done, failed = [], {}
        await repo.mark_applied(done)
        await repo.record_failures(failed)
        report.applied = len(done)
        report.failed = len(failed)
        report.errors = list(failed.values())
    if unavailable is not None:
        raise unavailable
    if report.applied and redis is not None:
        await advance_catalogue_version(redis, index.alias)
    return report


async def run_sync(
    sessionmaker: async_sessionmaker[AsyncSession],
    index: CareerIndex,
    embedder: CachedEmbedder,
    *,
    follow: bool = False,
    max_attempts: int = 5,
    poll_seconds: float = 2.0,
    max_backoff: float = 30.0,
    stop: asyncio.Event | None = None,
    on_batch: Callable[[SyncReport], None] | None = None,
    heartbeat: Callable[[], None] | None = None,
    redis: Redis | None = None,
) -> SyncReport:
    """Drain the outbox; with follow, keep polling until stop is set.

    Without follow, an unreachable index is retried max_attempts times with exponential
    backoff, then the last error is raised with every event still pending. heartbeat is
    called once per loop, so a supervisor can tell a live worker from a stuck one.
    """
    stop = stop or asyncio.Event()
    total = SyncReport()
    failures = 0
    while not stop.is_set():
        if heartbeat:
            heartbeat()
        try:
            report = await sync_once(sessionmaker, index, embedder, redis=redis)
        except RETRYABLE as exc:
            failures += 1
            if not follow and failures >= max_attempts:
                raise
            delay = min(max_backoff, 0.5 * 2 ** (failures - 1))
            log.warning("sync: index unavailable (%s); retrying in %.1f s", exc, delay)
            await _wait(stop, delay)
            continue
        failures = 0
        total.applied += report.applied
        total.failed += report.failed
        total.errors.extend(report.errors)
        if on_batch and (report.applied or report.failed):
            on_batch(report)
        if report.applied == 0 and report.failed == 0:
            if not follow:
                break
            await _wait(stop, poll_seconds)
        elif report.failed and not follow:
            break
    return total


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        pass
