"""All SQL of accounts, refresh-token sessions and API keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update

from search_api.core.repository import Repository
from search_api.users.models import ApiKey, User, UserSession


class UserRepository(Repository[User]):
    model = User

    async def by_email_hash(self, email_hash: str) -> User | None:
        found: User | None = await self.session.scalar(
            select(User).where(User.email_hash == email_hash)
        )
        return found

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def delete(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(User).where(User.id == user_id))

    async def set_role(self, user_id: uuid.UUID, role: str) -> None:
        await self.session.execute(
            update(User).where(User.id == user_id).values(role=role, updated_at=func.now())
        )

    async def set_password_hash(self, user_id: uuid.UUID, password_hash: str) -> None:
        await self.session.execute(
            update(User).where(User.id == user_id).values(password_hash=password_hash)
        )

    async def batch_after(self, last: uuid.UUID | None, size: int) -> list[User]:
        query = select(User).order_by(User.id).limit(size)
        if last is not None:
            query = query.where(User.id > last)
        return list(await self.session.scalars(query))


class SessionRepository(Repository[UserSession]):
    model = UserSession

    async def add(self, row: UserSession) -> None:
        self.session.add(row)
        await self.session.flush()

    async def by_token_hash_for_update(self, token_hash: str) -> UserSession | None:
        """Locked: two refreshes racing with the same token cannot both rotate it."""
        found: UserSession | None = await self.session.scalar(
            select(UserSession).where(UserSession.token_hash == token_hash).with_for_update()
        )
        return found

    async def mark_rotated(self, session_id: uuid.UUID) -> None:
        await self.session.execute(
            update(UserSession).where(UserSession.id == session_id).values(rotated_at=func.now())
        )

    async def revoke_family(self, family_id: uuid.UUID) -> int:
        result = await self.session.execute(
            update(UserSession)
            .where(UserSession.family_id == family_id, UserSession.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        return int(getattr(result, "rowcount", 0) or 0)


class ApiKeyRepository(Repository[ApiKey]):
    model = ApiKey

    async def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        await self.session.flush()
        return key

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        found: ApiKey | None = await self.session.scalar(
            select(ApiKey).where(ApiKey.key_hash == key_hash)
        )
        return found

    async def listed(self) -> Sequence[ApiKey]:
        return list(await self.session.scalars(select(ApiKey).order_by(ApiKey.created_at)))

    async def revoke(self, key_id: uuid.UUID, at: datetime | None = None) -> None:
        await self.session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=at or func.now())
        )
