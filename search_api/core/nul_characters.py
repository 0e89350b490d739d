"""NUL characters are refused wherever text comes in: the path, every query parameter, and
every string (or key) of a JSON or form body.

PostgreSQL cannot store U+0000 in text or jsonb, so a NUL that reached a write was a 500 from
the driver, and one in a search query could sink a whole batch of analytics rows. No field of
this API has a use for it, so one guard covers them all and names the field: 422.

The path and query are checked before the app runs. A body is checked as it streams in,
when the route reads it (after the route has authenticated the caller, see
core/auth_first.py), and only parsed again when it contains a NUL at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote_to_bytes

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.core.errors import MAX_DETAILS, Location, RequestRejected
from search_api.core.handlers import error_response

MESSAGE = "must not contain NUL (U+0000) characters"
# What a NUL looks like on the wire: escaped in JSON, percent-encoded in a form, or raw.
_JSON_NUL = b"\\u0000"
_FORM_NUL = b"%00"


def rejection(fields: list[tuple[str, Location]]) -> RequestRejected:
    names = sorted({name for name, _ in fields})
    details = [
        {"field": name, "location": location, "message": MESSAGE}
        for name, location in fields[:MAX_DETAILS]
    ]
    return RequestRejected(
        422, "VALIDATION_ERROR", f"invalid request: {', '.join(names[:MAX_DETAILS])}", details
    )


def query_fields_with_nul(query_string: bytes) -> list[tuple[str, Location]]:
    if b"%00" not in query_string.lower() and b"\x00" not in query_string:
        return []
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    return [
        (name.replace("\x00", "\\0"), "query") for name, value in pairs if "\x00" in name + value
    ]


def json_paths_with_nul(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "body"
    elif isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if "\x00" in key:
                yield child.replace("\x00", "\\0")
            else:
                yield from json_paths_with_nul(item, child)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from json_paths_with_nul(item, f"{path}.{i}" if path else str(i))


def body_fields_with_nul(body: bytes, content_type: str) -> list[tuple[str, Location]]:
    if "json" in content_type:
        try:
            parsed = json.loads(body)
        except ValueError:
            return []  # not JSON: the route answers 400 for that
        return [(path, "body") for path in json_paths_with_nul(parsed)]
    if "x-www-form-urlencoded" in content_type:
        pairs = parse_qsl(body.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
        return [(name, "body") for name, value in pairs if "\x00" in name + value]
    return []


class RejectNulMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        fields: list[tuple[str, Location]] = []
        if b"\x00" in unquote_to_bytes(raw_path):
            fields.append(("path", "path"))
        fields += query_fields_with_nul(scope.get("query_string", b""))
        if fields:
            error = rejection(fields)
            response = error_response(Request(scope), 422, error.code, error.message, error.details)
            await response(scope, receive, send)
            return

        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1").lower()
        if "json" not in content_type and "x-www-form-urlencoded" not in content_type:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []

        async def checking_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    # joined, so a marker split across two chunks is still seen
                    body = b"".join(chunks)
                    chunks.clear()
                    if _JSON_NUL in body or _FORM_NUL in body or b"\x00" in body:
                        found = body_fields_with_nul(body, content_type)
                        if found:
                            raise rejection(found)
            return message

        await self.app(scope, checking_receive, send)
