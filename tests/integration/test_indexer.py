"""Reindex, alias swap, outbox sync and the CLI's failure modes, against real services."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.embedding_cache import CachedEmbedder
from indexer.loader import load_catalogue
from indexer.reindex import Progress, ReindexFailed, ReindexResult
from indexer.sync import SyncReport, run_sync, sync_once
from search_api.careers.repository import CatalogueRepository
from search_api.core.embeddings import METADATA, Embedder
from search_api.core.opensearch import make_async_client, make_client
from search_api.core.settings import Settings
from search_api.search.index import CareerIndex, IndexUnavailable
from tests.fixtures.auth import admin_headers
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue
from tests.fixtures.indexing import build_index, career_index
from tests.fixtures.services import ROOT, closed_port

SessionMaker = async_sessionmaker[AsyncSession]


@pytest.fixture
def cached(db_sessionmaker: SessionMaker, embedder: Embedder) -> CachedEmbedder:
    return CachedEmbedder(db_sessionmaker, embedder)


@pytest.fixture
async def catalogue(db_sessionmaker: SessionMaker, tmp_path: Path) -> Path:
    root = write_catalogue(tmp_path, default_careers() + many_careers(40))
    await load_catalogue(db_sessionmaker, root)
    return root


@pytest.fixture
def index(async_opensearch: AsyncOpenSearch, index_name: str) -> CareerIndex:
    return career_index(async_opensearch, index_name)


class Pipeline:
    """The product's reindex and sync, bound to this test's schema, alias and cache."""

    def __init__(
        self,
        sessionmaker: SessionMaker,
        client: AsyncOpenSearch,
        embedder: Embedder,
        settings: Settings,
        alias: str,
        cached: CachedEmbedder,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.client = client
        self.embedder = embedder
        self.settings = settings
        self.alias = alias
        self.cached = cached

    async def reindex(
        self, *, batch_size: int = 256, keep: int = 2, progress: Progress | None = None
    ) -> ReindexResult:
        return await build_index(
            self.sessionmaker,
            self.client,
            self.embedder,
            self.settings,
            self.alias,
            batch_size=batch_size,
            keep=keep,
            progress=progress,
            cached=self.cached,
        )

    async def sync(
        self,
        client: AsyncOpenSearch | None = None,
        *,
        max_attempts: int = 5,
        max_backoff: float = 30.0,
    ) -> SyncReport:
        return await run_sync(
            self.sessionmaker,
            career_index(client or self.client, self.alias),
            self.cached,
            max_attempts=max_attempts,
            max_backoff=max_backoff,
        )

    async def pending(self) -> int:
        async with self.sessionmaker() as session:
            count, _ = await CatalogueRepository(session).pending_summary()
        return count


@pytest.fixture
def pipeline(
    db_sessionmaker: SessionMaker,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    settings: Settings,
    index_name: str,
    cached: CachedEmbedder,
    catalogue: Path,
) -> Pipeline:
    return Pipeline(db_sessionmaker, async_opensearch, embedder, settings, index_name, cached)


def set_mid_salary(engine: Engine, career_id: str, salary: int) -> None:
    """An admin-style write: the change and its outbox row in one transaction."""
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE careers SET mid_salary = :s WHERE id = :id"),
            {"s": salary, "id": career_id},
        )
        conn.execute(
            text("INSERT INTO outbox (career_id, operation) VALUES (:id, 'upsert')"),
            {"id": career_id},
        )


def postgres_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM careers")).scalar_one())


def alias_target(client: OpenSearch, alias: str) -> str | None:
    if not client.indices.exists_alias(name=alias):
        return None
    return str(sorted(client.indices.get_alias(name=alias))[-1])


def versioned_indices(client: OpenSearch, alias: str) -> list[str]:
    return sorted(client.indices.get(index=f"{alias}_v*", allow_no_indices=True))


async def test_reindex_builds_versioned_index_and_rotates(
    pipeline: Pipeline, db_engine: Engine, opensearch: OpenSearch, index_name: str
) -> None:
    first = await pipeline.reindex(keep=2)
    assert first.index.startswith(f"{index_name}_v")
    assert alias_target(opensearch, index_name) == first.index
    assert opensearch.count(index=index_name)["count"] == postgres_count(db_engine) == 43
    assert (first.vectors_computed + first.vectors_cached) == 43

    second = await pipeline.reindex(keep=2)
    assert second.vectors_computed == 0
    assert second.vectors_cached == 43
    assert alias_target(opensearch, index_name) == second.index
    assert versioned_indices(opensearch, index_name) == [first.index, second.index]

    third = await pipeline.reindex(keep=2)
    assert versioned_indices(opensearch, index_name) == [second.index, third.index]
    assert third.deleted_indices == [first.index]
    doc = opensearch.get(index=index_name, id="doctor-mbbs")["_source"]
    assert doc["exams"] == ["NEET-UG", "National Eligibility cum Entrance Test (Undergraduate)"]
    assert doc["riasec"] == ["I", "S"]
    assert len(doc["embedding"]) == 384


async def test_searches_during_reindex_never_fail_or_shrink(
    pipeline: Pipeline, db_engine: Engine, index_name: str
) -> None:
    await pipeline.reindex()
    expected = postgres_count(db_engine)
    stop = threading.Event()
    seen: list[int] = []
    errors: list[str] = []

    def search_loop() -> None:
        client = make_client("http://127.0.0.1:9200")
        while not stop.is_set():
            try:
                result = client.search(
                    index=index_name,
                    body={"query": {"match_all": {}}, "size": 0, "track_total_hits": True},
                )
                seen.append(int(result["hits"]["total"]["value"]))
            except Exception as exc:
                errors.append(repr(exc))
        client.close()

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        for _ in range(2):
            await pipeline.reindex(batch_size=5)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(seen) > 20
    assert min(seen) == expected


async def test_failed_bulk_leaves_alias_on_old_index(
    pipeline: Pipeline, db_engine: Engine, opensearch: OpenSearch, index_name: str
) -> None:
    good = await pipeline.reindex()
    # A corrupted cache entry: 383 floats where 384 are expected. The mapping rejects the doc.
    with db_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE embedding_cache SET vector = substring(vector from 5) "
                "WHERE key = (SELECT key FROM embedding_cache ORDER BY key LIMIT 1)"
            )
        )
    with pytest.raises(ReindexFailed, match="rejected"):
        await pipeline.reindex()
    assert alias_target(opensearch, index_name) == good.index
    assert versioned_indices(opensearch, index_name) == [good.index]
    with db_engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM reindex_runs ORDER BY id")).scalars().all()
    assert statuses == ["succeeded", "failed"]


async def test_write_during_reindex_reaches_new_index(
    pipeline: Pipeline, db_engine: Engine, opensearch: OpenSearch, index_name: str
) -> None:
    await pipeline.reindex()
    wrote = threading.Event()

    def write_once(done: int, total: int) -> None:
        # Runs after the snapshot was read, while the new index is being built.
        if not wrote.is_set():
            set_mid_salary(db_engine, "civil-engineer", 2222222)
            wrote.set()

    result = await pipeline.reindex(batch_size=5, progress=write_once)
    assert result.replayed >= 1
    assert opensearch.get(index=index_name, id="civil-engineer")["_source"]["mid_salary"] == 2222222


async def test_admin_put_is_searchable_after_sync(
    api: httpx.AsyncClient,
    pipeline: Pipeline,
    opensearch: OpenSearch,
    index_name: str,
    settings: Settings,
) -> None:
    await pipeline.reindex()
    record = (await api.get("/api/v1/careers/civil-engineer")).json()["data"]
    body = default_careers()[0]
    body["description"] = (
        record["description"] + " Many also design flood barriers for coastal towns."
    )
    response = await api.put(
        "/api/v1/careers/civil-engineer", json=body, headers=admin_headers(settings.database_url)
    )
    assert response.status_code == 200, response.text

    def hits() -> list[str]:
        result = opensearch.search(
            index=index_name, body={"query": {"match": {"description": "flood barriers"}}}
        )
        return [h["_id"] for h in result["hits"]["hits"]]

    assert hits() == []
    report = await sync_once(
        pipeline.sessionmaker, career_index(pipeline.client, index_name), pipeline.cached
    )
    assert report.applied == 1
    assert hits() == ["civil-engineer"]
    assert await pipeline.pending() == 0


async def test_write_while_index_unreachable_is_applied_later_exactly_once(
    pipeline: Pipeline, db_engine: Engine, opensearch: OpenSearch, index_name: str
) -> None:
    await pipeline.reindex()
    set_mid_salary(db_engine, "mechanical-engineer", 1500000)
    set_mid_salary(db_engine, "mechanical-engineer", 1600000)
    dead = make_async_client(f"http://127.0.0.1:{closed_port()}", 5.0)
    with pytest.raises(IndexUnavailable):
        await pipeline.sync(dead, max_attempts=2, max_backoff=0.1)
    await dead.close()
    with db_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, attempts, applied_at FROM outbox WHERE applied_at IS NULL ORDER BY id")
        ).all()
    assert [r.attempts for r in rows] == [2, 2]
    assert (
        opensearch.get(index=index_name, id="mechanical-engineer")["_source"]["mid_salary"]
        != 1600000
    )

    report = await pipeline.sync()
    assert report.applied == 2
    assert report.failed == 0
    doc = opensearch.get(index=index_name, id="mechanical-engineer")
    assert doc["_source"]["mid_salary"] == 1600000
    # external versioning: the document's version is the id of the last event applied
    assert doc["_version"] == rows[-1].id
    with db_engine.connect() as conn:
        applied = conn.execute(
            text("SELECT count(*) FROM outbox WHERE id = ANY(:ids) AND applied_at IS NOT NULL"),
            {"ids": [r.id for r in rows]},
        ).scalar_one()
    assert applied == 2
    again = await pipeline.sync()
    assert again.applied == 0
    assert opensearch.get(index=index_name, id="mechanical-engineer")["_version"] == rows[-1].id


async def test_delete_event_removes_document(
    pipeline: Pipeline, db_engine: Engine, opensearch: OpenSearch, index_name: str
) -> None:
    await pipeline.reindex()
    with db_engine.begin() as conn:
        conn.execute(text("DELETE FROM careers WHERE id = 'career-0039'"))
        conn.execute(
            text("INSERT INTO outbox (career_id, operation) VALUES ('career-0039', 'delete')")
        )
    assert (await pipeline.sync()).applied == 1
    assert not opensearch.exists(index=index_name, id="career-0039")
    assert opensearch.count(index=index_name)["count"] == postgres_count(db_engine)


def run_cli(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "CC_DATABASE_URL": settings.database_url,
        "CC_OPENSEARCH_ALIAS": settings.opensearch_alias,
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


@pytest.mark.parametrize("command", ["reindex", "sync", "status"])
def test_cli_unreachable_opensearch_exit_two(settings: Settings, command: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    result = run_cli(settings, command, CC_OPENSEARCH_URL=url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith(f"error: OpenSearch is unreachable at {url}")


@pytest.mark.parametrize("command", ["reindex", "sync", "status", "adapt-model"])
def test_cli_unreachable_postgres_exit_two(settings: Settings, command: str) -> None:
    result = run_cli(
        settings,
        *([command, "/nonexistent/model"] if command == "adapt-model" else [command]),
        CC_DATABASE_URL=f"postgresql+psycopg://careers:pw@127.0.0.1:{closed_port()}/careers",
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "error: PostgreSQL is unreachable at postgresql+psycopg://careers:***@"
    )


def test_cli_reindex_and_status(settings: Settings, catalogue: Path, index_name: str) -> None:
    settings = settings.model_copy(update={"opensearch_alias": index_name})
    built = run_cli(settings, "reindex", "--keep", "1")
    assert built.returncode == 0, built.stderr
    assert "43 docs" in built.stdout
    assert "vectors computed" in built.stdout
    skipped = run_cli(settings, "reindex", "--if-missing")
    assert "already built, nothing to do" in skipped.stdout
    status = run_cli(settings, "status")
    assert status.returncode == 0
    assert "43 in the index, 43 careers in PostgreSQL (in step)" in status.stdout
    assert "0 pending" in status.stdout


def test_cli_adapt_model_refuses_an_empty_catalogue(settings: Settings, tmp_path: Path) -> None:
    result = run_cli(settings, "adapt-model", str(tmp_path / "model"))

    assert result.returncode == 1
    assert "the catalogue is empty" in result.stderr
    assert not (tmp_path / "model").exists()


def test_cli_adapted_model_is_indexed_under_its_own_name(
    settings: Settings, catalogue: Path, index_name: str, tmp_path: Path
) -> None:
    settings = settings.model_copy(update={"opensearch_alias": index_name})
    model = tmp_path / "model"
    assert run_cli(settings, "reindex", "--keep", "1").returncode == 0

    adapted = run_cli(settings, "adapt-model", str(model), "--per-career", "2")

    assert adapted.returncode == 0, adapted.stderr
    assert f"written to {model}" in adapted.stdout
    metadata = json.loads((model / METADATA).read_text())
    assert metadata["careers"] == 43
    assert metadata["name"] in adapted.stdout
    # another model's vectors: none of the bundled model's cached ones may be reused
    rebuilt = run_cli(settings, "reindex", "--keep", "1", CC_EMBEDDING_MODEL_PATH=str(model))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "vectors computed 43, cached 0" in rebuilt.stdout


async def test_sync_worker_applies_admin_writes(
    api: httpx.AsyncClient,
    pipeline: Pipeline,
    settings: Settings,
    opensearch: OpenSearch,
    index_name: str,
) -> None:
    """`careers-admin sync --follow` (what make run starts beside the API): an admin PUT
    becomes searchable by itself, and SIGTERM stops the worker cleanly."""
    await pipeline.reindex()
    worker = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "sync", "--follow"],
        env={
            **os.environ,
            "CC_DATABASE_URL": settings.database_url,
            "CC_OPENSEARCH_ALIAS": index_name,
            "CC_SYNC_POLL_SECONDS": "0.2",
        },
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = default_careers()[1]
        body["skills"] = ["Mathematics", "Problem solving", "Teamwork", "Glassblowing"]
        response = await api.put(
            "/api/v1/careers/mechanical-engineer",
            json=body,
            headers=admin_headers(settings.database_url),
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, object]] = []
        for _ in range(300):
            found = opensearch.search(
                index=index_name, body={"query": {"match": {"skills": "glassblowing"}}}
            )["hits"]["hits"]
            if found:
                break
            await asyncio.sleep(0.1)
    finally:
        worker.terminate()
        stdout, stderr = worker.communicate(timeout=30)
    assert [h["_id"] for h in found] == ["mechanical-engineer"], stderr
    assert await pipeline.pending() == 0
    assert worker.returncode == 0, stderr
    assert "sync: applied" in stdout
