"""SQLAlchemy engines and the declarative base shared by the API, the CLI and Alembic.

The table modules register on Base.metadata when imported; the registry that imports them all
(for Alembic) is migrations/env.py, above the domains.
"""

from __future__ import annotations

from sqlalchemy import Engine, MetaData, create_engine
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names so Alembic migrations can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _connect_args(timeout_seconds: float) -> dict[str, object]:
    # libpq's connect_timeout is whole seconds; a dead host must fail fast, not hang a request.
    return {"connect_timeout": max(1, round(timeout_seconds))}


def make_async_engine(url: str, timeout_seconds: float = 2.0, **kwargs: object) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args=_connect_args(timeout_seconds),
        **kwargs,
    )


def make_sync_engine(url: str, timeout_seconds: float = 5.0, **kwargs: object) -> Engine:
    return create_engine(
        url, pool_pre_ping=True, connect_args=_connect_args(timeout_seconds), **kwargs
    )


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
