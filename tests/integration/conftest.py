from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from opensearchpy import OpenSearch
from sqlalchemy import Engine

from search_api.core.opensearch import make_client
from search_api.core.settings import Settings
from tests.conftest import ROOT


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


@pytest.fixture
def db_url(base_settings: Settings) -> Iterator[str]:
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
    from search_api.main import create_app

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
