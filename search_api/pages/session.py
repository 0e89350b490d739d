"""How a signed-in student stays signed in on the pages, and CSRF protection for their forms.

The session is the accounts API's own access token, kept in an HttpOnly cookie, so the pages
add no second kind of session: the token is checked exactly as a bearer token is (signature,
expiry, the Redis revocation list), and signing out or deleting the account denies it the
same way. The refresh token sits in a second HttpOnly cookie scoped to /account, so it only
travels to the sign-out and renew routes, never with every page and asset request.

The cookies only ever authenticate pages: the JSON API reads credentials from headers alone,
so a cookie can never make a cross-site request to /api/v1 act as the student.

CSRF: the session cookie is SameSite=Lax (a link from elsewhere arrives signed in; a
cross-site form post carries no cookie), and every state-changing form also carries a
double-submit token: a random value in a SameSite=Strict cookie that the page repeats in a
hidden field. A forged post can neither read the cookie nor set the field to match it.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.core.deps import get_session
from search_api.core.security import AuthenticationFailed, Principal
from search_api.users.endpoints import KitDep
from search_api.users.schemas import TokenPair
from search_api.users.service import AccountKit, AccountService

SESSION_COOKIE = "cc_session"
REFRESH_COOKIE = "cc_refresh"
# Not a secret: tells a page that an expired session may be renewed (the refresh cookie is
# only visible under /account).
SIGNED_IN_COOKIE = "cc_signed_in"
CSRF_COOKIE = "cc_csrf"
CSRF_FIELD = "csrf"
ACCOUNT_PATH = "/account"


@dataclass(frozen=True)
class PageSession:
    """Who the page is for. principal None: an anonymous student."""

    principal: Principal | None = None
    stale: bool = False  # a session cookie was sent and is no longer valid: clear it

    @property
    def signed_in(self) -> bool:
        return self.principal is not None


async def read_page_session(request: Request) -> PageSession:
    """Once per request (kept on request.state, so render() sees it too)."""
    cached: PageSession | None = getattr(request.state, "page_session", None)
    if cached is not None:
        return cached
    session = PageSession()
    token = request.cookies.get(SESSION_COOKIE)
    kit: AccountKit | None = getattr(request.state, "accounts", None)
    if token and kit is not None:
        try:
            principal = await kit.authenticator.bearer(token)
        except AuthenticationFailed:
            session = PageSession(stale=True)
        else:
            session = PageSession(principal if principal.is_user else None, not principal.is_user)
    request.state.page_session = session
    return session


PageSessionDep = Annotated[PageSession, Depends(read_page_session)]

# scope="function": the transaction commits before the redirect leaves, so the page the
# browser asks for next already sees the new account, session or profile.
CommittedSessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def get_page_accounts(session: CommittedSessionDep, kit: KitDep) -> AccountService:
    return AccountService(session, kit)


PageAccountsDep = Annotated[AccountService, Depends(get_page_accounts)]


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def set_session_cookies(request: Request, response: Response, pair: TokenPair) -> None:
    https = secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        pair.access_token,
        max_age=pair.expires_in,
        path="/",
        httponly=True,
        samesite="lax",
        secure=https,
    )
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=pair.refresh_expires_in,
        path=ACCOUNT_PATH,
        httponly=True,
        samesite="strict",
        secure=https,
    )
    response.set_cookie(
        SIGNED_IN_COOKIE,
        "1",
        max_age=pair.refresh_expires_in,
        path="/",
        httponly=True,
        samesite="lax",
        secure=https,
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(REFRESH_COOKIE, path=ACCOUNT_PATH)
    response.delete_cookie(SIGNED_IN_COOKIE, path="/")


def csrf_token(request: Request) -> tuple[str, bool]:
    """-> (the token for this browser, whether it is new and must be set as a cookie)."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(existing) <= 100:
        return existing, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, path="/", httponly=True, samesite="strict", secure=secure(request)
    )


def csrf_ok(request: Request, submitted: str) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), submitted.encode())


def wants_renewal(request: Request, session: PageSession) -> bool:
    """The access token ran out (its cookie expired) but the sign-in may still be renewed."""
    return (
        not session.signed_in
        and request.method == "GET"
        and SIGNED_IN_COOKIE in request.cookies
        and SESSION_COOKIE not in request.cookies
    )
