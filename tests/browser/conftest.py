"""Browser fixtures: one live server and one Chromium for the whole browser package."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from search_api.core.settings import Settings
from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, live_server


@pytest.fixture(scope="package")
def server(catalogue_settings: Settings) -> Iterator[str]:
    # The model is already loaded in this process (catalogue_settings built the index), so
    # preloading costs nothing; the longer deadline keeps a busy 2-core machine from
    # turning a slow first query into the Postgres fallback.
    settings = catalogue_settings.model_copy(
        update={"preload_embedder": True, "search_timeout_seconds": 10.0}
    )
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is missing: apt-get install -y chromium (see .ci/run)")
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(20_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"
