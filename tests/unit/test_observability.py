"""The request middleware and the JSON logs, on a small real Starlette app (no services)."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route

from search_api.core.handlers import RequestContextMiddleware
from search_api.core.logs import JsonFormatter, configure_logging, redact
from search_api.core.metrics import render_metrics
from search_api.core.observability import ObservabilityMiddleware


async def career(request: Request) -> JSONResponse:
    return JSONResponse({"id": request.path_params["career_id"]})


async def signed_in(request: Request) -> PlainTextResponse:
    # What an authentication dependency leaves behind.
    request.state.user_id = "user-42"
    return PlainTextResponse("ok")


async def broken(request: Request) -> PlainTextResponse:
    raise RuntimeError("boom")


def make_app() -> Starlette:
    app = Starlette(
        routes=[
            Route("/api/v1/careers/{career_id}", career),
            Route("/me", signed_in),
            Route("/broken", broken),
        ]
    )
    app.add_middleware(ObservabilityMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


def requests_total(route: str, method: str, status: str) -> float:
    for family in text_string_to_metric_families(render_metrics().decode()):
        if family.name != "cc_http_requests":
            continue
        for sample in family.samples:
            if sample.name == "cc_http_requests_total" and sample.labels == {
                "route": route,
                "method": method,
                "status": status,
            }:
                return float(sample.value)
    return 0.0


async def test_metrics_use_the_route_template_not_the_path(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="search_api.access")
    template = "/api/v1/careers/{career_id}"
    before = requests_total(template, "GET", "200")
    for career_id in ("doctor-mbbs", "dentist", "pilot"):
        assert (await client.get(f"/api/v1/careers/{career_id}")).status_code == 200
    assert requests_total(template, "GET", "200") == before + 3
    assert requests_total("/api/v1/careers/doctor-mbbs", "GET", "200") == 0
    (line, *_) = [r for r in caplog.records if r.name == "search_api.access"]
    fields = line.fields  # type: ignore[attr-defined]
    assert fields["route"] == template
    assert fields["method"] == "GET"
    assert fields["status"] == 200
    assert fields["duration_ms"] >= 0
    assert "user_id" not in fields


async def test_unknown_paths_share_one_label(client: httpx.AsyncClient) -> None:
    before = requests_total("unmatched", "GET", "404")
    await client.get("/wp-admin/setup.php")
    await client.get("/.env")
    assert requests_total("unmatched", "GET", "404") == before + 2


async def test_the_request_line_has_the_request_id_and_the_user(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="search_api.access")
    response = await client.get("/me", headers={"X-Request-ID": "req-abc-123"})
    assert response.headers["X-Request-ID"] == "req-abc-123"
    (line,) = [r for r in caplog.records if r.name == "search_api.access"]
    fields = line.fields  # type: ignore[attr-defined]
    assert fields["request_id"] == "req-abc-123"
    assert fields["user_id"] == "user-42"
    # The JSON line carries the same request id.
    assert json.loads(JsonFormatter().format(line))["request_id"] == "req-abc-123"


async def test_an_exception_is_counted_and_logged_as_500(
    client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="search_api.access")
    before = requests_total("/broken", "GET", "500")
    response = await client.get("/broken")
    assert response.status_code == 500
    assert requests_total("/broken", "GET", "500") == before + 1
    (line,) = [r for r in caplog.records if r.name == "search_api.access"]
    assert line.levelno == logging.WARNING
    assert line.fields["status"] == 500  # type: ignore[attr-defined]


async def test_secrets_in_the_request_never_reach_the_log(
    client: httpx.AsyncClient, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    await client.get(
        "/api/v1/careers/doctor-mbbs?token=tok-SECRET-1&api_key=key-SECRET-2",
        headers={
            "Authorization": "Bearer bearer-SECRET-3",
            "X-API-Key": "admin-SECRET-4",
            "Cookie": "session=cookie-SECRET-5",
        },
    )
    err = capsys.readouterr().err
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "search_api.access"]
    assert access, f"no request line in {err!r}"
    assert access[-1]["route"] == "/api/v1/careers/{career_id}"
    assert "SECRET" not in err


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("connect postgresql+psycopg://careers:Pa55word@db:5432/careers failed", "Pa55word"),
        ("redis://:r3dis-pass@cache:6379/0 refused", "r3dis-pass"),
        ("https://admin:os-pass@search.example:9200 down", "os-pass"),
        ("host=db port=5432 user=careers password=libpq-secret dbname=careers", "libpq-secret"),
        ("password='quoted secret' sslmode=require", "quoted secret"),
        ("api_key=sk-live-123 token: abc.def", "sk-live-123"),
    ],
)
def test_redact_removes_credentials(text: str, secret: str) -> None:
    cleaned = redact(text)
    assert secret not in cleaned
    assert "***" in cleaned


def test_redact_keeps_urls_without_credentials() -> None:
    text = "GET http://127.0.0.1:9200/careers/_search took 12 ms"
    assert redact(text) == text


def test_json_formatter_redacts_messages_and_tracebacks() -> None:
    try:
        raise ConnectionError("could not reach postgresql://careers:tb-SECRET@db:5432/careers")
    except ConnectionError:
        import sys

        record = logging.LogRecord(
            "search_api",
            logging.ERROR,
            __file__,
            1,
            "failed on %s",
            ("redis://:m-SECRET@r:1",),
            sys.exc_info(),
        )
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "search_api"
    assert "Traceback" in entry["exc"]
    assert "SECRET" not in line


def test_settings_repr_hides_credentials() -> None:
    from search_api.core.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url="postgresql+psycopg://careers:db-SECRET@db:5432/careers",
        redis_url="redis://:redis-SECRET@cache:6379/0",
        jwt_secret="jwt-SECRET",
        admin_api_key="key-SECRET",
    )
    shown = repr(settings) + str(settings)
    assert "SECRET" not in shown
    assert "db:5432/careers" in shown
    # The values themselves are untouched.
    assert settings.database_url.endswith(":db-SECRET@db:5432/careers")


def test_a_settings_error_does_not_quote_the_inputs() -> None:
    """Pydantic quotes the whole input of a model-level error (every URL with its password)
    unless told not to; that text is what a refused start prints."""
    from pydantic import ValidationError

    from search_api.core.settings import Settings

    with pytest.raises(ValidationError) as caught:
        Settings(
            _env_file=None,
            environment="production",
            admin_api_key="a-real-key",
            database_url="postgresql+psycopg://careers:db-P4ss-91x@db:5432/careers",
        )
    text = str(caught.value)
    assert "CC_JWT_SECRET" in text
    assert "must be set outside development" in text
    assert "input_value" not in text
    assert "db-P4ss-91x" not in text
