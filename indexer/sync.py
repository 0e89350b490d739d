"""`careers-admin sync`: apply outbox events to the live index.

Each event is written with OpenSearch external versioning (version = outbox id), so an event
can be applied again safely (a replay is a no-op or a same-content overwrite) and an older event
can never overwrite a newer one. An event is marked applied only after OpenSearch acknowledged
it; a failure leaves it pending with its attempt count and error, to be retried with backoff.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError
from opensearchpy.helpers import streaming_bulk
from sqlalchemy import Engine, func, select, text, update

from indexer.documents import career_document, embedding_text, iter_careers, load_lookups
from indexer.embedding_cache import CachedEmbedder
from search_api.careers.models import OutboxEvent

log = logging.getLogger("indexer.sync")


@dataclass(frozen=True)
class Event:
    id: int
    career_id: str
    operation: str


@dataclass
class SyncReport:
    applied: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


class IndexUnavailable(Exception):
    """OpenSearch could not be reached; the events stay pending."""


def build_actions(
    engine: Engine, embedder: CachedEmbedder, index: str, events: Sequence[Event]
) -> tuple[list[dict[str, Any]], list[int]]:
    """Bulk actions for the events, plus the ids of events that need no action.

    An upsert whose career has since been deleted is skipped: the later delete event wins.
    """
    upsert_ids = {e.career_id for e in events if e.operation == "upsert"}
    rows: dict[str, Any] = {}
    with engine.connect() as conn:
        lookups = load_lookups(conn)
        for batch in iter_careers(conn, 500, upsert_ids):
            rows.update({row.id: row for row in batch})
    vectors = dict(
        zip(
            rows,
            embedder.vectors([embedding_text(row) for row in rows.values()]) if rows else [],
            strict=True,
        )
    )
    actions: list[dict[str, Any]] = []
    skipped: list[int] = []
    for event in events:
        meta = {
            "_index": index,
            "_id": event.career_id,
            "version": event.id,
            "version_type": "external",
            "_event": event.id,
        }
        if event.operation == "delete":
            actions.append({**meta, "_op_type": "delete"})
        elif event.career_id in rows:
            row = rows[event.career_id]
            actions.append(
                {
                    **meta,
                    "_op_type": "index",
                    "_source": career_document(row, lookups, vectors[row.id]),
                }
            )
        else:
            skipped.append(event.id)
    return actions, skipped


def send_actions(
    client: OpenSearch, actions: Sequence[dict[str, Any]], refresh: str = "wait_for"
) -> tuple[list[int], dict[int, str]]:
    """Returns (acknowledged event ids, failed event id -> reason)."""
    if not actions:
        return [], {}
    payload = [{k: v for k, v in a.items() if k != "_event"} for a in actions]
    acknowledged: list[int] = []
    failed: dict[int, str] = {}
    try:
        results = streaming_bulk(
            client,
            payload,
            raise_on_error=False,
            raise_on_exception=True,
            yield_ok=True,
            max_retries=0,
            chunk_size=500,
            refresh=refresh,
        )
        # streaming_bulk yields one result per action, in order.
        for action, (ok, result) in zip(actions, results, strict=True):
            ((op, item),) = result.items()
            status = int(item.get("status", 0))
            # 409: this or a newer event already reached the index; 404 on delete: nothing to
            # delete. Either way the index already reflects the event.
            if ok or status == 409 or (op == "delete" and status == 404):
                acknowledged.append(action["_event"])
            else:
                failed[action["_event"]] = str(item.get("error", item))[:500]
    except (OpenSearchConnectionError, ConnectionTimeout) as exc:
        raise IndexUnavailable(str(exc)) from exc
    return acknowledged, failed


def apply_events(
    engine: Engine,
    client: OpenSearch,
    embedder: CachedEmbedder,
    index: str,
    events: Sequence[Event],
) -> tuple[list[int], dict[int, str]]:
    actions, skipped = build_actions(engine, embedder, index, events)
    acknowledged, failed = send_actions(client, actions)
    return [*skipped, *acknowledged], failed


def sync_once(
    engine: Engine, client: OpenSearch, embedder: CachedEmbedder, alias: str, batch_size: int = 200
) -> SyncReport:
    """Apply up to batch_size pending events. Raises IndexUnavailable if OpenSearch is down."""
    report = SyncReport()
    with engine.begin() as conn:
        # SKIP LOCKED: two sync workers never claim the same event.
        rows = conn.execute(
            select(OutboxEvent.id, OutboxEvent.career_id, OutboxEvent.operation)
            .where(OutboxEvent.applied_at.is_(None))
            .order_by(OutboxEvent.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        ).all()
        events = [Event(r.id, r.career_id, r.operation) for r in rows]
        unavailable: IndexUnavailable | None = None
        if not events:
            return report
        try:
            done, failed = apply_events(engine, client, embedder, alias, events)
        except IndexUnavailable as exc:
            unavailable = exc
            # Count the attempt; the transaction commits and the events stay pending.
            conn.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_([e.id for e in events]))
                .values(attempts=OutboxEvent.attempts + 1, last_error=str(exc)[:500])
            )
            done, failed = [], {}
        now = datetime.now(UTC)
        if done:
            conn.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id.in_(done), OutboxEvent.applied_at.is_(None))
                .values(applied_at=now, attempts=OutboxEvent.attempts + 1, last_error=None)
            )
        for event_id, reason in failed.items():
            conn.execute(
                update(OutboxEvent)
                .where(OutboxEvent.id == event_id)
                .values(attempts=OutboxEvent.attempts + 1, last_error=reason)
            )
        report.applied = len(done)
        report.failed = len(failed)
        report.errors = list(failed.values())
    if unavailable is not None:
        raise unavailable
    return report


def pending_count(engine: Engine) -> tuple[int, datetime | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(func.count(), func.min(OutboxEvent.created_at)).where(
                OutboxEvent.applied_at.is_(None)
            )
        ).one()
    return int(row[0]), row[1]


def outbox_position(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT coalesce(max(id), 0) FROM outbox")).scalar_one())


def run_sync(
    engine: Engine,
    client: OpenSearch,
    embedder: CachedEmbedder,
    alias: str,
    *,
    follow: bool = False,
    max_attempts: int = 5,
    poll_seconds: float = 2.0,
    max_backoff: float = 30.0,
    stop: threading.Event | None = None,
    on_batch: Callable[[SyncReport], None] | None = None,
) -> SyncReport:
    """Drain the outbox; with follow, keep polling until stop is set.

    Without follow, an unreachable index is retried max_attempts times with exponential
    backoff, then IndexUnavailable is raised with every event still pending.
    """
    stop = stop or threading.Event()
    total = SyncReport()
    failures = 0
    while not stop.is_set():
        try:
            report = sync_once(engine, client, embedder, alias)
        except (IndexUnavailable, TransportError) as exc:
            failures += 1
            if not follow and failures >= max_attempts:
                raise IndexUnavailable(str(exc)) from exc
            delay = min(max_backoff, 0.5 * 2 ** (failures - 1))
            log.warning("sync: index unavailable (%s); retrying in %.1f s", exc, delay)
            stop.wait(delay)
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
            stop.wait(poll_seconds)
        elif report.failed and not follow:
            break
    return total
