"""Routes that take a body check the caller's access before reading it.

FastAPI reads and parses the body before it runs any dependency, so an admin endpoint used
to parse whatever an anonymous caller sent (up to the body limit) before answering 401. On
a route with a body, this route class first counts the caller against its rate limit and
runs the route's access checks (each a dependency that takes only the Principal: AdminDep,
StudentDep, require_scope, ...), so a caller who may not write is turned away unread.
The checks run again in the usual order afterwards; authentication and the rate limit
remember their outcome on request.state, so that costs nothing and counts nothing twice.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from search_api.core.ratelimit import enforce_rate_limit
from search_api.core.security import get_principal


def access_checks(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Dependencies whose one and only parameter is the Principal: pure access checks."""
    for sub in dependant.dependencies:
        inner = sub.dependencies
        if (
            sub.call is not None
            and len(inner) == 1
            and inner[0].call is get_principal
            and len(inspect.signature(sub.call).parameters) == 1
        ):
            yield sub.call
        yield from access_checks(sub)


class AuthenticateFirstRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        checks = list(dict.fromkeys(access_checks(self.dependant)))
        if self.body_field is None or not checks:
            return handler

        async def authenticate_first(request: Request) -> Response:
            await enforce_rate_limit(request, None, None)
            principal = await get_principal(request, None, None)
            for check in checks:
                outcome = check(principal)
                if inspect.isawaitable(outcome):
                    await outcome
            return await handler(request)

        return authenticate_first
