from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class DependencyStatus(BaseModel):
    status: Literal["up", "down"]
    # Admins only: how long the check took, what answered (versions) and why it failed
    # (error text can name hosts and ports). Absent for everyone else.
    latencyMs: float | None = None
    detail: str | None = None
    error: str | None = None


class HealthReport(BaseModel):
    status: Literal["healthy", "degraded", "unhealthy"]
    dependencies: dict[str, DependencyStatus]
    embedding_model: str
    # "enforced", "disabled", or "not enforced: redis unavailable" (requests then pass)
    rate_limits: str = "enforced"

    def public(self) -> HealthReport:
        """What anyone may see: the overall status and up/down per dependency."""
        return self.model_copy(
            update={
                "dependencies": {
                    name: DependencyStatus(status=dep.status)
                    for name, dep in self.dependencies.items()
                }
            }
        )
