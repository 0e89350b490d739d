"""The counsellor chat page: /chat.

With JavaScript (static/chat.js) an anonymous student's browser talks to /api/v1/agent
itself. A signed-in student's session is an HttpOnly cookie that the JSON API never reads
(credentials there come from headers only, see pages.session), so for them the script calls
/chat/agent/*: the same requests and envelopes, answered in-process with the cookie's
principal, each POST carrying the CSRF token in a header. The conversation is then tied to
the account, and a cross-site request can neither read nor forge it.

Without JavaScript the form posts to /chat, which calls the agent in-process and renders the
whole conversation. Every handler is thin: the work is agent.service.AgentService.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from search_api.agent.deps import AgentServiceDep
from search_api.agent.schemas import ChatData, ChatRequest, PlanData, SessionData
from search_api.agent.service import AgentService, SessionExpired, SessionNotFound
from search_api.core.envelope import Envelope, envelope
from search_api.core.errors import AppError, ValidationFailed
from search_api.core.security import ANONYMOUS, AuthenticationFailed, Principal
from search_api.pages.endpoints import NICE_TO_HAVE, UNAVAILABLE, render
from search_api.pages.session import PageSession, PageSessionDep, csrf_ok, read_page_session

router = APIRouter(include_in_schema=False, dependencies=[Depends(read_page_session)])

CSRF_HEADER = "x-csrf-token"
API_BASE = "/api/v1/agent"
PAGE_BASE = "/chat/agent"
FIRST_QUESTIONS = (
    "I am in PCB, what careers after 12th?",
    "Can I become a pilot after commerce?",
    "Which exams for architecture?",
)


def principal_of(session: PageSession) -> Principal:
    return session.principal or ANONYMOUS


async def career_names(service: AgentService) -> dict[str, str]:
    """Every catalogue career's name by id: the page turns cited ids into links with it."""
    try:
        catalogue = await service.catalogue()
    except UNAVAILABLE:
        await service.session.rollback()
        return {}
    return {cid: card.name for cid, card in sorted(catalogue.careers.items())}


def turns_of(history: list[dict[str, Any]], names: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {
            "role": h.get("role", "assistant"),
            "text": h.get("text", ""),
            "careers": [(c, names.get(c, c)) for c in h.get("careers", [])],
        }
        for h in history
    ]


def chat_page(
    request: Request,
    session: PageSession,
    names: dict[str, str],
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    base = PAGE_BASE if session.signed_in else API_BASE
    values: dict[str, Any] = {
        "turns": [],
        "follow_ups": list(FIRST_QUESTIONS),
        "session_id": "",
        "plan": None,
        "problem": None,
        "message": "",
        # JSON in a data block: CSP forbids inline scripts, and a data block is not run
        "names_json": json.dumps(names, ensure_ascii=False).replace("</", "<\\/"),
        "api_base": base,
        **context,
    }
    return render(request, "chat.html", "chat", values, status, url="/chat")


@router.get("/chat", response_class=HTMLResponse)
async def chat_get(
    request: Request, session: PageSessionDep, service: AgentServiceDep
) -> HTMLResponse:
    return chat_page(request, session, await career_names(service))


@router.post("/chat", response_class=HTMLResponse)
async def chat_post(
    request: Request,
    session: PageSessionDep,
    service: AgentServiceDep,
    csrf: Annotated[str, Form(max_length=100)] = "",
    message: Annotated[str, Form(max_length=4000)] = "",
    session_id: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    """The form without JavaScript: one turn, then the whole conversation so far."""
    names = await career_names(service)
    principal = principal_of(session)
    kept = {"message": message}
    if not csrf_ok(request, csrf):
        return chat_page(request, session, names, 403, problem="error_form_expired", **kept)
    sid: uuid.UUID | None = None
    try:
        sid = uuid.UUID(session_id) if session_id else None
    except ValueError:
        sid = None
    problem, status, plan = None, 200, None
    history: list[dict[str, Any]] = []
    follow_ups: list[str] = []
    try:
        try:
            if sid is None:
                sid = (await service.start_session(principal)).session_id
            data = await service.chat(principal, sid, message)
        except (SessionNotFound, SessionExpired):
            # an old tab or a session that ran out: carry on in a fresh conversation
            problem = "chat_expired"
            sid = (await service.start_session(principal)).session_id
            data = await service.chat(principal, sid, message)
        _, _, history, _ = await service.load_session(principal, sid)
        follow_ups = data.follow_ups
        if data.plan_id is not None:
            plan = (await service.get_plan(principal, data.plan_id, sid)).plan
        kept = {}
    except ValidationFailed:
        problem, status = "chat_bad_message", 422
    except UNAVAILABLE:
        await service.session.rollback()
        problem, status = "chat_down", 503
    except AppError as exc:
        problem, status = ("chat_busy", 429) if exc.status == 429 else ("chat_down", 503)
    if sid is not None and not history:
        try:
            _, _, history, _ = await service.load_session(principal, sid)
        except NICE_TO_HAVE:
            await service.session.rollback()
    return chat_page(
        request,
        session,
        names,
        status,
        turns=turns_of(history, names),
        follow_ups=follow_ups if history else list(FIRST_QUESTIONS),
        session_id=str(sid) if sid and history else "",
        plan=plan,
        problem=problem,
        **kept,
    )


# ---- the script's calls for a signed-in student ---------------------------------------------


def require_csrf(request: Request) -> None:
    if not csrf_ok(request, request.headers.get(CSRF_HEADER, "")[:100]):
        raise AppError("CSRF_FAILED", "reload the page: the form's token does not match", 403)


def require_signed_in(session: PageSession) -> Principal:
    if session.principal is None:
        # signed out meanwhile: the page reloads and goes on through the public API
        raise AuthenticationFailed("the page session has ended; sign in again")
    return session.principal


@router.post("/chat/agent/session", response_model=Envelope[SessionData], status_code=201)
async def page_start_session(
    request: Request, session: PageSessionDep, service: AgentServiceDep
) -> Envelope[SessionData]:
    require_csrf(request)
    return envelope(request, await service.start_session(require_signed_in(session)))


@router.post("/chat/agent/chat", response_model=Envelope[ChatData])
async def page_chat(
    request: Request, body: ChatRequest, session: PageSessionDep, service: AgentServiceDep
) -> Envelope[ChatData]:
    require_csrf(request)
    principal = require_signed_in(session)
    return envelope(request, await service.chat(principal, body.session_id, body.message))


@router.get("/chat/agent/career-plan/{plan_id}", response_model=Envelope[PlanData])
async def page_plan(
    request: Request,
    plan_id: Annotated[uuid.UUID, Path()],
    session: PageSessionDep,
    service: AgentServiceDep,
    session_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Envelope[PlanData]:
    principal = require_signed_in(session)
    return envelope(request, await service.get_plan(principal, plan_id, session_id))
