"""Recording what students do, for any domain, without blocking the request.

Searches, career views, comparisons and recommendations are recorded by the endpoints that
serve them; result clicks arrive at POST /api/v1/interactions. Endpoints hand an event to
the recorder, which only puts it on an in-memory queue: the analytics domain's batched writer
(started in lifespan) stores it, and a failure there never reaches the request.

An event names the caller by user id or by an anonymous session id (the client's
X-Session-ID header, or a signed-in user's token family), never by email or name.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, Protocol

from fastapi import Depends, Header, Request

from search_api.core.security import PrincipalDep

InteractionKind = Literal["search", "view", "compare", "recommend", "click"]
SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


@dataclass(frozen=True, slots=True)
class InteractionEvent:
    kind: InteractionKind
    career_id: str | None = None
    query: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    user_id: uuid.UUID | None = None
    session_id: str | None = None
    stream: str | None = None  # the student's stream, for the stream mix of viewers
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


class InteractionSink(Protocol):
    def submit(self, event: InteractionEvent) -> None:
        """Queue the event. Never blocks and never raises."""
        ...


class Recorder:
    """An InteractionSink bound to the caller of one request."""

    def __init__(
        self,
        sink: InteractionSink | None,
        user_id: uuid.UUID | None,
        session_id: str | None,
    ) -> None:
        self.sink = sink
        self.user_id = user_id
        self.session_id = session_id

    def record(
        self,
        kind: InteractionKind,
        *,
        career_id: str | None = None,
        query: str | None = None,
        payload: dict[str, Any] | None = None,
        stream: str | None = None,
    ) -> None:
        if self.sink is None:
            return
        self.sink.submit(
            InteractionEvent(
                kind=kind,
                career_id=career_id,
                query=query,
                payload=payload or {},
                user_id=self.user_id,
                session_id=self.session_id,
                stream=stream,
            )
        )


async def get_recorder(
    request: Request,
    principal: PrincipalDep,
    x_session_id: Annotated[
        str | None,
        Header(
            description="An anonymous session id the client keeps (8-64 letters, digits, - or "
            "_), so a visit's searches and views can be counted together. Optional."
        ),
    ] = None,
) -> Recorder:
    session = x_session_id if x_session_id and SESSION_ID.match(x_session_id) else None
    if principal.is_user:
        session = principal.session_id or session
    return Recorder(getattr(request.state, "interactions", None), principal.user_id, session)


RecorderDep = Annotated[Recorder, Depends(get_recorder)]
