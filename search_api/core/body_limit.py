"""Request bodies over the configured size are refused before anyone parses them.

Without a limit a 100 MB JSON body was read, parsed and held (+600 MB per request, the event
loop blocked for seconds). A declared Content-Length over the limit is answered 413 at once,
without reading a byte; a body that streams in (chunked, or a Content-Length that lies) is
counted as it arrives and the read stops at the first byte over the limit.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.errors import RequestRejected
from search_api.core.handlers import error_response


def too_large(limit: int) -> RequestRejected:
    return RequestRejected(
        413,
        "PAYLOAD_TOO_LARGE",
        f"the request body is larger than {limit} bytes",
        {"limit_bytes": limit},
    )


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            error = too_large(self.max_bytes)
            # Connection: close, or the server would first drain the unread body to keep the
            # connection alive
            response = error_response(
                Request(scope),
                413,
                error.code,
                error.message,
                error.details,
                {"Connection": "close"},
            )
            await response(scope, receive, send)
            return

        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # an HTTPException: FastAPI passes it on to the envelope handler
                    raise too_large(self.max_bytes)
            return message

        await self.app(scope, counting_receive, send)
