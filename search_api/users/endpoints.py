"""Accounts, tokens, API keys and the audit log. Thin: the work is in users.service."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from search_api.core.audit import AuditDep, AuditRepository
from search_api.core.auth_first import AuthenticateFirstRoute
from search_api.core.deps import SessionDep
from search_api.core.envelope import Envelope, ErrorEnvelope, build_meta, envelope
from search_api.core.pagination import max_page, page_description
from search_api.core.security import (
    BOOTSTRAP_SCOPE,
    AdminDep,
    AuthenticationFailed,
    CredentialsNotReadDep,
    Forbidden,
    Principal,
    PrincipalDep,
    StudentDep,
)
from search_api.profiles.schemas import StudentProfile
from search_api.users.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    AuditEntryOut,
    AuditPage,
    DeletedAccount,
    RefreshRequest,
    RegisterRequest,
    SignedOut,
    TokenEnvelope,
    TokenPair,
    UserOut,
)
from search_api.users.service import AccountKit, AccountService, ApiKeyService

ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorEnvelope} for code in (401, 403, 404, 409, 422, 429, 503)
}

auth_router = APIRouter(
    prefix="/api/v1/auth", tags=["auth"], dependencies=[CredentialsNotReadDep], responses=ERRORS
)
users_router = APIRouter(
    prefix="/api/v1/users", tags=["users"], responses=ERRORS, route_class=AuthenticateFirstRoute
)
keys_router = APIRouter(
    prefix="/api/v1/api-keys",
    tags=["api keys"],
    responses=ERRORS,
    route_class=AuthenticateFirstRoute,
)
admin_router = APIRouter(
    prefix="/api/v1/admin", tags=["admin"], responses=ERRORS, route_class=AuthenticateFirstRoute
)


async def get_kit(request: Request) -> AccountKit:
    kit: AccountKit = request.state.accounts
    return kit


KitDep = Annotated[AccountKit, Depends(get_kit)]


async def get_account_service(session: SessionDep, kit: KitDep) -> AccountService:
    return AccountService(session, kit)


async def get_key_service(session: SessionDep, kit: KitDep, audit: AuditDep) -> ApiKeyService:
    return ApiKeyService(session, kit, audit)


AccountsDep = Annotated[AccountService, Depends(get_account_service)]
KeysDep = Annotated[ApiKeyService, Depends(get_key_service)]


def token_envelope(request: Request, pair: TokenPair) -> TokenEnvelope:
    return TokenEnvelope(
        data=pair,
        meta=build_meta(request),
        access_token=pair.access_token,
        expires_in=pair.expires_in,
    )


# ---- tokens --------------------------------------------------------------------------


@auth_router.post(
    "/token", response_model=TokenEnvelope, summary="Sign in: an access and a refresh token"
)
async def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    service: AccountsDep,
) -> TokenEnvelope:
    """OAuth2 password form (`username` is the email). The access token lasts about 30
    minutes; trade the refresh token for a new pair at /api/v1/auth/refresh. A wrong
    password and an unknown email get the same 401."""
    return token_envelope(request, await service.login(form.username, form.password))


@auth_router.post("/refresh", response_model=TokenEnvelope, summary="Rotate the refresh token")
async def refresh_token(
    request: Request, body: RefreshRequest, service: AccountsDep
) -> TokenEnvelope:
    """Each refresh token works once. Presenting a spent one signs out every session of
    that sign-in (someone else may hold a copy)."""
    return token_envelope(request, await service.refresh(body.refresh_token))


@auth_router.post("/logout", response_model=Envelope[SignedOut], summary="Sign out")
async def logout(
    request: Request, body: RefreshRequest, service: AccountsDep
) -> Envelope[SignedOut]:
    """Revokes the refresh token's session and denies its access tokens."""
    await service.logout(body.refresh_token)
    return envelope(request, SignedOut(signed_out=True))


# ---- accounts ------------------------------------------------------------------------


@users_router.post(
    "/register",
    response_model=Envelope[UserOut],
    status_code=status.HTTP_201_CREATED,
    dependencies=[CredentialsNotReadDep],
    summary="Create a student account",
)
async def register(
    request: Request, body: RegisterRequest, service: AccountsDep
) -> Envelope[UserOut]:
    """Passwords: at least 10 characters, letters mixed with digits or symbols, not a
    common password, not the email or name. A taken email is a 409."""
    return envelope(request, await service.register(body))


