"""Per-request metrics and one JSON log line per request, as a pure ASGI middleware.

Pure ASGI (not BaseHTTPMiddleware) so it adds no task per request and sees the route the router
matched: Starlette writes it into the scope, and its `path` is the template
(/api/v1/careers/{career_id}), which keeps the metrics' label values few and the logs free of
whatever a client put in the URL.

What a request line holds: request id, route template, method, status, duration in ms, and the
user id when authentication left one on request.state. Never the query string, headers
(Authorization, X-API-Key, cookies) or the body.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.logs import request_id_var
from search_api.core.metrics import HTTP_REQUEST_DURATION, HTTP_REQUESTS

access_log = logging.getLogger("search_api.access")

UNMATCHED_ROUTE = "unmatched"


def route_template(scope: Scope) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


def user_id(state: dict[str, Any]) -> str | None:
    """A signed-in student's id (core.security keeps the request's Principal on its state);
    never an API key's id, never anything for anonymous callers."""
    principal = state.get("principal")
    if getattr(principal, "kind", None) == "user" and (found := getattr(principal, "id", None)):
        return str(found)
    value = state.get("user_id")
    return None if value is None else str(value)


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state: dict[str, Any] = scope.setdefault("state", {})
        token = request_id_var.set(state.get("request_id"))
        status = 500  # an exception that escapes the app is answered with 500 further out

        async def send_and_record(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_record)
        finally:
            elapsed = time.perf_counter() - started
            route = route_template(scope)
            method = str(scope.get("method", ""))
            HTTP_REQUESTS.labels(route=route, method=method, status=str(status)).inc()
            HTTP_REQUEST_DURATION.labels(route=route, method=method).observe(elapsed)
            fields: dict[str, Any] = {
                "request_id": state.get("request_id"),
                "route": route,
                "method": method,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            }
            if (uid := user_id(state)) is not None:
                fields["user_id"] = uid
            access_log.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s",
                method,
                route,
                status,
                extra={"fields": fields},
            )
            request_id_var.reset(token)
