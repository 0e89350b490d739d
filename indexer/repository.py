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

    async def last_succeeded(self) -> ReindexRun | None:
        return await self.session.scalar(
            select(ReindexRun)
            .where(ReindexRun.status == "succeeded")
            .order_by(ReindexRun.id.desc())
            .limit(1)
        )
