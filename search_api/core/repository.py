"""A generic repository base: each domain repository adds only its own statements."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Self, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.core.db import Base

ModelT = TypeVar("ModelT", bound=Base)


class Repository(Generic[ModelT]):
    model: type[ModelT]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @classmethod
    def from_session(cls, session: AsyncSession) -> Self:
        return cls(session)

    async def get_one_or_none(self, primary_key: Any) -> ModelT | None:
        return await self.session.get(self.model, primary_key)

    async def get_many(self, keys: Sequence[Any]) -> list[ModelT]:
        if not keys:
            return []
        (pk,) = self.model.__mapper__.primary_key
        return list(await self.session.scalars(select(self.model).where(pk.in_(list(keys)))))

    async def count(self, statement: Select[Any] | None = None) -> int:
        statement = statement if statement is not None else select(self.model)
        total = await self.session.scalar(select(func.count()).select_from(statement.subquery()))
        return int(total or 0)

    async def paginate(
        self, statement: Select[Any], page: int, size: int
    ) -> tuple[int, list[ModelT]]:
        """-> (total rows the statement matches, the rows of page `page`, 1-based)."""
        total = await self.count(statement)
        rows: list[ModelT] = list(
            await self.session.scalars(statement.offset((page - 1) * size).limit(size))
        )
        return total, rows
