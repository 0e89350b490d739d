"""Sign up, sign in, renew, sign out, the account page and account deletion, as pages.

Thin, like every endpoint: the work is users.service.AccountService, called in-process
(never over HTTP). How the session and CSRF work is in pages.session.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from search_api.core.errors import ConflictError, ValidationFailed
from search_api.core.security import AuthenticationFailed
from search_api.pages.endpoints import NICE_TO_HAVE, UNAVAILABLE, local_path, render
from search_api.pages.session import (
    ACCOUNT_PATH,
    REFRESH_COOKIE,
    PageSession,
    PageSessionDep,
    clear_session_cookies,
    csrf_ok,
    read_page_session,
    set_session_cookies,
    wants_renewal,
)
from search_api.pages.session import (
    PageAccountsDep as AccountsDep,
)
from search_api.users.schemas import RegisterRequest

router = APIRouter(
    prefix=ACCOUNT_PATH, include_in_schema=False, dependencies=[Depends(read_page_session)]
)

CsrfField = Annotated[str, Form(max_length=100)]

RENEW_FAILED: tuple[type[BaseException], ...] = (AuthenticationFailed, *UNAVAILABLE)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def with_next(path: str, next_url: str) -> str:
    target = local_path(next_url)
    return path if target in ("/", "") else f"{path}?{urlencode({'next': target})}"


def form_expired(request: Request, template: str, page_id: str) -> HTMLResponse:
    """A post without the matching CSRF token: forged, or a form left open past its cookie."""
    return render(request, template, page_id, {"problem": "error_form_expired"}, 403)


# ---- sign up ------------------------------------------------------------------------------


@router.get("/sign-up", response_class=HTMLResponse)
async def sign_up_page(
    request: Request,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/for-you",
) -> HTMLResponse:
    return render(request, "sign_up.html", "sign_up", {"next": local_path(next_url)})


@router.post("/sign-up", response_class=HTMLResponse, response_model=None)
async def sign_up(
    request: Request,
    accounts: AccountsDep,
    csrf: CsrfField,
    display_name: Annotated[str, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
    password: Annotated[str, Form(max_length=300)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/for-you",
) -> Response:
    # what the form shows again on a problem: never the password
    kept = {"next": local_path(next_url), "email": email.strip(), "display_name": display_name}
    if not csrf_ok(request, csrf):
        return render(
            request, "sign_up.html", "sign_up", {**kept, "problem": "error_form_expired"}, 403
        )
    problem, details, status = None, [], 422
    try:
        body = RegisterRequest(email=email, password=password, display_name=display_name)
        await accounts.register(body)
        pair = await accounts.login(body.email, password)
    except ValidationError as exc:
        fields = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
        problem = "signup_bad_email" if "email" in fields else "signup_bad_name"
        if "password" in fields:
            problem = "signup_weak"
    except ConflictError:
        problem, status = "signup_taken", 409
    except ValidationFailed as exc:  # the password rules (users.service.WeakPassword)
        problem = "signup_weak"
        details = [d["message"] for d in exc.details if isinstance(d, dict)]
    except UNAVAILABLE:
        problem, status = "error_service_down", 503
    if problem is not None:
        context = {**kept, "problem": problem, "details": details}
        return render(request, "sign_up.html", "sign_up", context, status)
    response = see_other(kept["next"])
    set_session_cookies(request, response, pair)
    return response


# ---- sign in ------------------------------------------------------------------------------


@router.get("/sign-in", response_class=HTMLResponse, response_model=None)
async def sign_in_page(
    request: Request,
    session: PageSessionDep,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/for-you",
) -> Response:
    if session.signed_in:
        return see_other(local_path(next_url))
    return render(request, "sign_in.html", "sign_in", {"next": local_path(next_url)})


@router.post("/sign-in", response_class=HTMLResponse, response_model=None)
async def sign_in(
    request: Request,
    accounts: AccountsDep,
    csrf: CsrfField,
    email: Annotated[str, Form(max_length=300)] = "",
    password: Annotated[str, Form(max_length=300)] = "",
    next_url: Annotated[str, Form(alias="next", max_length=2000)] = "/for-you",
) -> Response:
    kept = {"next": local_path(next_url), "email": email.strip()}
    if not csrf_ok(request, csrf):
        return render(
            request, "sign_in.html", "sign_in", {**kept, "problem": "error_form_expired"}, 403
        )
    try:
        pair = await accounts.login(email.strip(), password)
    except AuthenticationFailed:
        return render(request, "sign_in.html", "sign_in", {**kept, "problem": "signin_wrong"}, 401)
    except UNAVAILABLE:
        context = {**kept, "problem": "error_service_down"}
        return render(request, "sign_in.html", "sign_in", context, 503)
    response = see_other(kept["next"])
    set_session_cookies(request, response, pair)
    return response


@router.get("/renew")
async def renew(
    request: Request,
    accounts: AccountsDep,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/for-you",
) -> RedirectResponse:
    """The access token ran out: trade the refresh cookie for a new pair, or ask to sign in."""
    target = local_path(next_url)
    token = request.cookies.get(REFRESH_COOKIE, "")
    try:
        if not token:
            raise AuthenticationFailed("no refresh token")
        pair = await accounts.refresh(token[:200])
    except RENEW_FAILED:
        response = see_other(with_next("/account/sign-in", target))
        clear_session_cookies(response)
        return response
    response = see_other(target)
    set_session_cookies(request, response, pair)
    return response


@router.post("/sign-out")
async def sign_out(
    request: Request, accounts: AccountsDep, session: PageSessionDep, csrf: CsrfField
) -> Response:
    if not csrf_ok(request, csrf):
        return form_expired(request, "account.html", "account")
    token = request.cookies.get(REFRESH_COOKIE, "")
    if token:
        await accounts.logout(token[:200])
    elif session.principal is not None and session.principal.session_id:
        await accounts.kit.revocations.deny_session(session.principal.session_id)
    response = see_other("/explore?signed_out=1")
    clear_session_cookies(response)
    return response


# ---- the account page and deletion ----------------------------------------------------------


def must_sign_in(request: Request, session: PageSession, here: str) -> RedirectResponse:
    if wants_renewal(request, session):
        return see_other(with_next("/account/renew", here))
    return see_other(with_next("/account/sign-in", here))


@router.get("", response_class=HTMLResponse, response_model=None)
async def account_page(
    request: Request, accounts: AccountsDep, session: PageSessionDep
) -> Response:
    if session.principal is None:
        return must_sign_in(request, session, ACCOUNT_PATH)
    try:
        user = await accounts.me(session.principal)
    except AuthenticationFailed:  # the account was deleted elsewhere
        response = see_other("/account/sign-in")
        clear_session_cookies(response)
        return response
    except UNAVAILABLE:
        return render(request, "account.html", "account", {"problem": "error_service_down"}, 503)
    return render(request, "account.html", "account", {"user": user})


@router.post("/delete", response_class=HTMLResponse, response_model=None)
async def delete_account(
    request: Request,
    accounts: AccountsDep,
    session: PageSessionDep,
    csrf: CsrfField,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if session.principal is None:
        return must_sign_in(request, session, ACCOUNT_PATH)
    if not csrf_ok(request, csrf):
        return form_expired(request, "account.html", "account")
    try:
        if confirm != "yes":
            user = await accounts.me(session.principal)
            context = {"user": user, "delete_problem": "delete_unconfirmed"}
            return render(request, "account.html", "account", context, 422)
        await accounts.delete_me(session.principal)
    except AuthenticationFailed:
        pass  # already gone: the outcome the student asked for
    except NICE_TO_HAVE:
        return render(request, "account.html", "account", {"problem": "error_service_down"}, 503)
    response = see_other("/account/deleted")
    clear_session_cookies(response)
    return response


@router.get("/deleted", response_class=HTMLResponse)
async def account_deleted(request: Request) -> HTMLResponse:
    return render(request, "account_deleted.html", "account_deleted", {})
