"""The audit log of admin writes: who, when, what, and the record before and after.

Catalogue writes (careers domain) and account administration (users domain) both record
here, so the table and its writer sit in the shared kit. An entry is written in the same
transaction as the change it describes: a rolled-back change leaves no entry, and a committed
one always has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import BigInteger, DateTime, Index, String, func, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from search_api.core.db import Base
from search_api.core.deps import SessionDep
from search_api.core.repository import Repository
from search_api.core.security import Principal, PrincipalDep


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # user | api_key | cli; the id of the account or key (kept after either is deleted)
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    action: Mapped[str] = mapped_column(String(60))  # e.g. career.update, api_key.revoke
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    before: Mapped[Any] = mapped_column(JSONB, nullable=True)
    after: Mapped[Any] = mapped_column(JSONB, nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_target", "target_type", "target_id"),
    )


class AuditRepository(Repository[AuditEntry]):
    model = AuditEntry

    async def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)
        await self.session.flush()

    async def page(
        self,
        page: int,
        size: int,
        action: str | None = None,
        target_type: str | None = None,
        target_id: str | None = None,
        actor_id: str | None = None,
    ) -> tuple[int, Sequence[AuditEntry]]:
        query = select(AuditEntry)
        if action:
            query = query.where(AuditEntry.action == action)
        if target_type:
            query = query.where(AuditEntry.target_type == target_type)
        if target_id:
            query = query.where(AuditEntry.target_id == target_id)
        if actor_id:
            query = query.where(AuditEntry.actor_id == actor_id)
        return await self.paginate(
            query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()), page, size
        )


class AuditTrail:
    """Bound to one request's session and caller."""

    def __init__(self, repository: AuditRepository, actor: Principal, request_id: str | None):
        self.repository = repository
        self.actor = actor
        self.request_id = request_id

    async def record(
        self,
        action: str,
        target_type: str,
        target_id: str | None,
        before: Any = None,
        after: Any = None,
    ) -> None:
        await self.repository.add(
            AuditEntry(
                actor_kind=self.actor.kind,
                actor_id=self.actor.id,
                action=action,
                target_type=target_type,
                target_id=target_id,
                before=before,
                after=after,
                request_id=self.request_id,
            )
        )


async def get_audit_trail(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> AuditTrail:
    return AuditTrail(
        AuditRepository(session), principal, getattr(request.state, "request_id", None)
    )


AuditDep = Annotated[AuditTrail, Depends(get_audit_trail)]
