"""The explore page in headless Chromium: typo search, suggestions, facets, chips, the URL
as state (back/forward, shared links) and keyboard-only use."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.fixtures.browser import DESKTOP, api_json, settle

pytestmark = [pytest.mark.browser, pytest.mark.integration]


def card_ids(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(".card", "els => els.map(e => e.dataset.id)")
    return ids


def facet_counts(page: Page, param: str) -> dict[str, int]:
    counts: dict[str, int] = page.eval_on_selector_all(
        f"#facet-{param} .opt",
        """els => Object.fromEntries(els
            .filter(e => e.querySelector('.count'))
            .map(e => [e.querySelector('input').value,
                       Number(e.querySelector('.count').textContent)]))""",
    )
    return counts


def chip_texts(page: Page) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(
        ".chip", "els => els.map(e => e.textContent.trim())"
    )
    return texts


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_typo_search_finds_the_career(page: Page, server: str) -> None:
    page.goto(f"{server}/explore")
    page.fill("#q", "pharmasist")
    page.keyboard.press("Enter")  # no suggestion chosen: search the text itself
    page.wait_for_url(re.compile(r"q=pharmasist"))
    settle(page)
    assert "pharmacist" in card_ids(page)[:3]
    expect(page.locator("#results-heading")).to_contain_text("pharmasist")
    expect(page.locator(".did-you-mean a")).to_have_text("pharmacist")


def test_suggestions_appear_as_you_type_and_open_the_career(page: Page, server: str) -> None:
    page.goto(f"{server}/explore")
    page.locator("#q").press_sequentially("docter", delay=40)
    option = page.locator("#q-list [role=option]").first
    expect(option).to_be_visible()
    names = page.locator("#q-list [role=option]").all_inner_texts()
    assert any(n.startswith("Doctor (MBBS)") for n in names), names
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "true")
    index = next(i for i, n in enumerate(names) if n.startswith("Doctor (MBBS)"))
    for _ in range(index + 1):
        page.keyboard.press("ArrowDown")
    expect(page.locator("#q")).to_have_attribute("aria-activedescendant", f"q-list-{index}")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/careers/doctor-mbbs")
    expect(page.locator("h1")).to_contain_text("Doctor (MBBS)")


def test_suggestions_never_show_an_older_answer(page: Page, server: str) -> None:
    """The answer for "do" is held back until after the answer for "doctor" has been shown:
    the box must keep showing the suggestions for what is typed now."""
    held: list[Route] = []

    def handle(route: Route) -> None:
        q = parse_qs(urlsplit(route.request.url).query)["q"][0]
        if q == "do" and not held:
            held.append(route)
            return
        response = route.fetch()
        route.fulfill(response=response)
        if held:
            stale = held.pop()
            try:
                stale.fulfill(response=stale.fetch())
            except Exception:
                pass  # the page may have aborted it, which is fine

    page.route("**/api/v1/careers/suggest?*", handle)
    page.goto(f"{server}/explore")
    page.locator("#q").press_sequentially("do", delay=30)
    page.wait_for_timeout(400)  # past the debounce: the "do" request is sent and held
    page.locator("#q").press_sequentially("ctor", delay=30)
    expect(page.locator("#q-list [role=option]").first).to_be_visible()
    page.wait_for_timeout(500)  # the stale answer has been released by now
    doctor = api_json(server, "GET", "/api/v1/careers/suggest?size=6&q=doctor")
    expected = [s["id"] for s in doctor["data"]["suggestions"]]
    shown = page.locator("#q-list [role=option]").evaluate_all("els => els.map(e => e.dataset.id)")
    assert shown == expected


def test_a_facet_click_changes_counts_chips_and_url_and_back_restores(
    page: Page, server: str
) -> None:
    page.goto(f"{server}/explore?q=doctor")
    before_ids = card_ids(page)
    before_streams = facet_counts(page, "stream")
    before_total = page.locator("#results-heading").inner_text()
    assert chip_texts(page) == []

    page.check("#f-category-medicine")
    page.wait_for_url(re.compile(r"category=Medicine"))
    settle(page)
    assert query(page) == {"q": ["doctor"], "category": ["Medicine"]}
    assert [c.split(":")[0] for c in chip_texts(page)] == ["Category"]
    assert "Medicine" in chip_texts(page)[0]
    after_streams = facet_counts(page, "stream")
    assert after_streams != before_streams
    assert all(after_streams[s] <= before_streams[s] for s in after_streams)
    assert page.locator("#results-heading").inner_text() != before_total
    # multi-select: the category facet still offers the other categories with their counts
    categories = facet_counts(page, "category")
    assert len(categories) > 1
    assert page.is_checked("#f-category-medicine")
    # the page agrees with the API for the same state
    api = api_json(server, "GET", "/api/v1/careers/search?q=doctor&category=Medicine")["data"]
    assert card_ids(page) == [r["id"] for r in api["results"]]
    assert after_streams == {f["value"]: f["count"] for f in api["facets"]["stream"]}

    page.check("#f-stream-pcb")
    page.wait_for_url(re.compile(r"stream=PCB"))
    settle(page)
    assert len(chip_texts(page)) == 2

    page.go_back()
    page.wait_for_url(re.compile(r"category=Medicine$"))
    settle(page)
    assert len(chip_texts(page)) == 1
    assert not page.is_checked("#f-stream-pcb")

    page.go_back()
    page.wait_for_url(f"{server}/explore?q=doctor")
    settle(page)
    assert chip_texts(page) == []
    assert facet_counts(page, "stream") == before_streams
    assert card_ids(page) == before_ids
    assert not page.is_checked("#f-category-medicine")

    page.go_forward()
    page.wait_for_url(re.compile(r"category=Medicine$"))
    settle(page)
    assert page.is_checked("#f-category-medicine")

    # a chip removes its filter; "clear all" removes every filter but keeps the query
    page.click(".chip")
    page.wait_for_url(f"{server}/explore?q=doctor")
    settle(page)
    assert chip_texts(page) == []


def test_clear_all_and_zero_results_drop_link(page: Page, server: str) -> None:
    page.goto(f"{server}/explore?category=Defence&remote_work=Full")
    expect(page.locator("#zero-results")).to_contain_text("Category (Defence)")
    page.click("#zero-results a[data-drop=category]")
    page.wait_for_url(f"{server}/explore?remote_work=Full")
    settle(page)
    assert len(card_ids(page)) > 0
    page.click(".chips .clear")
    page.wait_for_url(f"{server}/explore")
    settle(page)
    assert chip_texts(page) == []


def test_a_shared_url_reproduces_the_results(browser: Browser, server: str) -> None:
    shared = (
        "/explore?q=engineer&stream=PCM&job_outlook=High+Demand&salary=1000000-2000000"
        "&sort=salary_desc&page=2"
    )
    api: dict[str, Any] = api_json(
        server,
        "GET",
        "/api/v1/careers/search?q=engineer&stream=PCM&job_outlook=High+Demand"
        "&salary_min=1000000&salary_max=1999999&sort=salary_desc&page=2&size=10",
    )["data"]
    assert api["results"], "the shared state must have a second page to reproduce"
    seen = []
    for _ in range(2):  # two independent browsers (no shared cookies or storage)
        context = browser.new_context(viewport=DESKTOP)
        page = context.new_page()
        page.goto(server + shared)
        seen.append(card_ids(page))
        assert page.is_checked("#f-stream-pcm")
        assert page.is_checked("#f-salary-1000000-2000000")
        assert page.locator("#sort").input_value() == "salary_desc"
        expect(page.locator(".pagination [aria-current=page]")).to_have_text("2")
        context.close()
    assert seen[0] == seen[1] == [r["id"] for r in api["results"]]


def test_sort_and_pagination_keep_the_url_in_step(page: Page, server: str) -> None:
    page.goto(f"{server}/explore?stream=Commerce")
    page.select_option("#sort", "salary_desc")
    page.wait_for_url(re.compile(r"sort=salary_desc"))
    settle(page)
    first_page = card_ids(page)
    page.click(".pagination a[rel=next]")
    page.wait_for_url(re.compile(r"page=2"))
    settle(page)
    assert set(card_ids(page)).isdisjoint(first_page)
    expect(page.locator("#results-heading")).to_be_focused()
    api = api_json(server, "GET", "/api/v1/careers/search?stream=Commerce&sort=salary_desc&page=2")
    assert card_ids(page) == [r["id"] for r in api["data"]["results"]]


def focused(page: Page) -> dict[str, str]:
    info: dict[str, str] = page.evaluate(
        """() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {id: e.id, tag: e.tagName, name: e.name || '', cls: e.className || '',
                href: e.getAttribute('href') || '', outline: s.outlineStyle,
                inCard: String(!!e.closest('.card'))}; }"""
    )
    return info


def tab_until(page: Page, wanted: Any, limit: int = 80) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if wanted(info):
            return info
    raise AssertionError("never reached by Tab")


def test_explore_works_with_the_keyboard_alone(page: Page, server: str) -> None:
    page.goto(f"{server}/explore")
    page.keyboard.press("Tab")
    assert focused(page)["cls"] == "skip"
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    info = tab_until(page, lambda i: i["id"] == "q")
    assert info["outline"] != "none"  # focus is visible
    page.keyboard.type("nurse")
    expect(page.locator("#q-list [role=option]").first).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#q-list")).to_be_hidden()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=nurse"))
    settle(page)
    assert focused(page)["id"] == "q"  # focus stays where the student was

    info = tab_until(page, lambda i: i["name"] == "stream")
    assert info["outline"] != "none"
    box = info["id"]
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"stream="))
    settle(page)
    assert focused(page)["id"] == box
    assert page.is_checked(f"#{box}")
    assert len(chip_texts(page)) == 1

    info = tab_until(page, lambda i: i["inCard"] == "true" and i["tag"] == "A")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}{info['href']}")
    expect(page.locator("h1")).to_be_visible()


def test_a_failed_request_says_so(page: Page, server: str) -> None:
    page.goto(f"{server}/explore?q=doctor")
    expect(page.locator("#net-error")).to_be_hidden()
    page.route("**/explore?*", lambda route: route.abort())
    page.check("#f-category-medicine")
    expect(page.locator("#net-error")).to_be_visible()
    expect(page.locator("#net-error")).to_contain_text("Could not reach Career Compass")


def test_without_javascript_the_form_and_links_still_work(browser: Browser, server: str) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/explore?q=doctor")
    page.check("#f-category-medicine")
    page.check("#f-stream-pcb")
    page.click("#filters button.nojs-only")
    page.wait_for_url(re.compile(r"category=Medicine"))
    got = query(page)
    assert got["q"] == ["doctor"]
    assert got["category"] == ["Medicine"]
    assert got["stream"] == ["PCB"]
    assert len(chip_texts(page)) == 2
    api = api_json(server, "GET", "/api/v1/careers/search?q=doctor&category=Medicine&stream=PCB")
    assert card_ids(page) == [r["id"] for r in api["data"]["results"]]
    page.click(".chip >> nth=0")
    page.wait_for_url(re.compile(r"^(?!.*category=)"))
    assert len(chip_texts(page)) == 1
    context.close()
