"""Shared fixtures. Integration tests use the real services that `make test` starts."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

import httpx
import pytest
from opensearchpy import OpenSearch
from sqlalchemy import Engine

from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_client
from search_api.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get(
    "CC_TEST_DATABASE_URL", "postgresql+psycopg://careers:careers@127.0.0.1:5433/careers_test"
)


def closed_port() -> int:
    """A local port nothing listens on: how tests make a dependency unreachable."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path) or "tests/relevance" in str(item.path):
            item.add_marker(pytest.mark.integration)
        if "tests/cluster" in str(item.path):
            item.add_marker(pytest.mark.cluster)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings(database_url=TEST_DATABASE_URL, preload_embedder=False)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    model = Embedder()
    model.load()
    return model


@pytest.fixture(scope="session")
def opensearch(base_settings: Settings) -> Iterator[OpenSearch]:
    client = make_client(base_settings.opensearch_url)
    yield client
    client.close()


@pytest.fixture
def index_name(opensearch: OpenSearch) -> Iterator[str]:
    """A fresh index name per test; whatever the test created under it is deleted after."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    opensearch.indices.delete(index=f"{name}*", ignore_unavailable=True, expand_wildcards="all")


@contextmanager
def migrated_schema(base_settings: Settings) -> Iterator[str]:
    """A private schema, migrated to head, dropped afterwards. The URL pins search_path to it."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from search_api.core.db import make_sync_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_sync_engine(base_settings.database_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(base_settings.database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def db_url(base_settings: Settings) -> Iterator[str]:
    with migrated_schema(base_settings) as url:
        yield url


@pytest.fixture
def db_engine(db_url: str) -> Iterator[Engine]:
    from search_api.core.db import make_sync_engine

    engine = make_sync_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def settings(base_settings: Settings, db_url: str) -> Settings:
    return base_settings.model_copy(update={"database_url": db_url})


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(settings) as client:
        yield client


@pytest.fixture(scope="session")
def catalogue_settings(
    base_settings: Settings, opensearch: OpenSearch, embedder: Embedder
) -> Iterator[Settings]:
    """The real catalogue from data/, loaded into a private schema and indexed behind a private
    alias, once per test session. Tests that only read share it."""
    from indexer.embedding_cache import CachedEmbedder
    from indexer.loader import load_catalogue
    from indexer.reindex import reindex
    from search_api.core.db import make_sync_engine

    alias = f"test_cat_{uuid.uuid4().hex[:8]}"
    with migrated_schema(base_settings) as url:
        engine = make_sync_engine(url)
        try:
            load_catalogue(engine, ROOT / "data")
            reindex(engine, opensearch, CachedEmbedder(engine, embedder), alias)
            yield base_settings.model_copy(update={"database_url": url, "opensearch_alias": alias})
        finally:
            engine.dispose()
            opensearch.indices.delete(index=f"{alias}*", ignore_unavailable=True)


@asynccontextmanager
async def api_client(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    from search_api.main import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


@pytest.fixture
async def catalogue_api(catalogue_settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async with api_client(catalogue_settings) as client:
        yield client
