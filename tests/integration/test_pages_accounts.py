"""The account pages over ASGI against the real services: sign-up, sign-in, the cookie
session, CSRF, the saved profile on For you, personalised explore, sign-out, renewal and
deletion. The browser suite (tests/browser/test_accounts.py) drives the same flow by hand."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any

import httpx
import pytest

from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.auth import PASSWORD

CARD_ID = re.compile(r'<article class="card" data-id="([a-z0-9-]+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PROFILE = {
    "grade": "12",
    "stream": "PCB",
    "interests": "animals, caring for pets",
    "skills": "patience",
    "salary_min": "3",
    "salary_max": "",
    "riasec": "IS",
}


@pytest.fixture
async def pages(catalogue_settings: Settings) -> Any:
    # a client of its own per test: its cookie jar is one browser
    async with api_client(catalogue_settings) as client:
        yield client


async def csrf_of(api: httpx.AsyncClient, path: str) -> str:
    page = await api.get(path)
    found = CSRF.search(page.text)
    assert found is not None, f"no CSRF field on {path}"
    return found.group(1)


async def sign_up(api: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    token = await csrf_of(api, "/account/sign-up")
    return await api.post(
        "/account/sign-up",
        data={"csrf": token, "display_name": "Asha", "email": email, "password": password},
    )


def new_email() -> str:
    return f"page-{uuid.uuid4().hex[:10]}@example.in"


async def test_sign_up_signs_in_with_httponly_lax_cookies(pages: httpx.AsyncClient) -> None:
    response = await sign_up(pages, new_email())
    assert response.status_code == 303
    assert response.headers["location"] == "/for-you"
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("cc_session="))
    refresh = next(c for c in cookies if c.startswith("cc_refresh="))
    assert "HttpOnly" in session
    assert "SameSite=lax" in session
    assert "Path=/account" in refresh
    assert "SameSite=strict" in refresh
    account = await pages.get("/account")
    assert account.status_code == 200
    assert 'id="account-name">Asha<' in account.text


async def test_a_post_without_the_csrf_token_changes_nothing(pages: httpx.AsyncClient) -> None:
    email = new_email()
    await pages.get("/account/sign-up")  # the browser holds a CSRF cookie
    forged = await pages.post(
        "/account/sign-up",
        data={"csrf": "x" * 43, "display_name": "Asha", "email": email, "password": PASSWORD},
    )
    assert forged.status_code == 403
    assert "This form had expired" in unescape(forged.text)
    # no account was made: signing in with it fails
    token = await csrf_of(pages, "/account/sign-in")
    attempt = await pages.post(
        "/account/sign-in", data={"csrf": token, "email": email, "password": PASSWORD}
    )
    assert attempt.status_code == 401


async def test_wrong_password_says_so_and_keeps_the_email(pages: httpx.AsyncClient) -> None:
    email = new_email()
    await sign_up(pages, email)
    pages.cookies.clear()
    token = await csrf_of(pages, "/account/sign-in")
    wrong = await pages.post(
        "/account/sign-in", data={"csrf": token, "email": email, "password": "Wrong-password-1"}
    )
    assert wrong.status_code == 401
    assert "That email and password do not match an account" in unescape(wrong.text)
    assert f'value="{email}"' in wrong.text
    assert "cc_session" not in wrong.headers.get("set-cookie", "")


async def test_weak_password_and_taken_email_are_explained(pages: httpx.AsyncClient) -> None:
    weak = await sign_up(pages, new_email(), password="password")
    assert weak.status_code == 422
    assert "Choose a stronger password" in weak.text
    email = new_email()
    await sign_up(pages, email)
    pages.cookies.clear()
    taken = await sign_up(pages, email)
    assert taken.status_code == 409
    assert "already exists" in taken.text


async def test_for_you_saves_the_profile_and_explore_uses_it(pages: httpx.AsyncClient) -> None:
    await sign_up(pages, new_email())
    token = await csrf_of(pages, "/for-you")
    saved = await pages.post("/for-you", data={"csrf": token, **PROFILE})
    assert saved.status_code == 303
    again = await pages.get("/for-you")
    html = unescape(again.text)
    assert 'value="animals, caring for pets"' in html
    assert 'name="riasec" value="IS"' in html
    assert '<option value="PCB" selected>' in html
    assert 'class="rec"' in html  # the saved profile's recommendations
    anonymous = CARD_ID.findall((await pages.get("/explore?q=doctor&personalise=false")).text)
    personal = await pages.get("/explore?q=doctor")
    assert "Fit for you:" in personal.text
    assert personal.text.count('data-part="interest"') == len(CARD_ID.findall(personal.text))
    assert CARD_ID.findall(personal.text) != anonymous
    # the switch in the page is the personalise=false address
    off = re.search(r'href="([^"]+)" id="personalise-off"', personal.text)
    assert off is not None
    assert "personalise=false" in unescape(off.group(1))


async def test_the_profile_stays_out_of_the_address_when_signed_in(
    pages: httpx.AsyncClient,
) -> None:
    await sign_up(pages, new_email())
    token = await csrf_of(pages, "/for-you")
    await pages.post("/for-you", data={"csrf": token, **PROFILE})
    page = await pages.get("/for-you")
    assert 'data-url="/for-you"' in page.text
    # a profile that comes in a link (the quiz's) is shown, kept in the address, not saved
    linked = await pages.get("/for-you?grade=11&stream=PCM&riasec=R")
    assert 'data-url="/for-you?grade=11&amp;stream=PCM&amp;riasec=R"' in linked.text
    assert '<option value="PCM" selected>' in linked.text
    assert '<option value="PCB" selected>' in (await pages.get("/for-you")).text


async def test_sign_out_ends_the_session(pages: httpx.AsyncClient) -> None:
    await sign_up(pages, new_email())
    old_session = pages.cookies.get("cc_session")
    token = await csrf_of(pages, "/account")
    out = await pages.post("/account/sign-out", data={"csrf": token})
    assert out.status_code == 303
    assert (await pages.get("/account")).headers["location"].startswith("/account/sign-in")
    # the old token is denied even if a copy of the cookie survived
    pages.cookies.set("cc_session", old_session or "")
    explore = await pages.get("/explore")
    assert 'id="account-link" href="/account"' not in explore.text


async def test_an_expired_session_is_renewed_from_the_refresh_cookie(
    pages: httpx.AsyncClient,
) -> None:
    await sign_up(pages, new_email())
    pages.cookies.delete("cc_session")  # what the browser does when its Max-Age runs out
    account = await pages.get("/account")
    assert account.headers["location"] == "/account/renew?next=%2Faccount"
    renewed = await pages.get(account.headers["location"])
    assert renewed.status_code == 303
    assert renewed.headers["location"] == "/account"
    assert (await pages.get("/account")).status_code == 200


async def test_delete_needs_the_tick_then_removes_everything(pages: httpx.AsyncClient) -> None:
    email = new_email()
    await sign_up(pages, email)
    token = await csrf_of(pages, "/account")
    unticked = await pages.post("/account/delete", data={"csrf": token})
    assert unticked.status_code == 422
    assert (await pages.get("/account")).status_code == 200
    deleted = await pages.post("/account/delete", data={"csrf": token, "confirm": "yes"})
    assert deleted.headers["location"] == "/account/deleted"
    assert "cc_session=" in deleted.headers.get("set-cookie", "")
    pages.cookies.clear()
    token = await csrf_of(pages, "/account/sign-in")
    attempt = await pages.post(
        "/account/sign-in", data={"csrf": token, "email": email, "password": PASSWORD}
    )
    assert attempt.status_code == 401


async def test_next_never_leaves_the_site(pages: httpx.AsyncClient) -> None:
    token = await csrf_of(pages, "/account/sign-up")
    response = await pages.post(
        "/account/sign-up",
        data={
            "csrf": token,
            "display_name": "Asha",
            "email": new_email(),
            "password": PASSWORD,
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/"
