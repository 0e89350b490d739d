"""`careers-admin reindex`: build a fresh versioned index from Postgres and swap the alias.

Order of work, and why:
1. Under the catalogue lock, note the outbox position and read every career. Writers hold the
   same lock while they commit, so the rows read are exactly the state up to that position.
2. Embed (cache first) and bulk-load into `<alias>_v<UTC timestamp>` with refresh disabled.
   Documents carry version = position (external versioning, as the sync step uses).
3. Refresh and verify: no bulk item failed and the count equals the rows read. Otherwise the
   new index is deleted and the alias is left alone.
4. Move the alias in one `_aliases` call, so searches never see a half-built index.
5. Replay every outbox event after the position onto the new live index, so a change made
   during the build is never lost (re-applying an event is harmless under external versions).
6. Delete all but the newest `keep` complete versioned indices.

The whole run holds the reindex lock (a PostgreSQL advisory lock that dies with the process).
Holding it, a run first marks every 'running' row of reindex_runs as 'abandoned' and deletes
the indices nobody finished: a `kill -9` mid-build leaves both behind. Pruning only ever counts
an index complete when it was marked so in its mapping `_meta` (after the count check) or a
run that built it succeeded, so a partial index is never kept in place of a good one.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.embedding_cache import CachedEmbedder
from indexer.repository import IndexerRepository
from indexer.sync import apply_events
from search_api.careers.repository import CatalogueRepository, Lookups
from search_api.search.documents import career_document, embedding_text
from search_api.search.index import BulkAction, CareerIndex

Progress = Callable[[int, int], None]  # (documents done, total)


class ReindexFailed(Exception):
    pass


@dataclass
class ReindexResult:
    index: str
    previous: str | None
    documents: int
    seconds: float
    vectors_computed: int
    vectors_cached: int
    replayed: int
    deleted_indices: list[str]

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


async def _snapshot(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> tuple[int, list[Row[Any]], Lookups]:
    async with sessionmaker() as session, session.begin():
        repo = CatalogueRepository(session)
        await repo.lock_catalogue()
        position = await repo.outbox_position()
        return position, await repo.document_rows(), await repo.lookups()


async def reindex(
    sessionmaker: async_sessionmaker[AsyncSession],
    index: CareerIndex,
    embedder: CachedEmbedder,
    body: Mapping[str, Any],
    *,
    batch_size: int = 256,
    keep: int = 2,
    progress: Progress | None = None,
    shards: int | None = None,
    replicas: int | None = None,
) -> ReindexResult:
    """Build, verify, swap, replay, prune. Raises ReindexFailed with the alias untouched.

    body: the index definition (search_api.search.mapping.index_body_for).
    """
    async with sessionmaker() as lock_session, lock_session.begin():
        if not await IndexerRepository(lock_session).try_reindex_lock(index.alias):
            raise ReindexFailed(f"another reindex of {index.alias!r} is running")
        await clean_up_abandoned(sessionmaker, index)
        return await _reindex(
            sessionmaker,
            index,
            embedder,
            body,
            batch_size=batch_size,
            keep=keep,
            progress=progress,
        )


async def clean_up_abandoned(
    sessionmaker: async_sessionmaker[AsyncSession], index: CareerIndex
) -> list[str]:
    """With the reindex lock held: mark dead runs abandoned, delete the partial indices.
    -> the indices deleted."""
    async with sessionmaker() as session, session.begin():
        repo = IndexerRepository(session)
        await repo.abandon_running()
        succeeded = await repo.succeeded_indices()
    # keep every complete index; only the partial ones go
    return await index.prune(keep=1_000_000, complete=succeeded)


async def _reindex(
    sessionmaker: async_sessionmaker[AsyncSession],
    index: CareerIndex,
    embedder: CachedEmbedder,
    body: Mapping[str, Any],
    *,
    batch_size: int,
    keep: int,
    progress: Progress | None,
) -> ReindexResult:
    started = time.perf_counter()
    previous = await index.alias_target()
    name = index.new_index_name()
    async with sessionmaker() as session, session.begin():
        run_id = await IndexerRepository(session).start_run(name)
    computed_before, cached_before = embedder.stats.computed, embedder.stats.cached

    async def finish(status: str, **values: Any) -> None:
        async with sessionmaker() as session, session.begin():
            await IndexerRepository(session).finish_run(run_id, status, **values)

    created = False
    try:
        position, rows, lookups = await _snapshot(sessionmaker)
        definition = {**body, "settings": {**body["settings"]}}
        definition["settings"]["index"] = {**body["settings"]["index"], "refresh_interval": "-1"}
        await index.create_index(name, definition)
        created = True

        async def chunks() -> AsyncIterator[list[BulkAction]]:
            done = 0
            for start in range(0, len(rows), batch_size):
                batch = rows[start : start + batch_size]
                vectors = await embedder.vectors([embedding_text(row) for row in batch])
                yield [
                    BulkAction("index", row.id, position, career_document(row, lookups, vector))
                    for row, vector in zip(batch, vectors, strict=True)
                ]
                done += len(batch)
                if progress:
                    progress(done, len(rows))

        result = await index.bulk_stream(name, chunks(), in_flight=2)
        await index.set_refresh_interval(name, "1s")
        await index.refresh(name)
        count = await index.count(name)
        if result.failures:
            first = result.failures[0]
            raise ReindexFailed(
                f"{len(result.failures)} document(s) were rejected, first: "
                f"{first.action.id}: {first.reason[:300]}"
            )
        if count != len(rows):
            raise ReindexFailed(f"index holds {count} documents but Postgres has {len(rows)}")
        await index.mark_complete(name, count)

        await index.swap_alias(name)
        async with sessionmaker() as session, session.begin():
            repo = CatalogueRepository(session)
            # Pending events up to the position are reflected in the snapshot just indexed.
            await repo.mark_applied_up_to(position)
            # Everything after the snapshot position, applied or not, goes onto the new index.
            events = await repo.events_after(position)
            replayed, replay_failed = await apply_events(repo, index, embedder, events)
        if replay_failed:
            # The alias already moved; pending events will be retried by sync.
            first_reason = next(iter(replay_failed.values()))
            raise ReindexFailed(
                f"alias moved, but {len(replay_failed)} replayed event(s) failed: {first_reason}"
            )
        async with sessionmaker() as session:
            succeeded = await IndexerRepository(session).succeeded_indices()
        deleted = await index.prune(keep, complete=succeeded)
    except BaseException as exc:
        if created and await _alias_elsewhere(index, name):
            await index.delete_index(name)
        await finish("failed", error=str(exc)[:1000])
        if isinstance(exc, ReindexFailed):
            raise
        if isinstance(exc, Exception):
            raise ReindexFailed(f"{type(exc).__name__}: {exc}") from exc
        raise

    outcome = ReindexResult(
        index=name,
        previous=previous,
        documents=len(rows),
        seconds=time.perf_counter() - started,
        vectors_computed=embedder.stats.computed - computed_before,
        vectors_cached=embedder.stats.cached - cached_before,
        replayed=len(replayed),
        deleted_indices=deleted,
    )
    await finish(
        "succeeded",
        documents=outcome.documents,
        vectors_computed=outcome.vectors_computed,
        vectors_cached=outcome.vectors_cached,
    )
    return outcome


async def _alias_elsewhere(index: CareerIndex, name: str) -> bool:
    """True when the alias does not point at name (so name can go)."""
    try:
        return await index.alias_target() != name
    except Exception:
        return False
