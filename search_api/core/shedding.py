"""Load shedding: a bounded number of requests in flight, the rest refused at once.

Past capacity, queueing only makes every request late: with 256 clients on two cores the p95
reached 8 s and requests died on their deadlines with 500s and 503s after seconds of waiting.
A request beyond `limit` is answered immediately with 503 SERVICE_OVERLOADED and Retry-After,
which a client (or a load balancer) can act on, while the requests already admitted keep
their latency. Health and metrics are never shed: monitoring must see an overloaded API.
"""

from __future__ import annotations

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.handlers import error_response
from search_api.core.metrics import SHED_REQUESTS

NEVER_SHED = ("/health", "/metrics")


class LoadSheddingMiddleware:
    def __init__(self, app: ASGIApp, limit: int, retry_after_seconds: int = 1) -> None:
        self.app = app
        self.limit = limit
        self.retry_after_seconds = retry_after_seconds
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.limit <= 0
            or str(scope.get("path", "")).startswith(NEVER_SHED)
        ):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            SHED_REQUESTS.inc()
            retry = self.retry_after_seconds
            response = error_response(
                Request(scope),
                503,
                "SERVICE_OVERLOADED",
                f"the service is at capacity ({self.limit} requests in flight); "
                f"try again in {retry} s",
                {"in_flight_limit": self.limit, "retry_after_seconds": retry},
                headers={"Retry-After": str(retry)},
            )
            await response(scope, receive, send)
            return
        # A request stops counting once its last byte is sent, not when the app returns:
        # background work and middleware unwinding continue after that, while a keep-alive
        # client already sends its next request. Counting until return refused 678 of 1,217
        # requests from 16 closed-loop clients against a limit of 16.
        self.in_flight += 1
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self.in_flight -= 1

        async def counted_send(message: Message) -> None:
            try:
                await send(message)
            finally:
                if message["type"] == "http.response.body" and not message.get("more_body"):
                    release()

        try:
            await self.app(scope, receive, counted_send)
        finally:
            release()
