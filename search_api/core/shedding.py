"""Load shedding: a bounded number of requests in flight, a short queue, the rest refused.

Past capacity, queueing only makes every request late: with 256 clients on two cores the p95
reached 8 s and requests died on their deadlines with 500s and 503s after seconds of waiting.
So a request beyond `limit` waits at most `queue_wait_seconds` in a queue of at most
`queue_size` for a place, and is otherwise answered at once with 503 SERVICE_OVERLOADED and
Retry-After, which a client (or a load balancer) can act on, while the requests already
admitted keep their latency. The short queue is for bursts: students arrive at random, so
16 can happen to be in flight while the API is far from full. With 1,200 simulated students
(scripts/bench_capacity.py, the same run otherwise) 478 requests were shed without it and 139
with it. Health and metrics are never shed: monitoring must see an overloaded API.
"""

from __future__ import annotations

import asyncio
from collections import deque

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.handlers import error_response
from search_api.core.metrics import SHED_REQUESTS

NEVER_SHED = ("/health", "/metrics")


class LoadSheddingMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        retry_after_seconds: int = 1,
        queue_size: int = 0,
        queue_wait_seconds: float = 0.0,
    ) -> None:
        self.app = app
        self.limit = limit
        self.retry_after_seconds = retry_after_seconds
        self.queue_size = queue_size
        self.queue_wait_seconds = queue_wait_seconds
        self.in_flight = 0
        # Requests waiting for a place, first come first served. A place that frees up is
        # handed to the first of them without being given back, so nothing can jump the queue.
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def _admit(self) -> bool:
        if self.in_flight < self.limit and not self._waiters:
            self.in_flight += 1
            return True
        if len(self._waiters) >= self.queue_size or self.queue_wait_seconds <= 0:
            return False
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), self.queue_wait_seconds)
        except TimeoutError:
            pass
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._free_place()  # handed over just as the client went away
            waiter.cancel()
            raise
        finally:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
        if waiter.done() and not waiter.cancelled():
            return True
        waiter.cancel()
        return False

    def _free_place(self) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                return
        self.in_flight -= 1

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or self.limit <= 0
            or str(scope.get("path", "")).startswith(NEVER_SHED)
        ):
            await self.app(scope, receive, send)
            return
        if not await self._admit():
            SHED_REQUESTS.inc()
            retry = self.retry_after_seconds
            response = error_response(
                Request(scope),
                503,
                "SERVICE_OVERLOADED",
                f"the service is at capacity ({self.limit} requests in flight, "
                f"{len(self._waiters)} waiting); "
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
        released = False

        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._free_place()

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
