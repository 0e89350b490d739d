"""The response envelope every endpoint returns (DESIGN.md section 3)."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request

T = TypeVar("T")

REQUEST_ID_HEADER = "X-Request-ID"


class Meta(BaseModel):
    model_config = ConfigDict(extra="allow")

    requestId: str
    timestamp: str
    version: str
    processingTime: float = Field(description="Milliseconds spent in the server")


class Envelope(BaseModel, Generic[T]):
    success: bool = True
    data: T
    meta: Meta


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorEnvelope(BaseModel):
    success: bool = False
    error: ErrorBody
    meta: Meta


def new_request_id(incoming: str | None) -> str:
    # Accept a caller's id only if it looks like an id, so logs cannot be injected into.
    if incoming and len(incoming) <= 64 and all(c.isalnum() or c in "-_." for c in incoming):
        return incoming
    return uuid.uuid4().hex


def build_meta(request: Request, **extra: Any) -> Meta:
    state = request.state
    started = getattr(state, "started_at", None)
    elapsed = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    # Lifespan state is copied into request.state; a request served without lifespan (an
    # error raised before it ran) still gets an envelope.
    settings = getattr(state, "settings", None)
    return Meta(
        requestId=getattr(state, "request_id", None) or uuid.uuid4().hex,
        timestamp=datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        version=settings.app_version if settings is not None else "v1",
        processingTime=round(elapsed, 2),
        **extra,
    )


def envelope(request: Request, data: T, **meta: Any) -> Envelope[T]:
    return Envelope[T](data=data, meta=build_meta(request, **meta))
