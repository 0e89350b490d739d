"""axe-core on every page at phone and desktop widths, screenshots of each for review, and
the weight of the first explore page's JavaScript and CSS as it crosses the wire."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.fixtures.browser import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    new_email,
    save_profile,
    screenshot,
    serious_violations,
    sign_up,
)

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PAGES = {
    "explore": "/explore?q=doctor&stream=PCB",
    "explore-zero": "/explore?category=Defence&remote_work=Full",
    "career": "/careers/doctor-mbbs",
    "compare": "/compare?ids=doctor-mbbs,dentist,pharmacist",
    "for-you": "/for-you?grade=12&stream=PCB&interests=biology,helping+people&skills=patience",
    "quiz": "/quiz",
    "quiz-result": "/quiz?a1=2&a2=2&i1=2&i2=1&s1=2&r1=0&done=1",
    "sign-in": "/account/sign-in",
    "sign-up": "/account/sign-up",
    "account-deleted": "/account/deleted",
    "chat": "/chat",
}
# Pages a signed-in student with a saved profile sees.
SIGNED_IN_PAGES = {
    "account": "/account",
    "explore-personal": "/explore?q=doctor",
    "for-you-saved": "/for-you",
}
BUDGET = 100 * 1024  # bytes of JavaScript and CSS, gzipped, for the first explore page


# Every page in English; in Hindi the pages with the most interface text.
CASES = [(name, "en") for name in PAGES] + [
    (name, "hi") for name in ("explore", "for-you", "quiz-result", "sign-up", "chat")
]


def test_the_axe_check_catches_a_real_violation(page: Page) -> None:
    page.set_content(
        '<html lang="en"><title>t</title><main><img src="x.png"><input type="text">'
        '<p style="color:#aaa;background:#fff">faint</p></main></html>'
    )
    found = {v["id"] for v in serious_violations(page)}
    assert {"image-alt", "label", "color-contrast"} <= found


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_every_page_passes_axe_at_phone_and_desktop_width(
    browser: Browser, server: str, name: str, lang: str
) -> None:
    for label, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        # axe-core is injected as an inline script, which the pages' CSP forbids (as it
        # should); test_security_headers.py checks the pages under the policy itself
        context = browser.new_context(viewport=viewport, bypass_csp=True)
        context.add_cookies([{"name": "cc_lang", "value": lang, "url": server}])
        page = context.new_page()
        page.goto(server + PAGES[name])
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == lang
        violations = serious_violations(page)
        # nothing wider than the screen (the compare table scrolls inside its own region)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        if lang == "en" or name == "explore":
            # the rest of the Hindi pages look like their English ones
            screenshot(page, f"{name}{'' if lang == 'en' else '-hi'}-{label}")
        context.close()
        assert violations == [], f"{name} ({lang}, {label}): {violations}"
        assert not overflow, f"{name} ({lang}, {label}) scrolls sideways"


@pytest.mark.parametrize(
    ("name", "lang"), [(n, "en") for n in SIGNED_IN_PAGES] + [("explore-personal", "hi")]
)
def test_signed_in_pages_pass_axe_at_phone_and_desktop_width(
    browser: Browser, server: str, name: str, lang: str
) -> None:
    # as above: the inline axe-core script needs the page's CSP bypassed
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    context.add_cookies([{"name": "cc_lang", "value": lang, "url": server}])
    page = context.new_page()
    sign_up(page, server, new_email())
    save_profile(page, server)
    for label, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(server + SIGNED_IN_PAGES[name])
        page.wait_for_load_state("networkidle")
        violations = serious_violations(page)
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        screenshot(page, f"{name}{'' if lang == 'en' else '-hi'}-{label}")
        assert violations == [], f"{name} ({lang}, {label}): {violations}"
        assert not overflow, f"{name} ({lang}, {label}) scrolls sideways"
    context.close()


def test_first_explore_page_ships_under_100_kb_of_js_and_css(page: Page, server: str) -> None:
    page.goto(f"{server}/")
    page.wait_for_load_state("networkidle")
    entries = page.evaluate(
        """() => performance.getEntriesByType('resource')
            .filter(e => ['script', 'link', 'css'].includes(e.initiatorType)
                         || /\\.(js|css)(\\?|$)/.test(e.name))
            .map(e => ({name: e.name, wire: e.encodedBodySize, size: e.decodedBodySize}))"""
    )
    names = sorted(e["name"].split("?")[0].rsplit("/", 1)[-1] for e in entries)
    assert names == ["app.css", "app.js"]
    wire = sum(int(e["wire"]) for e in entries)
    size = sum(int(e["size"]) for e in entries)
    assert 0 < wire < size  # served gzipped
    assert wire < BUDGET
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "page-weight.txt").write_text(
        f"first explore page: JS+CSS {wire} bytes gzipped ({size} bytes unzipped), "
        f"budget {BUDGET}\n",
        encoding="utf-8",
    )
