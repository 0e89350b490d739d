"""The profile repository, with the cipher built in lifespan."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.core.crypto import FieldCipher
from search_api.core.deps import SessionDep
from search_api.profiles.repository import ProfileRepository


async def get_cipher(request: Request) -> FieldCipher:
    cipher: FieldCipher = request.state.cipher
    return cipher


CipherDep = Annotated[FieldCipher, Depends(get_cipher)]


async def get_profile_repository(session: SessionDep, cipher: CipherDep) -> ProfileRepository:
    return ProfileRepository(session, cipher)


ProfileRepositoryDep = Annotated[ProfileRepository, Depends(get_profile_repository)]
