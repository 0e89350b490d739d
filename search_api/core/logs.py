"""JSON logs: one object per line on stderr, configured once per process.

Every line carries ts, level, logger and message, plus the request id of the request being
served (a context variable set by the observability middleware) and any `fields` passed as
`extra={"fields": {...}}`. Credentials are cut out of everything written: a URL's password
(postgresql://user:SECRET@host) and password=... pairs (libpq connection strings), so an
exception that quotes a connection string cannot leak it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("cc_request_id", default=None)

_URL_CREDENTIALS = re.compile(
    r"(?P<scheme>\b[a-zA-Z][a-zA-Z0-9+.\-]*://)(?P<user>[^:/?#@\s]*):(?P<secret>[^@/?#\s]+)@"
)
_SECRET_PAIRS = re.compile(
    r"(?i)\b(?P<key>password|passwd|pwd|secret|token|api[_-]?key)(?P<sep>\s*[=:]\s*)"
    r"(?P<value>'[^']*'|\"[^\"]*\"|[^\s&;,]+)"
)
_MARK = "_cc_json_handler"
# sqlalchemy.engine at INFO would log every statement with its parameters (user data).
NOISY_LOGGERS = (
    "opensearch",
    "opensearchpy.trace",
    "httpx",
    "httpcore",
    "urllib3",
    "sqlalchemy.engine",
    "sqlalchemy.pool",
)


def redact(text: str) -> str:
    text = _URL_CREDENTIALS.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _SECRET_PAIRS.sub(lambda m: f"{m['key']}{m['sep']}***", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler[Any]):
    """Writes to whatever sys.stderr is at the time (test runners swap it per test)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def configure_logging(level: str = "INFO") -> None:
    """Idempotent: the first call installs the JSON handler on the root logger; later calls
    (tests build many apps) only set the level."""
    root = logging.getLogger()
    if not any(getattr(handler, _MARK, False) for handler in root.handlers):
        handler = _StderrHandler()
        handler.setFormatter(JsonFormatter())
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(level.upper())
    # uvicorn's own lines go through the same JSON handler; its access log is replaced by the
    # middleware's request line (which has the route template, the request id and the user).
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers.clear()
    access.propagate = False
    access.disabled = True
    # Client libraries log every call at INFO (opensearch-py's trace logger even renders each
    # request body, query vectors included, as a curl command; SQLAlchemy each statement with
    # its parameters): costly, noisy, and it would put user data in the logs. Their warnings
    # and errors still come through.
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
