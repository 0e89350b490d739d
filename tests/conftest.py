"""Shared fixtures. Integration tests use the real services that `make test` starts.

Helpers live in tests/fixtures/; this file only declares fixtures.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_async_client, make_client
from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.database import migrated_schema, sessionmaker_for
from tests.fixtures.indexing import load_and_index
from tests.fixtures.services import ROOT, TEST_DATABASE_URL


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path) or "tests/relevance" in str(item.path):
            item.add_marker(pytest.mark.integration)
        if "tests/cluster" in str(item.path):
            item.add_marker(pytest.mark.cluster)
        if "tests/faults" in str(item.path):
            item.add_marker(pytest.mark.faults)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings(
        database_url=TEST_DATABASE_URL,
        preload_embedder=False,
        data_dir=str(ROOT / "data"),
        mappings_file=str(ROOT / "mappings" / "careers.json"),
        # Every test client is 127.0.0.1 against the shared Redis: limits high enough that
        # no test meets them by accident (tests/integration/test_rate_limits.py sets its
        # own), and buckets of this session only.
        rate_limit_prefix=f"cc:test:{uuid.uuid4().hex[:8]}:rl:",
        rate_limit_anonymous=1_000_000,
        rate_limit_student=1_000_000,
        rate_limit_api_key=1_000_000,
        analytics_flush_seconds=0.05,
    )


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    model = Embedder()
    model.load()
    return model


@pytest.fixture(scope="session")
def opensearch(base_settings: Settings) -> Iterator[OpenSearch]:
    """A plain client, for tests to check what reached the index."""
    client = make_client(base_settings.opensearch_url)
    yield client
    client.close()


@pytest.fixture(scope="session")
async def async_opensearch(base_settings: Settings) -> AsyncIterator[AsyncOpenSearch]:
    client = make_async_client(base_settings.opensearch_url, 60.0)
    yield client
    await client.close()


@pytest.fixture
def index_name(opensearch: OpenSearch) -> Iterator[str]:
    """A fresh alias name per test; whatever the test created under it is deleted after."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    opensearch.indices.delete(index=f"{name}*", ignore_unavailable=True, expand_wildcards="all")


@pytest.fixture
def db_url(base_settings: Settings) -> Iterator[str]:
    with migrated_schema(base_settings.database_url) as url:
        yield url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    """A plain engine, for tests to check and set what is in the database."""
    engine = make_sync_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
async def db_sessionmaker(db_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    async with sessionmaker_for(db_url) as sessionmaker:
        yield sessionmaker


@pytest.fixture
def settings(base_settings: Settings, db_url: str) -> Settings:
    return base_settings.model_copy(update={"database_url": db_url})


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(settings) as client:
        yield client


@pytest.fixture(scope="session")
async def catalogue_settings(
    base_settings: Settings,
    opensearch: OpenSearch,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
) -> AsyncIterator[Settings]:
    """The real catalogue from data/, loaded into a private schema and indexed behind a private
    alias, once per test session. Tests that only read share it."""
    alias = f"test_cat_{uuid.uuid4().hex[:8]}"
    with migrated_schema(base_settings.database_url) as url:
        try:
            async with sessionmaker_for(url) as sessionmaker:
                await load_and_index(
                    sessionmaker, async_opensearch, embedder, base_settings, ROOT / "data", alias
                )
            yield base_settings.model_copy(update={"database_url": url, "opensearch_alias": alias})
        finally:
            opensearch.indices.delete(index=f"{alias}*", ignore_unavailable=True)


@pytest.fixture
async def catalogue_api(catalogue_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(catalogue_settings) as client:
        yield client
