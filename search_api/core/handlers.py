"""Request ids, timing and the single place where errors become envelopes."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.envelope import (
    REQUEST_ID_HEADER,
    ErrorBody,
    ErrorEnvelope,
    build_meta,
    new_request_id,
)
from search_api.core.errors import MAX_DETAILS, AppError, RequestRejected

log = logging.getLogger("search_api")


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and a start time for processingTime."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(REQUEST_ID_HEADER.lower().encode())
        request_id = new_request_id(incoming.decode("latin-1") if incoming else None)
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        state["started_at"] = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append((REQUEST_ID_HEADER.encode(), request_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    details: object = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorEnvelope(
        error=ErrorBody(code=code, message=message, details=details if details is not None else {}),
        meta=build_meta(request),
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _validation_details(exc: RequestValidationError) -> list[dict[str, object]]:
    details = []
    for err in exc.errors()[:MAX_DETAILS]:
        # "[key]": pydantic's marker for a bad dict key; the key itself names the field
        loc = [str(p) for p in err.get("loc", ()) if p != "[key]"]
        # ("query", "size") -> parameter "size"; ("body", "interests", 3) -> "interests.3"
        where = loc[0] if loc and loc[0] in {"query", "path", "body", "header"} else None
        field = ".".join(loc[1:] if where else loc)
        details.append(
            {
                "field": field or where or "-",
                "location": where or "body",
                "message": str(err.get("msg", "")).removeprefix("Value error, "),
                "type": err.get("type"),
            }
        )
    return details


def allowed_methods(request: Request) -> list[str]:
    """The methods of the path the router matched: the first route pattern that matches (as
    Starlette picks), with every route registered on that same pattern (included routers'
    too). /careers/compare is its own path, though /careers/{career_id} would match it."""
    contexts = [c for c in iter_route_contexts(request.app.router.routes) if c.path_format]
    matched = next(
        (
            c.path_format
            for c in contexts
            if compile_path(str(c.path_format))[0].match(request.url.path)
        ),
        None,
    )
    return sorted({m for c in contexts if c.path_format == matched for m in c.methods or ()})


def _parameter(err: Any) -> str:
    loc = [p for p in err.get("loc", ()) if not isinstance(p, int)]
    if loc and loc[0] in {"query", "path", "body", "header"}:
        loc = loc[1:]
    return str(loc[0]) if loc else "body"


def _malformed_json(request: Request, errors: Sequence[Any]) -> JSONResponse:
    """400: the body is not JSON at all, so there are no fields to name."""
    err = next(e for e in errors if e.get("type") == "json_invalid")
    position = next((p for p in err.get("loc", ())[1:] if isinstance(p, int)), None)
    reason = str((err.get("ctx") or {}).get("error", "")) or "not valid JSON"
    where = f" at character {position}" if position is not None else ""
    detail = {"field": "body", "location": "body", "message": f"{reason}{where}"}
    return error_response(
        request, 400, "MALFORMED_JSON", f"the request body is not valid JSON{where}", [detail]
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(request: Request, exc: AppError) -> JSONResponse:
        return error_response(
            request, exc.status, exc.code, exc.message, exc.details, exc.headers or None
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(err.get("type") == "json_invalid" for err in errors):
            return _malformed_json(request, errors)
        details = _validation_details(exc)
        # "stream" for stream.0 ... stream.999: the message names parameters, not list items
        names = sorted({_parameter(err) for err in errors})
        message = f"invalid request: {', '.join(names[:MAX_DETAILS])}"
        if len(names) > MAX_DETAILS:
            message += f" and {len(names) - MAX_DETAILS} more"
        if len(errors) > MAX_DETAILS:
            message += f" ({len(errors)} problems, the first {MAX_DETAILS} listed)"
        return error_response(request, 422, "VALIDATION_ERROR", message, details)

    @app.exception_handler(RequestRejected)
    async def _rejected(request: Request, exc: RequestRejected) -> JSONResponse:
        return error_response(request, exc.status_code, exc.code, exc.message, exc.details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 401: "UNAUTHORIZED", 403: "FORBIDDEN"}
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:
            # Starlette's Allow names the methods of the first route on the path only; FastAPI
            # has one route per method, so GET /careers hid POST /careers
            headers["Allow"] = ", ".join(allowed_methods(request))
        return error_response(
            request,
            exc.status_code,
            codes.get(exc.status_code, "HTTP_ERROR"),
            str(exc.detail),
            headers=headers or None,
        )

    @app.exception_handler(OperationalError)
    async def _db_down(request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return error_response(
            request, 503, "DATABASE_UNAVAILABLE", "the catalogue database is unavailable"
        )

    @app.exception_handler(DBAPIError)
    async def _db_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return error_response(
                request, 503, "DATABASE_UNAVAILABLE", "the catalogue database is unavailable"
            )
        log.exception("database error", exc_info=exc)
        return error_response(request, 500, "INTERNAL_ERROR", "unexpected database error")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return error_response(request, 500, "INTERNAL_ERROR", "unexpected server error")
