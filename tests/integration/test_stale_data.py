"""Data that goes stale or breaks the index: the response cache after a synced change, and
writes with no live index behind the alias (issue 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.embedding_cache import CachedEmbedder
from indexer.loader import load_catalogue
from indexer.sync import apply_events
from search_api.careers.repository import CatalogueRepository
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from tests.fixtures.api import api_client, warm_search
from tests.fixtures.auth import admin_headers
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue
from tests.fixtures.cli import run_cli
from tests.fixtures.indexing import build_index, career_index

SessionMaker = async_sessionmaker[AsyncSession]


@pytest.fixture
async def loaded(db_sessionmaker: SessionMaker, tmp_path: Path) -> Path:
    root = write_catalogue(tmp_path, default_careers() + many_careers(10))
    await load_catalogue(db_sessionmaker, root)
    return root


@pytest.fixture
def aliased(settings: Settings, index_name: str) -> Settings:
    return settings.model_copy(update={"opensearch_alias": index_name})


@pytest.fixture
async def indexed(
    loaded: Path,
    db_sessionmaker: SessionMaker,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    aliased: Settings,
) -> Settings:
    """The loaded catalogue indexed behind the test's own alias: its settings."""
    await build_index(
        db_sessionmaker, async_opensearch, embedder, aliased, aliased.opensearch_alias
    )
    return aliased


def pending_events(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text("SELECT count(*) FROM outbox WHERE applied_at IS NULL")).scalar_one()
        )


async def results(api: httpx.AsyncClient, q: str) -> list[dict[str, Any]]:
    """From OpenSearch: the PostgreSQL fallback would be right for the wrong reason. (On a
    busy machine a search can miss its deadline and fall back: asked again, up to 5 times.)"""
    for _ in range(5):
        response = await api.get("/api/v1/careers/search", params={"q": q})
        assert response.status_code == 200, response.text
        if not response.json()["meta"]["degraded"]:
            found: list[dict[str, Any]] = response.json()["data"]["results"]
            return found
    raise AssertionError(f"search for {q!r} kept falling back to PostgreSQL")


async def result_ids(api: httpx.AsyncClient, q: str) -> list[str]:
    return [r["id"] for r in await results(api, q)]


async def test_deleted_career_leaves_cached_search_after_sync(indexed: Settings) -> None:
    async with api_client(indexed) as api:
        await warm_search(api, "civil engineer")
        # career-0007 is nobody's alternative, so it may be deleted
        assert "career-0007" in await result_ids(api, "traffic analyst 7")  # now cached
        deleted = await api.delete(
            "/api/v1/careers/career-0007", headers=admin_headers(indexed.database_url)
        )
        assert deleted.status_code == 200, deleted.text
        synced = run_cli(indexed, "sync")
        assert synced.returncode == 0, synced.stderr
        assert "career-0007" not in await result_ids(api, "traffic analyst 7")


async def test_created_career_is_suggested_and_found_after_sync(indexed: Settings) -> None:
    """The did-you-mean vocabulary and the cached answer both follow a synced create."""
    body = default_careers()[0]
    body.update(id="glacier-surveyor", name="Glacier Surveyor", aliases=[])
    async with api_client(indexed) as api:
        await warm_search(api, "civil engineer")
        assert "glacier-surveyor" not in await result_ids(api, "glacier surveyor")
        created = await api.post(
            "/api/v1/careers", json=body, headers=admin_headers(indexed.database_url)
        )
        assert created.status_code == 201, created.text
        assert run_cli(indexed, "sync").returncode == 0
        assert "glacier-surveyor" in await result_ids(api, "glacier surveyor")
        typo = await api.get("/api/v1/careers/search", params={"q": "glaceir surveyr"})
        assert typo.json()["data"]["suggestion"] == "glacier surveyor"


async def test_a_document_indexed_before_the_version_advances_is_found_whole(
    indexed: Settings, opensearch: OpenSearch
) -> None:
    """Search reads each career's fields from the careers it read from the index for this
    catalogue version (SearchService.known_careers); a document the sync step has written but
    not yet announced is fetched by id, never dropped or shown without its fields."""
    async with api_client(indexed) as api:
        await warm_search(api, "civil engineer")  # the version's careers are now read
        source = opensearch.get(index=indexed.opensearch_alias, id="career-0007")["_source"]
        source.update(id="glacier-surveyor", name="Glacier Surveyor", aliases=[])
        opensearch.index(
            index=indexed.opensearch_alias, id="glacier-surveyor", body=source, refresh=True
        )
        found = await results(api, "glacier surveyor")
        assert found, "the new document was dropped"
        assert found[0]["id"] == "glacier-surveyor", found[:3]
        assert found[0]["name"] == "Glacier Surveyor"
        assert found[0]["description"] == source["description"]


async def test_sync_with_no_alias_creates_no_index_and_keeps_events_pending(
    loaded: Path, aliased: Settings, opensearch: OpenSearch, db_engine: Engine
) -> None:
    assert pending_events(db_engine) > 0  # the load queued one event per career
    before = pending_events(db_engine)
    result = run_cli(aliased, "sync", "--max-attempts", "1")
    assert result.returncode == 2, result.stdout + result.stderr
    assert not opensearch.indices.exists(index=aliased.opensearch_alias)
    assert pending_events(db_engine) == before


async def test_writes_through_a_missing_alias_fail_instead_of_creating_an_index(
    loaded: Path,
    db_sessionmaker: SessionMaker,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    aliased: Settings,
    opensearch: OpenSearch,
) -> None:
    """The bulk write itself (sync's and reindex's replay): past the live-index check, a
    missing alias must fail each item, never auto-create an index named like the alias."""
    index = career_index(async_opensearch, aliased.opensearch_alias)
    async with db_sessionmaker() as session, session.begin():
        repo = CatalogueRepository(session)
        events = await repo.claim_pending(5)
        done, failed = await apply_events(
            repo, index, CachedEmbedder(db_sessionmaker, embedder), events
        )
    assert done == []
    assert len(failed) == len(events) == 5
    assert all(reason.startswith("index_missing") for reason in failed.values())
    assert not opensearch.indices.exists(index=aliased.opensearch_alias)
