"""Reindex, alias swap, outbox sync and the CLI's failure modes, against real services."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from opensearchpy import OpenSearch
from sqlalchemy import Engine, text

from indexer.embedding_cache import CachedEmbedder
from indexer.loader import load_catalogue
from indexer.reindex import ReindexFailed, alias_target, reindex, versioned_indices
from indexer.sync import IndexUnavailable, pending_count, run_sync, sync_once
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_client
from search_api.core.settings import DEV_ADMIN_API_KEY, Settings
from tests.conftest import ROOT, api_client, closed_port
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue


@pytest.fixture
def cached(db_engine: Engine, embedder: Embedder) -> CachedEmbedder:
    return CachedEmbedder(db_engine, embedder)


@pytest.fixture
def catalogue(db_engine: Engine, tmp_path: Path) -> Path:
    root = write_catalogue(tmp_path, default_careers() + many_careers(40))
    load_catalogue(db_engine, root)
    return root


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


def test_reindex_builds_versioned_index_and_rotates(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    first = reindex(db_engine, opensearch, cached, index_name, keep=2)
    assert first.index.startswith(f"{index_name}_v")
    assert alias_target(opensearch, index_name) == first.index
    assert opensearch.count(index=index_name)["count"] == postgres_count(db_engine) == 43
    assert (first.vectors_computed + first.vectors_cached) == 43

    second = reindex(db_engine, opensearch, cached, index_name, keep=2)
    assert second.vectors_computed == 0
    assert second.vectors_cached == 43
    assert alias_target(opensearch, index_name) == second.index
    assert versioned_indices(opensearch, index_name) == [first.index, second.index]

    third = reindex(db_engine, opensearch, cached, index_name, keep=2)
    assert versioned_indices(opensearch, index_name) == [second.index, third.index]
    assert third.deleted_indices == [first.index]
    doc = opensearch.get(index=index_name, id="doctor-mbbs")["_source"]
    assert doc["exams"] == ["NEET-UG", "National Eligibility cum Entrance Test (Undergraduate)"]
    assert doc["riasec"] == ["I", "S"]
    assert len(doc["embedding"]) == 384


def test_searches_during_reindex_never_fail_or_shrink(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    reindex(db_engine, opensearch, cached, index_name)
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
            reindex(db_engine, opensearch, cached, index_name, batch_size=5)
    finally:
        stop.set()
        thread.join()
    assert errors == []
    assert len(seen) > 20
    assert min(seen) == expected


def test_failed_bulk_leaves_alias_on_old_index(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    good = reindex(db_engine, opensearch, cached, index_name)
    # A corrupted cache entry: 383 floats where 384 are expected. The mapping rejects the doc.
    with db_engine.begin() as conn:
        conn.execute(
            text(
                "UPDATE embedding_cache SET vector = substring(vector from 5) "
                "WHERE key = (SELECT key FROM embedding_cache ORDER BY key LIMIT 1)"
            )
        )
    with pytest.raises(ReindexFailed, match="rejected"):
        reindex(db_engine, opensearch, cached, index_name)
    assert alias_target(opensearch, index_name) == good.index
    assert versioned_indices(opensearch, index_name) == [good.index]
    with db_engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM reindex_runs ORDER BY id")).scalars().all()
    assert statuses == ["succeeded", "failed"]


def test_write_during_reindex_reaches_new_index(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    reindex(db_engine, opensearch, cached, index_name)
    wrote = threading.Event()

    def write_once(done: int, total: int) -> None:
        # Runs after the snapshot was read, while the new index is being built.
        if not wrote.is_set():
            set_mid_salary(db_engine, "civil-engineer", 2222222)
            wrote.set()

    result = reindex(db_engine, opensearch, cached, index_name, batch_size=5, progress=write_once)
    assert result.replayed >= 1
    assert opensearch.get(index=index_name, id="civil-engineer")["_source"]["mid_salary"] == 2222222


async def test_admin_put_is_searchable_after_sync(
    api: httpx.AsyncClient,
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    reindex(db_engine, opensearch, cached, index_name)
    record = (await api.get("/api/v1/careers/civil-engineer")).json()["data"]
    body = default_careers()[0]
    body["description"] = (
        record["description"] + " Many also design flood barriers for coastal towns."
    )
    response = await api.put(
        "/api/v1/careers/civil-engineer", json=body, headers={"X-API-Key": DEV_ADMIN_API_KEY}
    )
    assert response.status_code == 200, response.text

    def hits() -> list[str]:
        result = opensearch.search(
            index=index_name, body={"query": {"match": {"description": "flood barriers"}}}
        )
        return [h["_id"] for h in result["hits"]["hits"]]

    assert hits() == []
    report = sync_once(db_engine, opensearch, cached, index_name)
    assert report.applied == 1
    assert hits() == ["civil-engineer"]
    assert pending_count(db_engine)[0] == 0


def test_write_while_index_unreachable_is_applied_later_exactly_once(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    reindex(db_engine, opensearch, cached, index_name)
    set_mid_salary(db_engine, "mechanical-engineer", 1500000)
    set_mid_salary(db_engine, "mechanical-engineer", 1600000)
    dead = make_client(f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(IndexUnavailable):
        run_sync(db_engine, dead, cached, index_name, max_attempts=2, max_backoff=0.1)
    dead.close()
    with db_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, attempts, applied_at FROM outbox WHERE applied_at IS NULL ORDER BY id")
        ).all()
    assert [r.attempts for r in rows] == [2, 2]
    assert (
        opensearch.get(index=index_name, id="mechanical-engineer")["_source"]["mid_salary"]
        != 1600000
    )

    report = run_sync(db_engine, opensearch, cached, index_name)
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
    again = run_sync(db_engine, opensearch, cached, index_name)
    assert again.applied == 0
    assert opensearch.get(index=index_name, id="mechanical-engineer")["_version"] == rows[-1].id


def test_delete_event_removes_document(
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    reindex(db_engine, opensearch, cached, index_name)
    with db_engine.begin() as conn:
        conn.execute(text("DELETE FROM careers WHERE id = 'career-0039'"))
        conn.execute(
            text("INSERT INTO outbox (career_id, operation) VALUES ('career-0039', 'delete')")
        )
    assert run_sync(db_engine, opensearch, cached, index_name).applied == 1
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


@pytest.mark.parametrize("command", ["reindex", "sync", "status"])
def test_cli_unreachable_postgres_exit_two(settings: Settings, command: str) -> None:
    result = run_cli(
        settings,
        command,
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


async def test_sync_inside_the_api_applies_admin_writes(
    settings: Settings,
    db_engine: Engine,
    opensearch: OpenSearch,
    cached: CachedEmbedder,
    catalogue: Path,
    index_name: str,
) -> None:
    """CC_SYNC_IN_API=true (what make run uses): an admin PUT becomes searchable by itself."""
    import asyncio

    reindex(db_engine, opensearch, cached, index_name)
    live = settings.model_copy(
        update={"opensearch_alias": index_name, "sync_in_api": True, "sync_poll_seconds": 0.2}
    )
    body = default_careers()[1]
    body["skills"] = ["Mathematics", "Problem solving", "Teamwork", "Glassblowing"]
    async with api_client(live) as api:
        response = await api.put(
            "/api/v1/careers/mechanical-engineer",
            json=body,
            headers={"X-API-Key": DEV_ADMIN_API_KEY},
        )
        assert response.status_code == 200, response.text
        for _ in range(100):
            found = opensearch.search(
                index=index_name, body={"query": {"match": {"skills": "glassblowing"}}}
            )["hits"]["hits"]
            if found:
                break
            await asyncio.sleep(0.1)
    assert [h["_id"] for h in found] == ["mechanical-engineer"]
    assert pending_count(db_engine)[0] == 0
