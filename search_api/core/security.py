"""Who is calling: the Principal, the Authenticator interface and the access dependencies.

Every domain checks access here, but only the users domain knows accounts, tokens and API
keys, and core must not import it. So core defines the interface (an Authenticator turns a
request into a Principal) and the users domain implements it; the app's lifespan puts the
implementation in `request.state.authenticator`.

Credentials are optional on public routes, but a credential that is sent must be valid:
an expired, tampered or wrong-audience token or a revoked key is a 401 on every route, so a
client never silently gets the anonymous answer while it believes it is signed in. The auth
endpoints themselves (token, refresh, logout, register) opt out with `CredentialsNotReadDep`:
a client holding an expired access token must still be able to refresh it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Literal, Protocol

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer

from search_api.core.errors import AppError

PrincipalKind = Literal["anonymous", "user", "api_key"]
Role = Literal["student", "admin"]
Scope = Literal["read", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "admin")
# The bootstrap key (CC_ADMIN_API_KEY) carries only this scope: it may create API keys.
BOOTSTRAP_SCOPE = "bootstrap"

TOKEN_URL = "/api/v1/auth/token"


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    id: str | None = None  # the user id or the API key id
    role: Role | None = None  # users only
    scopes: frozenset[str] = frozenset()  # API keys only; admins implicitly hold every scope
    session_id: str | None = None  # a signed-in user's refresh-token family (sign-out denies it)

    @property
    def is_user(self) -> bool:
        return self.kind == "user"

    @property
    def is_admin(self) -> bool:
        if self.kind == "user":
            return self.role == "admin"
        return self.kind == "api_key" and "admin" in self.scopes

    def has_scope(self, scope: str) -> bool:
        return self.is_admin or (self.kind == "api_key" and scope in self.scopes)

    @property
    def user_id(self) -> uuid.UUID | None:
        return uuid.UUID(self.id) if self.kind == "user" and self.id else None


ANONYMOUS = Principal("anonymous")


class AuthenticationFailed(AppError):
    """401: the credential sent is missing where required, invalid, expired or revoked."""

    def __init__(self, message: str, code: str = "UNAUTHORIZED", error: str = "") -> None:
        challenge = 'Bearer realm="career-compass"'
        if error:
            challenge += f', error="{error}"'
        super().__init__(code, message, 401, headers={"WWW-Authenticate": challenge})


class Forbidden(AppError):
    def __init__(self, message: str) -> None:
        super().__init__("FORBIDDEN", message, 403)


class Authenticator(Protocol):
    async def authenticate(self, request: Request) -> Principal:
        """ANONYMOUS when the request carries no credential; raises AuthenticationFailed when
        it carries one that is not valid."""
        ...


# Declared on the dependencies so OpenAPI lists both schemes and /docs "Authorize" works.
# auto_error=False: the schemes only document; the Authenticator reads and checks the headers.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    description="A student's or admin's access token from POST /api/v1/auth/token.",
)
api_key_scheme = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="A school's or counsellor's API key (scope read or admin).",
)
BearerDoc = Annotated[str | None, Depends(bearer_scheme)]
ApiKeyDoc = Annotated[str | None, Depends(api_key_scheme)]


async def resolve_principal(request: Request) -> Principal | AuthenticationFailed:
    """Authenticate once per request; the outcome (a failure too) is kept on request.state."""
    state = request.state
    cached: Principal | AuthenticationFailed | None = getattr(state, "principal", None)
    if cached is not None:
        return cached
    authenticator: Authenticator | None = getattr(state, "authenticator", None)
    outcome: Principal | AuthenticationFailed
    if authenticator is None:
        outcome = ANONYMOUS
    else:
        try:
            outcome = await authenticator.authenticate(request)
        except AuthenticationFailed as exc:
            outcome = exc
    state.principal = outcome
    return outcome


async def credentials_not_read() -> None:
    """Marker: this route does not read access credentials (see the module docstring)."""


def route_ignores_credentials(request: Request) -> bool:
    route = request.scope.get("route")
    return any(d.dependency is credentials_not_read for d in getattr(route, "dependencies", ()))


async def get_principal(request: Request, _bearer: BearerDoc, _key: ApiKeyDoc) -> Principal:
    if route_ignores_credentials(request):
        return ANONYMOUS
    outcome = await resolve_principal(request)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome
    return outcome


PrincipalDep = Annotated[Principal, Depends(get_principal)]
CredentialsNotReadDep = Depends(credentials_not_read)


async def _signed_in_user(principal: PrincipalDep) -> Principal:
    if principal.kind == "anonymous":
        raise AuthenticationFailed("sign in first: send an access token (Authorization: Bearer)")
    if not principal.is_user:
        raise Forbidden("this endpoint is for student accounts; API keys cannot use it")
    return principal


async def _admin(principal: PrincipalDep) -> Principal:
    if principal.kind == "anonymous":
        raise AuthenticationFailed("send an admin access token or an admin-scoped X-API-Key")
    if not principal.is_admin:
        raise Forbidden("this needs an admin account or an admin-scoped API key")
    return principal


def require_scope(scope: Scope) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that admits admins and API keys holding `scope`."""

    async def dependency(principal: PrincipalDep) -> Principal:
        if principal.kind == "anonymous":
            raise AuthenticationFailed(f"send an API key with the {scope!r} scope or sign in")
        if not principal.has_scope(scope):
            raise Forbidden(f"this needs the {scope!r} scope")
        return principal

    return dependency


# A signed-in account: students, and admins acting as themselves (their own profile).
StudentDep = Annotated[Principal, Depends(_signed_in_user)]
AdminDep = Annotated[Principal, Depends(_admin)]
ReadScopeDep = Annotated[Principal, Depends(require_scope("read"))]
