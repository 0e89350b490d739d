"""Career detail, compare, for you and the quiz in headless Chromium."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.fixtures.browser import api_json, settle

pytestmark = [pytest.mark.browser, pytest.mark.integration]
HREFS = "els => els.map(a => a.getAttribute('href'))"


def test_career_page_links_to_exams_alternatives_and_compare(page: Page, server: str) -> None:
    detail: dict[str, Any] = api_json(server, "GET", "/api/v1/careers/doctor-mbbs")["data"]
    page.goto(f"{server}/explore?q=mbbs")
    page.click(".card[data-id=doctor-mbbs] h3 a")
    page.wait_for_url(f"{server}/careers/doctor-mbbs")
    expect(page.locator("h1")).to_contain_text(detail["name"])

    for exam in detail["entrance_exams"]:
        item = page.locator(f".exam[data-exam='{exam['id']}']")
        expect(item.locator(".exam-body")).to_have_text(exam["conducting_body"])
        expect(item.locator(".exam-month")).to_have_text(exam["month"])
    hrefs = page.eval_on_selector_all(".alternatives a", HREFS)
    assert hrefs == [f"/careers/{a['id']}" for a in detail["alternatives"]]
    related = page.eval_on_selector_all(".related a", HREFS)
    assert related, "related careers in the same category are linked"
    assert "/careers/doctor-mbbs" not in related

    # save works in this browser and shows up on the explore page
    save = page.locator("button[data-save]")
    expect(save).to_be_visible()
    save.click()
    expect(save).to_have_attribute("aria-pressed", "true")

    first = detail["alternatives"][0]
    page.click(f".alternatives a[href='/careers/{first['id']}']")
    page.wait_for_url(f"{server}/careers/{first['id']}")
    expect(page.locator("h1")).to_contain_text(first["name"])
    page.go_back()
    page.click("#compare-link")
    page.wait_for_url(re.compile(r"/compare\?ids=doctor-mbbs,"))
    expect(page.locator("#compare-table thead th[data-id]")).to_have_count(2)

    page.goto(f"{server}/explore")
    expect(page.locator("#saved a[href='/careers/doctor-mbbs']")).to_be_visible()


def compared(page: Page) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#compare-table thead th[data-id]", "els => els.map(e => e.dataset.id)"
    )
    return ids


def test_compare_adds_and_removes_careers_in_place(page: Page, server: str) -> None:
    page.goto(f"{server}/compare?ids=doctor-mbbs,dentist")
    assert compared(page) == ["doctor-mbbs", "dentist"]
    page.locator("#compare-add").press_sequentially("pharmas", delay=30)
    option = page.locator("#compare-add-list [role=option]", has_text="Pharmacist").first
    expect(option).to_be_visible()
    option.click()
    page.wait_for_url(f"{server}/compare?ids=doctor-mbbs,dentist,pharmacist")
    settle(page)
    assert compared(page) == ["doctor-mbbs", "dentist", "pharmacist"]
    api = api_json(server, "GET", "/api/v1/careers/compare?ids=doctor-mbbs,dentist,pharmacist")
    marked = page.eval_on_selector_all("tr.differs", "els => els.map(e => e.dataset.field)")
    fields = page.eval_on_selector_all("tr[data-field]", "els => els.map(e => e.dataset.field)")
    assert marked == [f for f in fields if api["data"]["differs"][f]]
    expect(page.locator("tr.differs .diff-mark").first).to_have_text("Differs")

    page.click("#compare-table th[data-id=dentist] a.remove")
    page.wait_for_url(f"{server}/compare?ids=doctor-mbbs,pharmacist")
    settle(page)
    assert compared(page) == ["doctor-mbbs", "pharmacist"]
    expect(page.locator("#compare-add")).to_be_focused()
    page.go_back()
    page.wait_for_url(f"{server}/compare?ids=doctor-mbbs,dentist,pharmacist")
    settle(page)
    assert compared(page) == ["doctor-mbbs", "dentist", "pharmacist"]


def rendered_recommendations(page: Page) -> list[dict[str, Any]]:
    recs: list[dict[str, Any]] = page.eval_on_selector_all(
        ".rec",
        """els => els.map(e => ({
            id: e.dataset.id,
            score: Number(e.dataset.score),
            parts: Object.fromEntries([...e.querySelectorAll('.part')].map(p => {
                const bar = p.querySelector('.bar').getBoundingClientRect().width;
                const fill = p.querySelector('.fill').getBoundingClientRect().width;
                return [p.dataset.part, {value: Number(p.dataset.value), drawn: fill / bar}];
            })),
            stack: [...e.querySelectorAll('.stack .seg')].reduce(
                (sum, s) => sum + s.getBoundingClientRect().width, 0)
                / e.querySelector('.stack').getBoundingClientRect().width,
        }))""",
    )
    return recs


def test_profile_form_gives_recommendations_whose_bars_match_the_breakdown(
    page: Page, server: str
) -> None:
    page.goto(f"{server}/for-you")
    page.check("#grade-12")
    page.select_option("#stream", "PCB")
    page.fill("#interests", "biology, helping people")
    page.fill("#skills", "patience, observation")
    page.fill("#salary_min", "4")
    page.select_option("#max_stress", "High")
    page.click("#profile-form button[type=submit]")
    page.wait_for_url(re.compile(r"/for-you\?grade=12&stream=PCB"))
    settle(page)
    profile = {
        "grade": 12,
        "stream": "PCB",
        "interests": ["biology", "helping people"],
        "skills": ["patience", "observation"],
        "salary_min": 400_000,
        "work_preferences": {"max_stress": "High"},
        "limit": 10,
    }
    api = api_json(server, "POST", "/api/v1/recommendations", json=profile)["data"]
    shown = rendered_recommendations(page)
    assert [r["id"] for r in shown] == [r["career"]["id"] for r in api["recommendations"]]
    assert len(shown) == 10
    for drawn, expected in zip(shown, api["recommendations"], strict=True):
        assert drawn["score"] == pytest.approx(expected["score"])
        for part, value in expected["breakdown"].items():
            assert drawn["parts"][part]["value"] == pytest.approx(value)
            assert drawn["parts"][part]["drawn"] == pytest.approx(value, abs=0.01)
        assert drawn["stack"] == pytest.approx(expected["score"], abs=0.01)
    expect(page.locator(".rec .reasons li").first).to_be_visible()
    # the URL holds the profile: reloading it gives the same list
    page.reload()
    assert [r["id"] for r in rendered_recommendations(page)] == [r["id"] for r in shown]
    expect(page.locator("#interests")).to_have_value("biology, helping people")


def test_a_completed_quiz_changes_the_recommendations(page: Page, server: str) -> None:
    page.goto(f"{server}/for-you?grade=12&stream=PCM")
    before = [r["id"] for r in rendered_recommendations(page)]
    assert len(before) == 10
    page.click("#take-quiz")
    page.wait_for_url(f"{server}/quiz?grade=12&stream=PCM")
    items = page.eval_on_selector_all("fieldset.item", "els => els.map(e => e.dataset.item)")
    assert 30 <= len(items) <= 48
    for item in items:
        # love every Artistic activity, nothing else
        page.check(f"#{item}-{2 if item.startswith('a') else 0}")
    expect(page.locator("#quiz-progress")).to_contain_text(f"{len(items)} of {len(items)}")
    page.click("#quiz-form button[type=submit]")
    page.wait_for_url(re.compile(r"/quiz\?"))
    scores = dict(
        page.eval_on_selector_all(
            ".chart-bars li", "els => els.map(e => [e.dataset.type, Number(e.dataset.score)])"
        )
    )
    assert scores == {"R": 0.0, "I": 0.0, "A": 1.0, "S": 0.0, "E": 0.0, "C": 0.0}
    expect(page.locator(".type-list dt").first).to_contain_text("Artistic")
    page.click("#to-for-you")
    page.wait_for_url(f"{server}/for-you?grade=12&stream=PCM&riasec=A")
    after = rendered_recommendations(page)
    assert [r["id"] for r in after] != before
    assert all(r["parts"]["interest"]["value"] > 0 for r in after)
    top = api_json(server, "GET", f"/api/v1/careers/{after[0]['id']}")["data"]
    assert "A" in top["interests"]
