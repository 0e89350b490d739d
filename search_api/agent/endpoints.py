"""/api/v1/agent: conversations with the career counsellor and dated career plans."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from search_api.agent.deps import AgentServiceDep
from search_api.agent.schemas import (
    ChatData,
    ChatRequest,
    PlanData,
    PlanRequest,
    PlanUpdate,
    SessionData,
)
from search_api.core.envelope import Envelope, ErrorEnvelope, build_meta, envelope
from search_api.core.security import PrincipalDep

router = APIRouter(prefix="/api/v1/agent", tags=["agent"])
ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorEnvelope} for code in (401, 404, 410, 422, 429, 503)
}
_CHUNK = re.compile(r"\S+\s*")


@router.post(
    "/session",
    response_model=Envelope[SessionData],
    status_code=201,
    responses=ERRORS,
    summary="Start a conversation (a signed-in student's saved profile fills its slots)",
)
async def start_session(
    request: Request, principal: PrincipalDep, service: AgentServiceDep
) -> Envelope[SessionData]:
    return envelope(request, await service.start_session(principal))


def sse(event: str, data: object) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


@router.post(
    "/chat",
    response_model=Envelope[ChatData],
    responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}},
    summary="One message to the counsellor; stream=true answers as server-sent events",
    description="Events with stream=true: `meta` (intent, entities), `delta` (the reply in "
    "pieces, already grounding-checked), `done` (the whole envelope).",
)
async def chat(
    request: Request, body: ChatRequest, principal: PrincipalDep, service: AgentServiceDep
) -> Envelope[ChatData] | StreamingResponse:
    data = await service.chat(principal, body.session_id, body.message)
    if not body.stream:
        return envelope(request, data)
    done = Envelope[ChatData](data=data, meta=build_meta(request)).model_dump(mode="json")

    async def events() -> AsyncIterator[str]:
        yield sse("meta", {"intent": data.intent, "entities": data.entities})
        for piece in _CHUNK.findall(data.reply):
            yield sse("delta", {"text": piece})
        yield sse("done", done)

    return StreamingResponse(
        events(), media_type="text/event-stream", headers={"Cache-Control": "no-store"}
    )


@router.post(
    "/career-plan",
    response_model=Envelope[PlanData],
    status_code=201,
    responses=ERRORS,
    summary="A dated plan from the student's class to a career, with a backup route",
)
async def create_plan(
    request: Request, body: PlanRequest, principal: PrincipalDep, service: AgentServiceDep
) -> Envelope[PlanData]:
    return envelope(request, await service.create_plan(principal, body))


@router.get(
    "/career-plan/{plan_id}",
    response_model=Envelope[PlanData],
    responses=ERRORS,
    summary="Read a plan (its owner: the student, or the anonymous conversation)",
)
async def get_plan(
    request: Request,
    plan_id: Annotated[uuid.UUID, Path()],
    principal: PrincipalDep,
    service: AgentServiceDep,
    session_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Envelope[PlanData]:
    return envelope(request, await service.get_plan(principal, plan_id, session_id))


@router.put(
    "/career-plan/{plan_id}",
    response_model=Envelope[PlanData],
    responses=ERRORS,
    summary="Mark milestones done (or pending again)",
)
async def update_plan(
    request: Request,
    plan_id: Annotated[uuid.UUID, Path()],
    body: PlanUpdate,
    principal: PrincipalDep,
    service: AgentServiceDep,
) -> Envelope[PlanData]:
    return envelope(request, await service.update_plan(principal, plan_id, body))
