"""The batched background writer behind core.interactions.

Endpoints put events on a bounded in-memory queue (never blocking, never raising); one task
started in lifespan writes them every `flush_seconds` or `batch_size` events, whichever comes
first: the raw rows and the daily rollups in one transaction. A failed batch is logged and
dropped (after one retry for a racing account deletion): analytics must never fail or slow a
request, and losing a second of counts is acceptable. When the queue is full, new events are
dropped and counted rather than held in memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.analytics.models import ALL
from search_api.analytics.repository import (
    SEEN,
    TIMEZONE,
    AnalyticsRepository,
    CareerCounts,
    Rollups,
    month_of,
)
from search_api.core.interactions import InteractionEvent

log = logging.getLogger("search_api.analytics")
ZONE = ZoneInfo(TIMEZONE)
QUERY_LENGTH = 200


def normalise_query(query: str) -> str:
    return " ".join(query.split()).casefold()[:QUERY_LENGTH]


def rollups_of(
    events: Sequence[InteractionEvent],
    seen: Mapping[str, set[str]] | None = None,
    categories: Mapping[str, str] | None = None,
) -> Rollups:
    """The counts a batch adds (repository.rebuild_rollups applies the same rules in SQL).

    seen: the careers each session had looked at before this batch; a career a session looks
    at for the first time is paired with each of them (co-viewing), once per session.
    categories: career id -> category now (careers not in the catalogue count in no category).
    """
    daily: dict[tuple[Any, str, str], CareerCounts] = defaultdict(CareerCounts)
    queries: dict[tuple[Any, str, str], int] = defaultdict(int)
    pairs: dict[tuple[Any, str, str], int] = defaultdict(int)
    looked: dict[str, set[str]] = {k: set(v) for k, v in (seen or {}).items()}
    for event in events:
        day = event.at.astimezone(ZONE).date()
        stream = event.stream or ""
        if event.kind == "view" and event.career_id:
            daily[day, event.career_id, stream].views += 1
        elif event.kind == "click" and event.career_id:
            daily[day, event.career_id, stream].clicks += 1
            if event.query and event.query.strip():
                queries[day, event.career_id, normalise_query(event.query)] += 1
        elif event.kind == "compare" and event.career_id:
            daily[day, event.career_id, stream].compares += 1
        elif event.kind == "recommend":
            for career_id in event.payload.get("career_ids", []):
                daily[day, career_id, stream].recommended += 1
        elif event.kind == "search":
            for career_id in event.payload.get("result_ids", []):
                daily[day, career_id, stream].search_results += 1
        if event.kind in SEEN and event.career_id and event.session_id:
            before = looked.setdefault(event.session_id, set())
            if event.career_id not in before:
                for other in before:
                    pairs[month_of(day), event.career_id, other] += 1
                    pairs[month_of(day), other, event.career_id] += 1
                before.add(event.career_id)
    everyone: dict[tuple[Any, str, str], CareerCounts] = defaultdict(CareerCounts)
    monthly: dict[tuple[Any, str, str], CareerCounts] = defaultdict(CareerCounts)
    by_category: dict[tuple[Any, str], CareerCounts] = defaultdict(CareerCounts)
    for (day, career_id, stream), counts in daily.items():
        everyone[day, career_id, ALL].add(counts)
        monthly[month_of(day), career_id, stream].add(counts)
        monthly[month_of(day), career_id, ALL].add(counts)
        category = (categories or {}).get(career_id)
        if category is not None:
            by_category[day, category].add(counts)
    return Rollups(
        {**daily, **everyone}, dict(monthly), dict(by_category), dict(queries), dict(pairs)
    )


class InteractionWriter:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        flush_seconds: float = 1.0,
        batch_size: int = 500,
        queue_limit: int = 50_000,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.flush_seconds = flush_seconds
        self.batch_size = batch_size
        self.queue: asyncio.Queue[InteractionEvent] = asyncio.Queue(maxsize=queue_limit)
        self.written = 0
        self.dropped = 0
        self.failed_batches = 0
        self._task: asyncio.Task[None] | None = None

    # ---- the InteractionSink side (request path) --------------------------------------

    def submit(self, event: InteractionEvent) -> None:
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.dropped += 1
            if self.dropped % 1000 == 1:
                log.warning("interaction queue full: %d event(s) dropped so far", self.dropped)

    # ---- the background side -----------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="interaction-writer")

    async def stop(self, timeout: float = 5.0) -> None:
        """Write what is queued (up to `timeout`), then stop."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.flush(), timeout)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def flush(self) -> None:
        """Wait until every event submitted so far is written (or dropped)."""
        await self.queue.join()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            batch = [await self.queue.get()]
            deadline = loop.time() + self.flush_seconds
            while len(batch) < self.batch_size:
                try:
                    batch.append(self.queue.get_nowait())
                    continue
                except asyncio.QueueEmpty:
                    pass
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self.queue.get(), remaining))
                except TimeoutError:
                    break
            try:
                await self.write(batch)
            finally:
                for _ in batch:
                    self.queue.task_done()

    async def write(self, batch: Sequence[InteractionEvent]) -> None:
        for attempt in (1, 2):
            try:
                await self._write_once(batch)
                self.written += len(batch)
                return
            except IntegrityError as exc:
                # an account was deleted while its events waited: the retry leaves them out
                if attempt == 2:
                    self._failed(batch, exc)
            except (DBAPIError, OSError) as exc:
                self._failed(batch, exc)
                return
            except Exception as exc:  # a bug here must not kill the writer task
                log.exception("interaction batch failed", exc_info=exc)
                self._failed(batch, exc)
                return

    def _failed(self, batch: Sequence[InteractionEvent], exc: Exception) -> None:
        self.failed_batches += 1
        self.dropped += len(batch)
        log.warning("dropped %d interaction(s): %s", len(batch), type(exc).__name__)

    async def _write_once(self, batch: Sequence[InteractionEvent]) -> None:
        async with self.sessionmaker() as session, session.begin():
            repo = AnalyticsRepository(session)
            user_ids = sorted({e.user_id for e in batch if e.user_id is not None})
            alive = await repo.existing_users(user_ids)
            events = [e for e in batch if e.user_id is None or e.user_id in alive]
            streams = await repo.streams_of(
                sorted({e.user_id for e in events if e.user_id is not None and not e.stream})
            )
            resolved = [
                e
                if e.stream or e.user_id is None or e.user_id not in streams
                else _with_stream(e, streams[e.user_id])
                for e in events
            ]
            sessions = sorted({e.session_id for e in resolved if e.session_id and e.kind in SEEN})
            # read before this batch is inserted: what each session had seen until now
            seen = await repo.seen_in_sessions(sessions)
            categories = await repo.categories_of(sorted(careers_in(resolved)))
            await repo.insert_interactions([_row(e) for e in resolved])
            await repo.add_rollups(rollups_of(resolved, seen, categories))


def careers_in(events: Sequence[InteractionEvent]) -> set[str]:
    found: set[str] = set()
    for event in events:
        if event.career_id:
            found.add(event.career_id)
        found.update(event.payload.get("career_ids", []))
        found.update(event.payload.get("result_ids", []))
    return found


def _with_stream(event: InteractionEvent, stream: str) -> InteractionEvent:
    return replace(event, stream=stream)


def _row(event: InteractionEvent) -> dict[str, Any]:
    return {
        "user_id": event.user_id,
        "session_id": event.session_id,
        "career_id": event.career_id,
        "kind": event.kind,
        "query": event.query[:500] if event.query else None,
        "stream": event.stream,
        "payload": event.payload,
        "created_at": event.at,
    }
