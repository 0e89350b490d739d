from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class DependencyStatus(BaseModel):
    status: Literal["up", "down"]
    latencyMs: float
    detail: str | None = None
    error: str | None = None


class HealthReport(BaseModel):
    status: Literal["healthy", "degraded", "unhealthy"]
    dependencies: dict[str, DependencyStatus]
    embedding_model: str
    # "enforced", "disabled", or "not enforced: redis unavailable" (requests then pass)
    rate_limits: str = "enforced"
