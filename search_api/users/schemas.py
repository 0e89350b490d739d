"""Wire shapes of the accounts, tokens, API keys and audit endpoints."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from search_api.core.envelope import Envelope
from search_api.core.security import Scope

# Deliberately loose (one @, a dot in the domain, no spaces): the address is only an id here.
EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class RegisterRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, Field(max_length=254, examples=["asha.verma@example.in"])]
    password: Annotated[str, Field(min_length=1, max_length=256)]
    display_name: DisplayName

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not EMAIL.match(value):
            raise ValueError("not an email address")
        return value


class UserOut(BaseModel):
    id: uuid.UUID
    email: str
    display_name: str
    role: Literal["student", "admin"]
    created_at: datetime


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds the access token is valid")
    refresh_token: str
    refresh_expires_in: int


class TokenEnvelope(Envelope[TokenPair]):
    """The envelope, plus the OAuth2 fields at the top level: /docs "Authorize" (and any
    OAuth2 client) reads `access_token` from there."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Annotated[str, Field(min_length=1, max_length=200)]


class SignedOut(BaseModel):
    signed_out: bool


class DeletedAccount(BaseModel):
    deleted: bool
    id: uuid.UUID


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=2)] = ["read"]
    note: Annotated[str | None, Field(max_length=500)] = None
    expires_in_days: Annotated[int | None, Field(ge=1, le=3650)] = None


class ApiKeyOut(BaseModel):
    id: uuid.UUID
    name: str
    prefix: str = Field(description="The visible part of the key: cc_<prefix>_...")
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    note: str | None


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The whole key. Shown once: store it now.")


class ApiKeyList(BaseModel):
    keys: list[ApiKeyOut]


class AuditEntryOut(BaseModel):
    id: int
    at: datetime
    actor_kind: str
    actor_id: str | None
    action: str
    target_type: str
    target_id: str | None
    before: Any
    after: Any
    request_id: str | None


class AuditPage(BaseModel):
    total: int
    page: int
    size: int
    entries: list[AuditEntryOut]
