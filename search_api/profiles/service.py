"""Which profile a request is personalised with."""

from __future__ import annotations

import logging

from sqlalchemy.exc import DBAPIError

from search_api.core.crypto import DecryptionFailed
from search_api.core.security import Principal
from search_api.profiles.repository import ProfileRepository
from search_api.profiles.schemas import ProfileQuery, StudentProfile

log = logging.getLogger("search_api.profiles")


async def effective_profile(
    query: ProfileQuery, principal: Principal, profiles: ProfileRepository
) -> StudentProfile | None:
    """The signed-in student's saved profile with any inline profile_* fields laid over it;
    for everyone else the inline fields alone. None when personalise=false or when nothing
    in it could change a ranking.

    Without Postgres (or with an undecryptable row) the saved profile is skipped and logged:
    search keeps answering, as it does for the catalogue.
    """
    if not query.personalise:
        return None
    saved = None
    if principal.user_id is not None:
        try:
            saved = await profiles.load(principal.user_id)
        except (DBAPIError, OSError, DecryptionFailed) as exc:
            log.warning("saved profile unavailable, searching without it: %s", type(exc).__name__)
            await profiles.session.rollback()
    profile = query.apply_to(saved) if query.has_inline_profile() else saved
    if profile is None or profile.is_empty:
        return None
    return profile
