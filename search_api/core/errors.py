"""One error type for expected failures, rendered by one handler into the envelope."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from starlette.exceptions import HTTPException as StarletteHTTPException

Location = Literal["query", "path", "body", "header"]
# Error bodies list each problem; past this many the rest is summarised, so a request with a
# thousand bad values cannot produce a response of hundreds of kilobytes.
MAX_DETAILS = 20


def listed(values: Sequence[str], limit: int = MAX_DETAILS) -> str:
    """`a, b, c` for a message, with the rest counted past `limit` values."""
    shown = ", ".join(values[:limit])
    return shown if len(values) <= limit else f"{shown} and {len(values) - limit} more"


class AppError(Exception):
    """An outcome the caller should see: a code, a message, an HTTP status and details."""

    def __init__(
        self,
        code: str,
        message: str,
        status: int = 400,
        details: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details if details is not None else {}
        # e.g. WWW-Authenticate on a 401, Retry-After on a 429
        self.headers = dict(headers or {})


class NotFoundError(AppError):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(code, message, 404, details)


class ConflictError(AppError):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(code, message, 409, details)


class ValidationFailed(AppError):
    """422 with one detail per problem: {"field", "location", "message"}."""

    def __init__(self, message: str, details: Sequence[dict[str, Any]] = ()) -> None:
        super().__init__("VALIDATION_ERROR", message, 422, list(details[:MAX_DETAILS]))

    @classmethod
    def field(cls, name: str, location: Location | None, message: str) -> ValidationFailed:
        return cls.fields(name, [(location, message)])

    @classmethod
    def fields(cls, name: str, problems: Sequence[tuple[Location | None, str]]) -> ValidationFailed:
        """Several problems with one field (or one problem each for several, see `many`)."""
        return cls.many([(name, location, message) for location, message in problems])

    @classmethod
    def many(
        cls, problems: Sequence[tuple[str, Location | None, str]], subject: str = "request"
    ) -> ValidationFailed:
        names = ", ".join(sorted({name for name, _, _ in problems}))
        details = [
            {"field": name, "message": message}
            | ({"location": location} if location is not None else {})
            for name, location, message in problems
        ]
        return cls(f"invalid {subject}: {names}", details)


class DependencyUnavailable(AppError):
    """A backing service (Postgres, OpenSearch) is down or too slow: 503, never a 500."""

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(code, message, 503, details)


class RequestRejected(StarletteHTTPException):
    """An error found while the request body streams in (too large, a NUL character).

    FastAPI turns any other exception raised while it reads the body into a bare 400; it
    lets HTTPExceptions through, so these are one, with the envelope's code and details."""

    def __init__(self, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(status, message)
        self.code = code
        self.message = message
        self.details = details if details is not None else {}