@users_router.get("/me", response_model=Envelope[UserOut], summary="The signed-in account")
async def me(request: Request, principal: StudentDep, service: AccountsDep) -> Envelope[UserOut]:
    return envelope(request, await service.me(principal))


@users_router.delete(
    "/me",
    response_model=Envelope[DeletedAccount],
    summary="Delete the account and everything tied to it",
)
async def delete_me(
    request: Request, principal: StudentDep, service: AccountsDep
) -> Envelope[DeletedAccount]:
    """Removes the account, its profile, sessions, plans and recorded interactions, and
    signs out every token issued to it."""
    user_id = await service.delete_me(principal)
    return envelope(request, DeletedAccount(deleted=True, id=user_id))


@users_router.get("/profile", response_model=Envelope[StudentProfile], summary="The saved profile")
async def get_profile(
    request: Request, principal: StudentDep, service: AccountsDep
) -> Envelope[StudentProfile]:
    """Search and recommendations use it for the signed-in student. Empty until saved."""
    return envelope(request, await service.profile(principal))


@users_router.put("/profile", response_model=Envelope[StudentProfile], summary="Save the profile")
async def put_profile(
    request: Request, body: StudentProfile, principal: StudentDep, service: AccountsDep
) -> Envelope[StudentProfile]:
    """Replaces the whole profile. Interests, skills and the state are stored encrypted."""
    return envelope(request, await service.save_profile(principal, body))


# ---- API keys ------------------------------------------------------------------------


async def admin_or_bootstrap(principal: PrincipalDep) -> Principal:
    if principal.kind == "anonymous":
        raise AuthenticationFailed("send an admin access token or an admin-scoped X-API-Key")
    if not (principal.is_admin or BOOTSTRAP_SCOPE in principal.scopes):
        raise Forbidden("creating API keys needs an admin account or an admin-scoped key")
    return principal


@keys_router.post(
    "",
    response_model=Envelope[ApiKeyCreated],
    status_code=status.HTTP_201_CREATED,
    summary="Create an API key (admin)",
)
async def create_key(
    request: Request,
    body: ApiKeyCreate,
    principal: Annotated[Principal, Depends(admin_or_bootstrap)],
    service: KeysDep,
) -> Envelope[ApiKeyCreated]:
    """For schools and counsellors. The key is in the answer once and never again (only its
    sha256 is stored). Scope `read`: catalogue, search and analytics insights at the API
    key rate limit; `admin`: also every admin endpoint. CC_ADMIN_API_KEY, when set, may
    call this (and only this) to create the first admin key."""
    return envelope(request, await service.create(body, principal))


@keys_router.get("", response_model=Envelope[ApiKeyList], summary="List API keys (admin)")
async def list_keys(request: Request, _: AdminDep, service: KeysDep) -> Envelope[ApiKeyList]:
    return envelope(request, ApiKeyList(keys=await service.listed()))


@keys_router.delete(
    "/{key_id}", response_model=Envelope[ApiKeyOut], summary="Revoke an API key (admin)"
)
async def revoke_key(
    request: Request, key_id: Annotated[uuid.UUID, Path()], _: AdminDep, service: KeysDep
) -> Envelope[ApiKeyOut]:
    return envelope(request, await service.revoke(key_id))


# ---- audit ---------------------------------------------------------------------------


@admin_router.get("/audit", response_model=Envelope[AuditPage], summary="The audit log (admin)")
async def read_audit(
    request: Request,
    session: SessionDep,
    _: AdminDep,
    page: Annotated[int, Query(ge=1, le=max_page(100), description=page_description(100))] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 50,
    action: Annotated[str | None, Query(max_length=60, description="e.g. career.update")] = None,
    target_type: Annotated[str | None, Query(max_length=40)] = None,
    target_id: Annotated[str | None, Query(max_length=100)] = None,
    actor_id: Annotated[str | None, Query(max_length=64)] = None,
) -> Envelope[AuditPage]:
    """Every admin write, newest first: who (account or key), when, what, before, after."""
    total, rows = await AuditRepository(session).page(
        page, size, action, target_type, target_id, actor_id
    )
    entries = [AuditEntryOut.model_validate(r, from_attributes=True) for r in rows]
    return envelope(request, AuditPage(total=total, page=page, size=size, entries=entries))
