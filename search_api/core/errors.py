"""One error type for expected failures, rendered by one handler into the envelope."""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    """An outcome the caller should see: a code, a message, an HTTP status and details."""

    def __init__(self, code: str, message: str, status: int = 400, details: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.details = details if details is not None else {}


class NotFoundError(AppError):
    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(code, message, 404, details)


class ValidationFailed(AppError):
    def __init__(self, message: str, details: Any = None) -> None:
        super().__init__("VALIDATION_ERROR", message, 422, details)


class DependencyUnavailable(AppError):
    """A backing service (Postgres, OpenSearch) is down or too slow: 503, never a 500."""

    def __init__(self, code: str, message: str, details: Any = None) -> None:
        super().__init__(code, message, 503, details)
