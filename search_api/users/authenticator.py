"""The Authenticator core.security asks for: bearer access tokens and X-API-Key keys.

- A bearer token is checked locally (signature, iss, aud, exp) and then against the
  revocation list in Redis (one MGET): logging out denies the token's session, deleting the
  account denies every token issued before. If Redis is down the check is skipped (logged):
  access tokens are short-lived, and a dead cache must not sign everybody out.
- An API key is found by its sha256 (a unique index) and compared in constant time. Keys
  found are remembered in this process for KEY_CACHE_SECONDS, so a key does not cost a
  database round trip per request; revoking through this process forgets at once, other
  processes notice within that time.
"""

from __future__ import annotations

import hmac
import logging
import time
import uuid
from datetime import UTC, datetime

from fastapi import Request
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from search_api.core.cache import CACHE_ERRORS
from search_api.core.crypto import sha256_hex
from search_api.core.security import (
    ANONYMOUS,
    BOOTSTRAP_SCOPE,
    AuthenticationFailed,
    Principal,
)
from search_api.users.repository import ApiKeyRepository
from search_api.users.tokens import TokenCodec, api_key_prefix

log = logging.getLogger("search_api.users")

KEY_CACHE_SECONDS = 10.0
DENY_PREFIX = "cc:deny:"
BOOTSTRAP_ID = "bootstrap"


class Revocations:
    """Denied sessions and accounts, kept in Redis as long as an access token can live."""

    def __init__(self, redis: Redis, token_lifetime_seconds: int) -> None:
        self.redis = redis
        self.ttl = token_lifetime_seconds + 60

    async def deny_session(self, family_id: uuid.UUID | str) -> None:
        await self._set(f"{DENY_PREFIX}sid:{family_id}", "1")

    async def deny_user(self, user_id: uuid.UUID | str) -> None:
        """Every token of this user issued up to now is refused."""
        await self._set(f"{DENY_PREFIX}user:{user_id}", str(int(time.time())))

    async def _set(self, key: str, value: str) -> None:
        try:
            await self.redis.set(key, value, ex=self.ttl)
        except CACHE_ERRORS as exc:
            log.warning("could not record a revocation in redis: %s", type(exc).__name__)

    async def is_denied(self, session_id: str | None, user_id: str, issued_at: int) -> bool:
        try:
            sid, user = await self.redis.mget(
                [f"{DENY_PREFIX}sid:{session_id}", f"{DENY_PREFIX}user:{user_id}"]
            )
        except CACHE_ERRORS as exc:
            log.warning("revocation check skipped: redis unavailable (%s)", type(exc).__name__)
            return False
        return sid is not None or (user is not None and issued_at <= int(user))


class AccountAuthenticator:
    def __init__(
        self,
        codec: TokenCodec,
        revocations: Revocations,
        sessionmaker: async_sessionmaker[AsyncSession],
        bootstrap_key: str = "",
    ) -> None:
        self.codec = codec
        self.revocations = revocations
        self.sessionmaker = sessionmaker
        self.bootstrap_key = bootstrap_key
        self._keys: dict[str, tuple[float, Principal | AuthenticationFailed]] = {}

    async def authenticate(self, request: Request) -> Principal:
        authorization = request.headers.get("authorization")
        api_key = request.headers.get("x-api-key")
        if authorization and api_key:
            raise AuthenticationFailed("send an access token or an API key, not both")
        if authorization:
            scheme, _, token = authorization.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationFailed(
                    "send the access token as Authorization: Bearer <token>",
                    "INVALID_TOKEN",
                    "invalid_request",
                )
            return await self.bearer(token.strip())
        if api_key:
            return await self.api_key(api_key.strip())
        return ANONYMOUS

    async def bearer(self, token: str) -> Principal:
        principal, issued_at = self.codec.principal(token)
        assert principal.id is not None
        if await self.revocations.is_denied(principal.session_id, principal.id, issued_at):
            raise AuthenticationFailed(
                "the access token was revoked: sign in again", "TOKEN_REVOKED", "invalid_token"
            )
        return principal

    def forget_keys(self) -> None:
        """After a revocation: look every key up again."""
        self._keys.clear()

    async def api_key(self, key: str) -> Principal:
        if self.bootstrap_key and hmac.compare_digest(key.encode(), self.bootstrap_key.encode()):
            return Principal("api_key", BOOTSTRAP_ID, scopes=frozenset({BOOTSTRAP_SCOPE}))
        if api_key_prefix(key) is None:
            raise AuthenticationFailed("the API key is invalid", "INVALID_API_KEY")
        digest = sha256_hex(key)
        now = time.monotonic()
        cached = self._keys.get(digest)
        if cached is None or cached[0] < now:
            cached = (now + KEY_CACHE_SECONDS, await self._look_up(digest))
            if len(self._keys) > 10_000:
                self._keys.clear()
            self._keys[digest] = cached
        outcome = cached[1]
        if isinstance(outcome, AuthenticationFailed):
            raise outcome
        return outcome

    async def _look_up(self, digest: str) -> Principal | AuthenticationFailed:
        async with self.sessionmaker() as session:
            row = await ApiKeyRepository(session).by_hash(digest)
        if row is None or not hmac.compare_digest(row.key_hash, digest):
            return AuthenticationFailed("the API key is invalid", "INVALID_API_KEY")
        if row.revoked_at is not None:
            return AuthenticationFailed("the API key was revoked", "API_KEY_REVOKED")
        if row.expires_at is not None and row.expires_at <= datetime.now(UTC):
            return AuthenticationFailed("the API key has expired", "API_KEY_EXPIRED")
        return Principal("api_key", str(row.id), scopes=frozenset(row.scopes))
