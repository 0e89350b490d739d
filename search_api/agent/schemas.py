"""Wire shapes of /api/v1/agent/*."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from search_api.careers.records import SLUG_PATTERN, Stream

MilestoneStatus = Literal["pending", "done"]


class SessionData(BaseModel):
    session_id: uuid.UUID
    expires_at: str
    signed_in: bool
    slots: dict[str, Any] = Field(description="What the agent knows: grade, stream, interests")


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    session_id: uuid.UUID
    # Length is checked by the service (CC_AGENT_MAX_MESSAGE_CHARS) so the limit is a setting.
    message: str
    stream: bool = Field(False, description="Send the reply as server-sent events")


class ChatData(BaseModel):
    session_id: uuid.UUID
    reply: str
    intent: str
    entities: dict[str, Any]
    careers: list[str] = Field(description="Ids of the catalogue careers the reply cites")
    follow_ups: list[str]
    source: Literal["deterministic", "llm"]
    grounding_violations: int = Field(
        description="Ungrounded items caught (and removed) before this reply was sent"
    )
    plan_id: uuid.UUID | None = None


class PlanProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: Literal[11, 12]
    stream: Stream | None = None


class PlanRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    career_id: str = Field(pattern=SLUG_PATTERN, max_length=50)
    profile: PlanProfile | None = None
    session_id: uuid.UUID | None = Field(
        None,
        description="A conversation whose grade and stream to use (and, for an anonymous "
        "student, the plan's owner)",
    )


class MilestoneUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    status: MilestoneStatus


class PlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    milestones: list[MilestoneUpdate] = Field(min_length=1, max_length=50)
    session_id: uuid.UUID | None = None


class PlanData(BaseModel):
    id: uuid.UUID
    career_id: str
    plan: dict[str, Any]
    created_at: str
    updated_at: str
