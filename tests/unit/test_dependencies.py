"""Every route's dependencies run on the event loop, none in FastAPI's thread pool."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from search_api.core.settings import Settings
from search_api.main import create_app


def runs_on_the_loop(call: Any) -> bool:
    if inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call):
        return True
    if inspect.isfunction(call):
        return False
    if inspect.isclass(call):
        # a form model FastAPI builds (OAuth2PasswordRequestForm, on sign-in only)
        return call.__module__.startswith("fastapi.")
    # a security scheme instance (OAuth2PasswordBearer, APIKeyHeader): its __call__
    return inspect.iscoroutinefunction(type(call).__call__)


def calls(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from calls(sub)


def test_no_route_resolves_a_dependency_in_the_thread_pool() -> None:
    # A plain `def` dependency is run by FastAPI in a worker thread. The ones here only read
    # app state, and the ~10 a search resolves cost it 4-7 ms of thread handoffs (p50, scale
    # catalogue, uncached), so they are all `async def`.
    app = create_app(Settings(_env_file=None))
    # the routes as OpenAPI reads them, those of included routers with their context
    routes = [r for r in iter_route_contexts(app.routes) if hasattr(r, "dependant")]
    assert len(routes) > 50
    sync = sorted(
        {
            f"{route.path}: {getattr(call, '__qualname__', repr(call))}"
            for route in routes
            for call in calls(route.dependant)
            if not runs_on_the_loop(call)
        }
    )
    assert sync == []
