"""Accounts in headless Chromium: sign up, sign in, the saved profile on For you, personalised
explore with the fit breakdown, the personalise switch, sign out, a wrong password, and
deleting the account."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.browser import (
    DESKTOP,
    STUDENT_PASSWORD,
    api_json,
    new_email,
    save_profile,
    settle,
    sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]
WEIGHTS = {"stream": 0.3, "interest": 0.4, "skill": 0.2, "salary": 0.1}
QUERY = "doctor"


def card_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(".card", "els => els.map(e => e.dataset.id)")
    return ids


def sign_in(page: Page, server: str, email: str, password: str) -> None:
    page.goto(f"{server}/explore")
    page.click("#account-link")
    page.wait_for_url(re.compile(r"/account/sign-in\?next="))
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#sign-in-form button[type=submit]")


def test_sign_up_sign_in_save_profile_personalised_explore_sign_out(
    browser: Browser, page: Page, server: str
) -> None:
    email = new_email()
    first = browser.new_context(viewport=DESKTOP)
    sign_up(first.new_page(), server, email)
    first.close()

    # another browser: sign in from the header link; back where the student was
    sign_in(page, server, email, STUDENT_PASSWORD)
    page.wait_for_url(f"{server}/explore")
    expect(page.locator("#account-link")).to_have_attribute("href", "/account")

    save_profile(page, server)
    expect(page.locator("#profile-saved")).to_be_visible()
    expect(page.locator("#interests")).to_have_value("animals, caring for pets")
    expect(page.locator(".rec").first).to_be_visible()
    assert page.url == f"{server}/for-you?saved=1"  # the profile is not in the address

    anonymous: list[dict[str, Any]] = api_json(
        server, "GET", f"/api/v1/careers/search?q={QUERY}&size=10"
    )["data"]["results"]
    page.goto(f"{server}/explore?q={QUERY}")
    expect(page.locator("#personalise-off")).to_be_visible()
    cards = page.locator(".card")
    assert cards.count() > 1
    for i in range(cards.count()):
        card = cards.nth(i)
        parts = {
            str(p.get_attribute("data-part")): float(p.get_attribute("data-value") or "nan")
            for p in card.locator(".fit .part").all()
        }
        assert set(parts) == set(WEIGHTS)
        score = float(card.locator(".fit").get_attribute("data-fit") or "nan")
        assert score == pytest.approx(sum(WEIGHTS[k] * v for k, v in parts.items()), abs=0.01)
        expect(card.locator(".fit-score")).to_contain_text(f"{round(score * 100)}%")
    personal = card_ids(page)
    assert personal != [r["id"] for r in anonymous]

    # the switch: plain relevance, said in the address, back restores the personal order
    page.click("#personalise-off")
    page.wait_for_url(f"{server}/explore?q={QUERY}&personalise=false")
    settle(page)
    expect(page.locator(".fit")).to_have_count(0)
    assert card_ids(page) == [r["id"] for r in anonymous]
    page.go_back()
    page.wait_for_url(f"{server}/explore?q={QUERY}")
    settle(page)
    assert card_ids(page) == personal

    page.click("#account-link")
    page.wait_for_url(f"{server}/account")
    page.click("#sign-out-form button")
    page.wait_for_url(f"{server}/explore?signed_out=1")
    expect(page.locator("#signed-out-note")).to_be_visible()
    expect(page.locator("#account-link")).to_have_text("Sign in")
    page.goto(f"{server}/explore?q={QUERY}")
    expect(page.locator(".fit")).to_have_count(0)


def test_a_wrong_password_says_so_by_keyboard_alone(page: Page, server: str) -> None:
    email = new_email()
    sign_up(page, server, email)
    page.context.clear_cookies()
    page.goto(f"{server}/account/sign-in")
    page.keyboard.press("Tab")  # the skip link first, as on every page
    page.focus("#email")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type("Not-my-password-9")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("That email and password do not match an account")
    expect(page.locator("#email")).to_have_value(email)
    expect(page.locator("#password")).to_have_value("")
    assert page.url == f"{server}/account/sign-in"


def test_deleting_the_account_asks_first_and_removes_it(page: Page, server: str) -> None:
    email = new_email()
    sign_up(page, server, email)
    save_profile(page, server)
    page.goto(f"{server}/account")
    expect(page.locator("#account-email")).to_have_text(email)

    # without the tick the browser refuses to send the form; dismissing the dialog keeps all
    page.click("#delete-form button")
    assert page.url == f"{server}/account"
    page.check("#confirm-delete")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#delete-form button")
    assert page.url == f"{server}/account"

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#delete-form button")
    page.wait_for_url(f"{server}/account/deleted")
    expect(page.locator("#deleted-note")).to_be_visible()
    expect(page.locator("#account-link")).to_have_text("Sign in")

    sign_in(page, server, email, STUDENT_PASSWORD)
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
