"""The Content-Security-Policy in a real browser: the pages and /docs load and work with no
violation, and /docs "Authorize" (the password flow) opens from the locally served Swagger UI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.fixtures.browser import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page and the CSP violations and off-origin requests it reports."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(20_000)
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: problems.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    page.on(
        "request",
        lambda req: (
            None if req.url.startswith(("http://127.0.0.1", "data:")) else problems.append(req.url)
        ),
    )
    yield page, problems
    context.close()


@pytest.mark.parametrize("path", ["/explore?q=doctor", "/careers/doctor-mbbs", "/quiz"])
def test_pages_break_no_rule_of_the_policy(
    server: str, watched: tuple[Page, list[str]], path: str
) -> None:
    page, problems = watched
    page.goto(f"{server}{path}")
    page.wait_for_load_state("networkidle")
    assert problems == []


def test_docs_load_locally_and_authorize_opens(
    watched: tuple[Page, list[str]], server: str
) -> None:
    page, problems = watched
    page.goto(f"{server}/docs")
    # Swagger UI parses a 1.5 MB bundle and the whole schema: slow on a busy machine
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "Career Compass", timeout=90_000
    )
    page.click("button.authorize")
    dialog = page.locator(".modal-ux")
    expect(dialog).to_be_visible()
    expect(dialog.locator("input#oauth_username")).to_be_visible()
    expect(dialog.locator("input[type=password]").first).to_be_visible()
    assert problems == []
