"""Access tokens (PyJWT, HS256) and the opaque refresh and API key secrets.

An access token lives about 30 minutes and carries sub (user id), role, iss, aud, iat, exp,
jti and sid (the refresh-token family it came from, so logging out can deny it).
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass

import jwt

from search_api.core.security import AuthenticationFailed, Principal
from search_api.core.settings import Settings

ALGORITHM = "HS256"
REQUIRED_CLAIMS = ["sub", "role", "iss", "aud", "iat", "exp", "jti", "sid"]
# Clocks of the API processes may differ by a little.
LEEWAY_SECONDS = 10
API_KEY_TAG = "cc"


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_in: int


class TokenCodec:
    def __init__(self, settings: Settings) -> None:
        self.secret = settings.jwt_secret
        self.issuer = settings.jwt_issuer
        self.audience = settings.jwt_audience
        self.lifetime = settings.access_token_minutes * 60

    def issue(
        self, user_id: uuid.UUID, role: str, family_id: uuid.UUID, now: float | None = None
    ) -> IssuedToken:
        issued_at = int(now if now is not None else time.time())
        jti = uuid.uuid4().hex
        claims = {
            "sub": str(user_id),
            "role": role,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": issued_at,
            "exp": issued_at + self.lifetime,
            "jti": jti,
            "sid": str(family_id),
        }
        return IssuedToken(jwt.encode(claims, self.secret, algorithm=ALGORITHM), jti, self.lifetime)

    def principal(self, token: str) -> tuple[Principal, int]:
        """-> (the principal, the token's iat). Raises AuthenticationFailed."""
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.ExpiredSignatureError:
            raise AuthenticationFailed(
                "the access token has expired: refresh it", "TOKEN_EXPIRED", "invalid_token"
            ) from None
        except jwt.InvalidAudienceError:
            raise AuthenticationFailed(
                "the access token is not for this API", "INVALID_TOKEN", "invalid_token"
            ) from None
        except jwt.PyJWTError:
            raise AuthenticationFailed(
                "the access token is invalid", "INVALID_TOKEN", "invalid_token"
            ) from None
        role = claims["role"]
        try:
            user_id = uuid.UUID(str(claims["sub"]))
        except ValueError:
            raise AuthenticationFailed(
                "the access token is invalid", "INVALID_TOKEN", "invalid_token"
            ) from None
        if role not in ("student", "admin"):
            raise AuthenticationFailed("the access token is invalid", "INVALID_TOKEN")
        principal = Principal("user", str(user_id), role, session_id=str(claims["sid"]))
        return principal, int(claims["iat"])


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def new_api_key() -> tuple[str, str]:
    """-> (the whole key to show once, its visible prefix)."""
    prefix = secrets.token_hex(4)
    return f"{API_KEY_TAG}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def api_key_prefix(key: str) -> str | None:
    tag, sep, rest = key.partition("_")
    prefix, sep2, secret = rest.partition("_")
    if tag != API_KEY_TAG or not sep or not sep2 or len(prefix) != 8 or not secret:
        return None
    return prefix
