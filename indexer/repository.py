"""SQL for the indexer's own tables: the embedding cache and the history of reindex runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from indexer.models import EmbeddingCacheEntry, ReindexRun
from search_api.core.repository import Repository


class IndexerRepository(Repository[ReindexRun]):
    model = ReindexRun

    async def cached_vectors(self, keys: Sequence[str], dimensions: int) -> dict[str, bytes]:
        rows = await self.session.execute(
            select(EmbeddingCacheEntry.key, EmbeddingCacheEntry.vector).where(
                EmbeddingCacheEntry.key.in_(set(keys)),
                EmbeddingCacheEntry.dimensions == dimensions,
            )
        )
        return {row.key: row.vector for row in rows}

    async def store_vectors(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            await self.session.execute(
                pg_insert(EmbeddingCacheEntry).values(list(rows)).on_conflict_do_nothing()
            )

    async def start_run(self, index_name: str) -> int:
        run_id = await self.session.scalar(
            insert(ReindexRun)
            .values(index_name=index_name, status="running")
            .returning(ReindexRun.id)
        )
        assert run_id is not None
        return int(run_id)

    async def finish_run(self, run_id: int, status: str, **values: Any) -> None:
        await self.session.execute(
            update(ReindexRun)
            .where(ReindexRun.id == run_id)
            .values(status=status, finished_at=func.now(), **values)
        )

    async def try_reindex_lock(self, alias: str) -> bool:
        """Take the reindex lock of alias for this transaction, if no one holds it.

        A transaction-level advisory lock: PostgreSQL releases it when the transaction ends,
        including when the process holding it is killed (its connection closes), so a lock
        that is free means no reindex is running, whatever reindex_runs says.
        """
        taken = await self.session.scalar(
            select(func.pg_try_advisory_xact_lock(func.hashtext(f"careers-reindex:{alias}")))
        )
        return bool(taken)

    async def abandon_running(self) -> list[str]:
        """Call with the reindex lock held: every run still 'running' belongs to a process
        that died. -> the index names those runs were building."""
        names = await self.session.scalars(
            update(ReindexRun)
            .where(ReindexRun.status == "running")
            .values(
                status="abandoned",
                finished_at=func.now(),
                error="the process stopped before finishing (killed or crashed)",
            )
            .returning(ReindexRun.index_name)
        )
        return list(names)

    async def running(self) -> list[ReindexRun]:
        found = await self.session.scalars(
            select(ReindexRun).where(ReindexRun.status == "running").order_by(ReindexRun.id)
        )
        return list(found)

    async def succeeded_indices(self) -> set[str]:
        names = await self.session.scalars(
            select(ReindexRun.index_name).where(ReindexRun.status == "succeeded")
        )
        return set(names)

    async def last_succeeded(self) -> ReindexRun | None:
        return await self.session.scalar(
            select(ReindexRun)
            .where(ReindexRun.status == "succeeded")
            .order_by(ReindexRun.id.desc())
            .limit(1)
        )
