"""Alembic environment, and the registry of every table module.

The registry sits here, above the domains: importing each models module registers its tables
on Base.metadata. The URL comes from the settings; tests pass their own (with a private
search_path).
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from indexer import models as indexer_models
from search_api.agent import models as agent_models
from search_api.analytics import models as analytics_models
from search_api.careers import models as careers_models
from search_api.core import audit as audit_models
from search_api.core.db import Base, make_sync_engine
from search_api.core.settings import get_settings
from search_api.profiles import models as profiles_models
from search_api.users import models as users_models

TABLE_MODULES = (
    careers_models,
    users_models,
    profiles_models,
    analytics_models,
    audit_models,
    indexer_models,
    agent_models,
)

config = context.config
# Called from code (tests, benchmarks) the caller owns logging; from the alembic CLI we set it up.
if config.config_file_name is not None and not config.attributes:
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.attributes.get("url") or get_settings().database_url
    engine = make_sync_engine(url)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline SQL generation is not supported; run against a database")
run_migrations_online()
