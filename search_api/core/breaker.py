"""A circuit breaker per outside dependency (OpenSearch, Redis).

A hung dependency (SIGSTOP, a full disk, a GC pause) costs each request its whole timeout.
After `threshold` failures in a row the breaker opens and callers skip the dependency at once
(OpenSearch: the PostgreSQL fallback; Redis: no cache, no rate limit) for `cooldown_seconds`.
Then one caller is let through as a probe (half-open): its success closes the breaker, its
failure opens it for another cool-down. Everyone else keeps skipping while the probe runs.

Small code of our own rather than aiobreaker/purgatory: the callers need the "is it worth
trying?" question separate from the call (CareerIndex translates errors first, and only some
errors count: a 404 or a bad query says nothing about the dependency's health), and a single
probe in half-open, which purgatory's half-open state does not limit.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

from search_api.core.metrics import BREAKER_OPENED

State = Literal["closed", "open", "half_open"]


@dataclass
class CircuitBreaker:
    name: str
    threshold: int = 3
    cooldown_seconds: float = 5.0
    _failures: int = field(default=0, init=False)
    _opened_at: float | None = field(default=None, init=False)
    _probing: bool = field(default=False, init=False)

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if time.monotonic() - self._opened_at >= self.cooldown_seconds:
            return "half_open"
        return "open"

    def allow(self) -> bool:
        """True when a call may be made now. In half-open, only the first caller (the probe)."""
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._probing:
            self._probing = True
            return True
        return False

    def succeeded(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probing = False

    def failed(self) -> None:
        self._failures += 1
        if self._probing or self._failures >= self.threshold:
            if self._opened_at is None or self._probing:
                BREAKER_OPENED.labels(dependency=self.name).inc()
            self._opened_at = time.monotonic()
            self._probing = False

    def released(self) -> None:
        """The call ended without telling anything (cancelled, a semantic error): a probe that
        ends so frees the slot for the next caller."""
        self._probing = False


class CircuitOpen(Exception):
    def __init__(self, name: str) -> None:
        super().__init__(f"{name} skipped for a cool-down after repeated failures")
        self.name = name
