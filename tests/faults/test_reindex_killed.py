"""kill -9 of `careers-admin reindex` midway: status says the run was abandoned and names the
partial index; the next reindex marks the run abandoned, deletes the partial index and keeps
the last good one as the fallback (issue 9)."""

from __future__ import annotations

import time
from pathlib import Path

from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.loader import load_catalogue
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue
from tests.fixtures.cli import run_cli, start_cli
from tests.fixtures.indexing import build_index

SessionMaker = async_sessionmaker[AsyncSession]


def versioned(client: OpenSearch, alias: str) -> list[str]:
    return sorted(client.indices.get(index=f"{alias}_v*", allow_no_indices=True))


def run_statuses(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT index_name, status FROM reindex_runs")).all()
    return {r.index_name: r.status for r in rows}


async def test_killed_reindex_is_abandoned_and_never_kept_over_a_good_index(
    db_sessionmaker: SessionMaker,
    db_engine: Engine,
    async_opensearch: AsyncOpenSearch,
    opensearch: OpenSearch,
    embedder: Embedder,
    settings: Settings,
    index_name: str,
    tmp_path: Path,
) -> None:
    target = settings.model_copy(update={"opensearch_alias": index_name})
    await load_catalogue(
        db_sessionmaker, write_catalogue(tmp_path, default_careers() + many_careers(150))
    )
    built = await build_index(db_sessionmaker, async_opensearch, embedder, target, index_name)
    good = built.index
    # new text, so the killed run has vectors to compute (none cached) and is slow enough
    with db_engine.begin() as conn:
        conn.execute(text("UPDATE careers SET description = description || ' Revised.'"))

    proc = start_cli(target, "reindex", "--batch-size", "8")
    try:
        deadline = time.monotonic() + 120
        while len(versioned(opensearch, index_name)) < 2:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "reindex never created its index"
            time.sleep(0.05)
        proc.kill()  # SIGKILL: no except, no finally
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    (partial,) = set(versioned(opensearch, index_name)) - {good}
    assert run_statuses(db_engine)[partial] == "running", "the reindex finished before the kill"

    status = run_cli(target, "status")
    assert status.returncode == 0, status.stderr
    assert "ABANDONED" in status.stdout
    assert f"{partial} (partial)" in status.stdout
    assert f"{good} (live)" in status.stdout

    rerun = run_cli(target, "reindex", "--keep", "2")
    assert rerun.returncode == 0, rerun.stderr
    indices = versioned(opensearch, index_name)
    assert partial not in indices
    assert good in indices  # the last good index stays as the fallback
    assert len(indices) == 2
    assert run_statuses(db_engine)[partial] == "abandoned"
    after = run_cli(target, "status")
    assert "ABANDONED" not in after.stdout
    assert "(partial)" not in after.stdout
