"""Security headers on every response: no MIME sniffing, no referrer beyond our origin, no
framing, and a Content-Security-Policy that allows only what the pages and /docs load.

The student pages (search_api/pages) load one script and one stylesheet from /static and
call the API on the same origin; their templates set widths in `style` attributes (the
score bars), which CSP counts as inline style. Swagger UI and ReDoc (/docs, /redoc, served
from /docs/static, never a CDN) start from an inline script and draw icons as data: images,
so only those pages allow inline scripts.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = (
    "default-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_CSP = f"{_COMMON}; script-src 'self'; style-src 'self' 'unsafe-inline'"
DOCS_CSP = (
    f"{_COMMON}; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "worker-src 'self' blob:"
)
DOCS_PATHS = ("/docs", "/redoc")

HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
)


def policy_for(path: str) -> str:
    if path in DOCS_PATHS or path.startswith("/docs/"):
        return DOCS_CSP
    return PAGE_CSP


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = policy_for(scope["path"]).encode()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in HEADERS if n not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", csp))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
