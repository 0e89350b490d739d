"""Rate limits: GCRA in Redis, one atomic round trip per request.

Each caller has a bucket: anonymous callers per client IP, signed-in accounts per user, API
keys per key, with limits from the settings (anonymous < student < API key). GCRA (the generic
cell rate algorithm) keeps one number per bucket, the theoretical arrival time, so a caller
may send `limit` requests at once and then one every `window / limit` seconds; the Lua script
reads and advances it atomically with Redis's own clock, so several API processes share
buckets without drifting clocks.

Every limited response carries X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset
(seconds until the bucket is full again); a refused one is a 429 RATE_LIMIT_EXCEEDED with
Retry-After. When Redis is unreachable the limiter lets requests through: nobody is locked
out because a cache is down. It logs that once per outage, reports it in /health, and retries
Redis after a short pause instead of waiting on it in every request.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import Request
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.cache import CACHE_ERRORS
from search_api.core.errors import AppError
from search_api.core.security import (
    ANONYMOUS,
    ApiKeyDoc,
    AuthenticationFailed,
    BearerDoc,
    Principal,
    resolve_principal,
    route_ignores_credentials,
)
from search_api.core.settings import Settings

log = logging.getLogger("search_api.ratelimit")

# Probes, metrics, the docs and static files are never limited.
EXEMPT_PATHS = frozenset({"/health", "/metrics", "/openapi.json", "/docs", "/redoc"})
EXEMPT_PREFIXES = ("/docs/", "/static/")
# After a Redis failure, requests pass without asking Redis for this long.
RETRY_AFTER_FAILURE_SECONDS = 5.0
# The limiter's own deadline: a hanging Redis must not hold every request.
REDIS_DEADLINE_SECONDS = 0.25

# KEYS[1] the bucket; ARGV[1] emission interval, ARGV[2] window, both in microseconds.
# Returns {allowed (1/0), remaining, microseconds until full, microseconds until allowed}.
GCRA_LUA = """
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - window
if now < allow_at then
  return {0, 0, tat - now, allow_at - now}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now - allow_at) / interval), new_tat - now, 0}
"""

Tier = Literal["anonymous", "student", "api_key"]


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: float  # until the bucket is full again
    retry_after_seconds: float  # until the next request is allowed (0 when allowed)

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(math.ceil(self.reset_seconds)),
        }


class RateLimitExceeded(AppError):
    def __init__(self, decision: Decision) -> None:
        retry = max(1, math.ceil(decision.retry_after_seconds))
        super().__init__(
            "RATE_LIMIT_EXCEEDED",
            f"too many requests: {decision.limit} per window; try again in {retry} s",
            429,
            {
                "limit": decision.limit,
                "remaining": decision.remaining,
                "reset_seconds": math.ceil(decision.reset_seconds),
                "retry_after_seconds": retry,
            },
            headers={"Retry-After": str(retry)},
        )


def bucket_for(principal: Principal, client_ip: str) -> tuple[Tier, str]:
    if principal.kind == "user" and principal.id:
        return "student", f"user:{principal.id}"
    if principal.kind == "api_key" and principal.id:
        return "api_key", f"key:{principal.id}"
    return "anonymous", f"ip:{client_ip}"


class RateLimiter:
    def __init__(self, redis: Redis, settings: Settings) -> None:
        self.enabled = settings.rate_limit_enabled
        self.window_seconds = settings.rate_limit_window_seconds
        self.limits: dict[Tier, int] = {
            "anonymous": settings.rate_limit_anonymous,
            "student": settings.rate_limit_student,
            "api_key": settings.rate_limit_api_key,
        }
        self.prefix = settings.rate_limit_prefix
        self._script: Any = redis.register_script(GCRA_LUA)
        self._down_until = 0.0
        self._down_since: float | None = None

    @property
    def status(self) -> str:
        if not self.enabled:
            return "disabled"
        if self._down_since is not None:
            return "not enforced: redis unavailable"
        return "enforced"

    async def hit(self, tier: Tier, bucket: str) -> Decision | None:
        """None when the limit cannot be checked now (Redis down): the request passes."""
        if not self.enabled or time.monotonic() < self._down_until:
            return None
        limit = self.limits[tier]
        window = self.window_seconds * 1_000_000
        try:
            allowed, remaining, reset, retry = await asyncio.wait_for(
                # at least 1 µs apart: a limit above a million per second is still a number
                self._script(
                    keys=[f"{self.prefix}{bucket}"], args=[max(1, window // limit), window]
                ),
                REDIS_DEADLINE_SECONDS,
            )
        except (TimeoutError, *CACHE_ERRORS) as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_FAILURE_SECONDS
            if self._down_since is None:
                self._down_since = time.monotonic()
                log.warning(
                    "rate limits not enforced: redis unavailable (%s: %s); requests pass",
                    type(exc).__name__,
                    str(exc)[:200],
                )
            return None
        if self._down_since is not None:
            log.warning(
                "rate limits enforced again after %.0f s", time.monotonic() - self._down_since
            )
            self._down_since = None
        return Decision(
            allowed=bool(allowed),
            limit=limit,
            remaining=int(remaining),
            reset_seconds=int(reset) / 1_000_000,
            retry_after_seconds=int(retry) / 1_000_000,
        )


def is_exempt(path: str) -> bool:
    return path in EXEMPT_PATHS or path.startswith(EXEMPT_PREFIXES)


async def enforce_rate_limit(request: Request, _bearer: BearerDoc, _key: ApiKeyDoc) -> None:
    """App-wide dependency: limit the caller, then reject an invalid credential.

    The order matters: a caller guessing tokens or keys is counted (against its IP) before
    its credential is refused, so guessing is rate-limited too.
    """
    if is_exempt(request.url.path) or getattr(request.state, "rate_limit_enforced", False):
        return
    # core.auth_first runs this before the body is read; the app-wide run then does nothing
    request.state.rate_limit_enforced = True
    outcome: Principal | AuthenticationFailed = ANONYMOUS
    if not route_ignores_credentials(request):
        outcome = await resolve_principal(request)
    principal = outcome if isinstance(outcome, Principal) else ANONYMOUS
    limiter: RateLimiter | None = getattr(request.state, "rate_limiter", None)
    if limiter is not None:
        client_ip = request.client.host if request.client else "unknown"
        decision = await limiter.hit(*bucket_for(principal, client_ip))
        if decision is not None:
            request.state.rate_limit = decision
            if not decision.allowed:
                raise RateLimitExceeded(decision)
    if isinstance(outcome, AuthenticationFailed):
        raise outcome


class RateLimitHeadersMiddleware:
    """Adds the X-RateLimit-* headers of the request's decision to whatever response goes
    out, errors included (the decision is made in a dependency, the response elsewhere)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})

        async def send_with_limits(message: Message) -> None:
            if message["type"] == "http.response.start":
                decision: Decision | None = state.get("rate_limit")
                if decision is not None:
                    headers = message.setdefault("headers", [])
                    for name, value in decision.headers().items():
                        headers.append((name.encode(), value.encode()))
            await send(message)

        await self.app(scope, receive, send_with_limits)
