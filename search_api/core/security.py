"""Admin access. For now one admin API key from settings, sent as X-API-Key."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Header

from search_api.core.deps import SettingsDep
from search_api.core.errors import AppError


def require_admin(
    settings: SettingsDep,
    x_api_key: Annotated[str | None, Header(description="Admin API key")] = None,
) -> None:
    if not x_api_key:
        raise AppError("UNAUTHORIZED", "send the admin API key in the X-API-Key header", 401)
    if not hmac.compare_digest(x_api_key.encode(), settings.admin_api_key.encode()):
        raise AppError("FORBIDDEN", "this API key may not change the catalogue", 403)


AdminDep = Annotated[None, Depends(require_admin)]
