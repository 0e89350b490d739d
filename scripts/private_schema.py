"""A private, migrated PostgreSQL schema for the benchmarks: created, migrated to head, and
dropped afterwards, so a benchmark never writes into the schema `make run` serves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url

from search_api.core.db import make_sync_engine

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def private_schema(database_url: str, prefix: str = "bench", keep: bool = False) -> Iterator[str]:
    """-> a database URL whose search_path is the new schema. keep: do not drop it (the
    schema name is in the URL; drop it yourself)."""
    schema = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = make_sync_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = (
        make_url(database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        config = Config(str(ROOT / "alembic.ini"))
        config.set_main_option("script_location", str(ROOT / "migrations"))
        config.attributes["url"] = url
        command.upgrade(config, "head")
        yield url
    finally:
        if not keep:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
