"""The counsellor chat page over ASGI against the real services: the no-JavaScript form (one
turn per post, the whole conversation rendered, follow-ups as buttons, a plan's milestones),
CSRF, and a signed-in student's conversation tied to the account through /chat/agent/*.
The browser suite (tests/browser/test_chat.py) drives the script's path."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import httpx
import pytest

from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.integration.test_pages_accounts import csrf_of, new_email, sign_up

pytestmark = pytest.mark.integration

LINK = re.compile(r'<li><a href="/careers/([a-z0-9-]+)">')
SESSION_FIELD = re.compile(r'name="session_id" value="([^"]*)"')
FOLLOW_UP = re.compile(r'<button type="submit" name="message" value="([^"]+)"')
PCB_QUESTION = "I am in PCB, what careers after 12th?"


@pytest.fixture
async def browser_less(catalogue_settings: Settings) -> Any:
    # a client of its own per test: its cookie jar is one browser
    async with api_client(catalogue_settings) as client:
        yield client


async def post_chat(
    api: httpx.AsyncClient, message: str, session_id: str = "", csrf: str | None = None
) -> httpx.Response:
    token = csrf if csrf is not None else await csrf_of(api, "/chat")
    return await api.post(
        "/chat", data={"csrf": token, "message": message, "session_id": session_id}
    )


def session_of(page: httpx.Response) -> str:
    found: list[str] = SESSION_FIELD.findall(page.text)
    assert found, "no session field"
    assert len(set(found)) == 1  # both forms carry the same conversation
    return found[0]


async def test_the_chat_page_is_linked_and_names_the_public_api(
    browser_less: httpx.AsyncClient,
) -> None:
    page = await browser_less.get("/explore")
    assert 'href="/chat"' in page.text
    chat = await browser_less.get("/chat")
    assert chat.status_code == 200
    assert 'data-api="/api/v1/agent"' in chat.text
    assert 'role="log" aria-live="polite"' in chat.text
    assert re.search(r'<script src="/static/chat\.js\?v=\w+" defer>', chat.text)
    names = json.loads(
        re.search(r'id="chat-names">(.*?)</script>', chat.text, re.S).group(1)  # type: ignore[union-attr]
    )
    assert names["doctor-mbbs"] == "Doctor (MBBS)"
    # the script is for this page only: the explore page keeps its weight
    assert "chat.js" not in page.text


async def test_without_javascript_the_form_holds_a_conversation(
    browser_less: httpx.AsyncClient, catalogue_api: httpx.AsyncClient
) -> None:
    first = await post_chat(browser_less, PCB_QUESTION)
    assert first.status_code == 200, first.text
    html = unescape(first.text)
    assert PCB_QUESTION in html
    cited = LINK.findall(first.text)
    assert len(cited) >= 2
    for career_id in cited:
        # every link is a catalogue career open to PCB students
        detail = await catalogue_api.get(f"/api/v1/careers/{career_id}")
        assert detail.status_code == 200
        assert "PCB" in detail.json()["data"]["streams"]
    sid = session_of(first)
    assert sid
    assert "Compare the first two" in FOLLOW_UP.findall(first.text)

    second = await post_chat(browser_less, "Compare the first two", sid)
    assert second.status_code == 200
    assert session_of(second) == sid
    html = unescape(second.text)
    # the whole conversation: both questions, and the comparison cites the first two
    assert PCB_QUESTION in html
    assert "Compare the first two" in html
    last_turn = second.text.rsplit('<div class="turn agent">', 1)[1]
    assert LINK.findall(last_turn)[:2] == cited[:2]


async def test_a_plan_offer_shows_the_dated_milestones(browser_less: httpx.AsyncClient) -> None:
    first = await post_chat(browser_less, "I am in class 12 PCB. Tell me about Doctor (MBBS)")
    sid = session_of(first)
    offers = [f for f in FOLLOW_UP.findall(first.text) if f.startswith("Make a plan")]
    assert offers, FOLLOW_UP.findall(first.text)
    assert 'class="primary plan-offer"' in first.text
    planned = await post_chat(browser_less, unescape(offers[0]), sid)
    assert planned.status_code == 200
    section = planned.text.split('id="chat-plan"', 1)[1].split("</section>", 1)[0]
    assert " hidden" not in section.split(">", 1)[0]
    dates = re.findall(r'<span class="date">(\d{4}-\d{2}-\d{2})</span>', section)
    assert len(dates) >= 3
    assert dates == sorted(dates)


async def test_the_form_needs_its_csrf_token_and_a_message(
    browser_less: httpx.AsyncClient,
) -> None:
    await browser_less.get("/chat")  # sets the CSRF cookie
    forged = await post_chat(browser_less, PCB_QUESTION, csrf="not-the-token-of-this-browser")
    assert forged.status_code == 403
    assert 'class="turn' not in forged.text
    empty = await post_chat(browser_less, "   ")
    assert empty.status_code == 422
    assert "up to 2,000 characters" in unescape(empty.text)
    # a conversation id from nowhere: a fresh conversation, said so
    lost = await post_chat(browser_less, "hello", "00000000-0000-4000-8000-000000000000")
    assert lost.status_code == 200
    assert "started a new one" in unescape(lost.text)
    assert session_of(lost) != "00000000-0000-4000-8000-000000000000"


async def test_a_signed_in_students_conversation_is_tied_to_the_account(
    browser_less: httpx.AsyncClient,
) -> None:
    assert (await sign_up(browser_less, new_email())).status_code == 303
    page = await browser_less.get("/chat")
    assert 'data-api="/chat/agent"' in page.text
    token = await csrf_of(browser_less, "/chat")
    refused = await browser_less.post("/chat/agent/session")
    assert refused.status_code == 403
    assert refused.json()["success"] is False
    started = await browser_less.post("/chat/agent/session", headers={"X-CSRF-Token": token})
    assert started.status_code == 201, started.text
    assert started.json()["data"]["signed_in"] is True
    sid = started.json()["data"]["session_id"]
    body = {"session_id": sid, "message": PCB_QUESTION}
    reply = await browser_less.post("/chat/agent/chat", json=body, headers={"X-CSRF-Token": token})
    assert reply.status_code == 200, reply.text
    assert reply.json()["data"]["careers"]
    # the public API, with no credentials, cannot read or continue the student's conversation
    outsider = await browser_less.post("/api/v1/agent/chat", json=body)
    assert outsider.status_code == 404
    # and the no-JS form continues it as the same student
    page = await post_chat(browser_less, "Compare the first two", sid)
    assert page.status_code == 200
    assert session_of(page) == sid
    assert PCB_QUESTION in unescape(page.text)
