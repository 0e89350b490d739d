"""Saved profiles, decrypted on the way out and encrypted on the way in."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.core.crypto import FieldCipher
from search_api.core.repository import Repository
from search_api.profiles.models import UserProfile
from search_api.profiles.schemas import StudentProfile, WorkPreferences


def private_context(user_id: uuid.UUID) -> str:
    return f"user_profiles.private_data:{user_id}"


class ProfileRepository(Repository[UserProfile]):
    model = UserProfile

    def __init__(self, session: AsyncSession, cipher: FieldCipher) -> None:
        super().__init__(session)
        self.cipher = cipher

    def _private(self, row: UserProfile) -> dict[str, Any]:
        if not row.private_data:
            return {}
        loaded: dict[str, Any] = json.loads(
            self.cipher.decrypt(row.private_data, private_context(row.user_id))
        )
        return loaded

    def to_profile(self, row: UserProfile) -> StudentProfile:
        private = self._private(row)
        return StudentProfile(
            grade=row.grade,
            stream=row.stream,
            interests=private.get("interests", []),
            skills=private.get("skills", []),
            salary_min=row.salary_min,
            salary_max=row.salary_max,
            work_preferences=WorkPreferences.model_validate(row.work_preferences or {}),
            state=private.get("state"),
            preferred_language=row.preferred_language,
        )

    async def load(self, user_id: uuid.UUID) -> StudentProfile | None:
        row = await self.get_one_or_none(user_id)
        return self.to_profile(row) if row is not None else None

    async def save(self, user_id: uuid.UUID, profile: StudentProfile) -> None:
        private = {"interests": profile.interests, "skills": profile.skills, "state": profile.state}
        values = {
            "grade": profile.grade,
            "stream": profile.stream,
            "salary_min": profile.salary_min,
            "salary_max": profile.salary_max,
            "work_preferences": profile.work_preferences.model_dump(mode="json"),
            "preferred_language": profile.preferred_language,
            "private_data": self.cipher.encrypt(
                json.dumps(private, ensure_ascii=False), private_context(user_id)
            ),
        }
        stmt = insert(UserProfile).values(user_id=user_id, **values)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[UserProfile.user_id],
                set_={**values, "updated_at": func.now()},
            )
        )

    async def delete_for(self, user_id: uuid.UUID) -> None:
        await self.session.execute(delete(UserProfile).where(UserProfile.user_id == user_id))

    async def streams_of(self, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Each user's saved stream (for the analytics stream mix)."""
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(UserProfile.user_id, UserProfile.stream).where(
                UserProfile.user_id.in_(list(user_ids)), UserProfile.stream.is_not(None)
            )
        )
        return {r.user_id: r.stream for r in rows}

    async def reencrypt(self, batch_size: int = 500) -> int:
        """Move every row written under an older key to the primary key; returns how many."""
        moved = 0
        last: uuid.UUID | None = None
        while True:
            query = select(UserProfile.user_id, UserProfile.private_data).order_by(
                UserProfile.user_id
            )
            if last is not None:
                query = query.where(UserProfile.user_id > last)
            rows = list(await self.session.execute(query.limit(batch_size)))
            if not rows:
                return moved
            for row in rows:
                last = row.user_id
                token = row.private_data
                if not token or not self.cipher.needs_rotation(token):
                    continue
                context = private_context(row.user_id)
                await self.session.execute(
                    update(UserProfile)
                    .where(UserProfile.user_id == row.user_id)
                    .values(
                        private_data=self.cipher.encrypt(
                            self.cipher.decrypt(token, context), context
                        )
                    )
                )
                moved += 1
