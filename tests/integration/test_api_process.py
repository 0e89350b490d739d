"""The API as it really runs: uvicorn in its own process.

- Logs: with every dependency unreachable behind URLs that carry distinctive passwords, and
  DEBUG logging, requests fail (503) and the sync worker gives up, yet no password appears
  anywhere in what either process writes; the request lines are there, as JSON.
- Metrics: with two workers and PROMETHEUS_MULTIPROC_DIR, any worker's /metrics reports the
  requests both workers served.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.fixtures.metrics import value
from tests.fixtures.server import live_server
from tests.fixtures.services import ROOT, closed_port

DB_SECRET = "Pg-S3cret-7f3a9c"
OPENSEARCH_SECRET = "Os-S3cret-1b2c4d"
REDIS_SECRET = "Rd-S3cret-9d8e6f"
SECRETS = (DB_SECRET, OPENSEARCH_SECRET, REDIS_SECRET)


@contextmanager
def uvicorn(env: dict[str, str], log: Path, workers: int = 1) -> Iterator[str]:
    # uvicorn's own log level: these tests read everything the server writes
    with live_server({"CC_PRELOAD_EMBEDDER": "false", **env}, log, workers, log_level=None) as base:
        yield base


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for line in text.splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_no_password_reaches_the_logs_when_dependencies_fail(tmp_path: Path) -> None:
    env = {
        "CC_DATABASE_URL": (
            f"postgresql+psycopg://careers:{DB_SECRET}@127.0.0.1:{closed_port()}/careers"
        ),
        "CC_OPENSEARCH_URL": f"http://admin:{OPENSEARCH_SECRET}@127.0.0.1:{closed_port()}",
        "CC_REDIS_URL": f"redis://:{REDIS_SECRET}@127.0.0.1:{closed_port()}/0",
        "CC_LOG_LEVEL": "DEBUG",
        "CC_SYNC_POLL_SECONDS": "0.5",
    }
    log = tmp_path / "api.log"
    with uvicorn(env, log) as base, httpx.Client(base_url=base, timeout=30) as client:
        statuses = {
            "health": client.get("/health").status_code,
            "detail": client.get("/api/v1/careers/doctor-mbbs").status_code,
            "search": client.get("/api/v1/careers/search", params={"q": "doctor"}).status_code,
            "recommend": client.post(
                "/api/v1/recommendations",
                json={"grade": 12, "stream": "PCB", "interests": ["biology"]},
            ).status_code,
            "admin": client.delete(
                "/api/v1/careers/doctor-mbbs", headers={"X-API-Key": "dev-admin-key"}
            ).status_code,
            "metrics": client.get("/metrics").status_code,
        }
    # The sync worker, as `make run` starts it beside the API, with the same settings.
    worker = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "sync", "--follow"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert worker.returncode == 2, worker.stderr
    assert "PostgreSQL is unreachable at postgresql+psycopg://careers:***@" in worker.stderr
    output = log.read_text() + worker.stdout + worker.stderr

    assert statuses["metrics"] == 200
    assert statuses["health"] == 503
    assert statuses["detail"] == statuses["search"] == 503
    # not a key of the product's format: refused before any lookup, and never logged
    assert statuses["admin"] == 401
    for secret in SECRETS:
        assert secret not in output, (
            f"{secret} leaked: ...{output[output.find(secret) - 200 :][:400]}"
        )

    # Not vacuous: the failures were logged, as JSON, with tracebacks.
    lines = json_lines(output)
    access = [line for line in lines if line["logger"] == "search_api.access"]
    assert {"/health", "/api/v1/careers/{career_id}", "/api/v1/careers/search"} <= {
        line["route"] for line in access
    }
    assert all(line["request_id"] and line["duration_ms"] >= 0 for line in access)
    assert any(line["status"] == 503 for line in access)
    assert any(
        "database unavailable" in line["message"] and "OperationalError" in line["message"]
        for line in lines
    ), "the database failure was not logged"
    assert any(line["logger"].startswith("uvicorn") for line in lines)


def test_the_cli_does_not_print_the_password(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CC_DATABASE_URL": (
            f"postgresql+psycopg://careers:{DB_SECRET}@127.0.0.1:{closed_port()}/careers"
        ),
    }
    result = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "status"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert "PostgreSQL is unreachable" in result.stderr
    assert DB_SECRET not in result.stdout + result.stderr


def test_workers_share_their_metrics(tmp_path: Path) -> None:
    metrics_dir = tmp_path / "prometheus"
    metrics_dir.mkdir()
    env = {"PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    requests = 40
    with uvicorn(env, tmp_path / "api.log", workers=2) as base:
        for _ in range(requests):
            # A new connection each time, so the kernel spreads them over both workers.
            assert httpx.get(f"{base}/no-such-page", timeout=10).status_code == 404
        counts = [
            value(httpx.get(f"{base}/metrics", timeout=10).text, "cc_http_requests_total",
                  route="unmatched", status="404")
            for _ in range(6)
        ]  # fmt: skip
        served_by = {path.name.split("_")[-1] for path in metrics_dir.glob("counter_*.db")}
    # Whichever worker answered the scrape, it counted both workers' requests.
    assert counts == [requests] * len(counts)
    assert len(served_by) >= 2, f"one worker served everything: {served_by}"


def test_a_refused_start_does_not_print_the_password(tmp_path: Path) -> None:
    """Production with the development JWT secret: the settings refuse, the traceback is
    printed by uvicorn before our logging exists, and must still not quote the URL."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "CC_ENVIRONMENT": "production",
        "CC_ADMIN_API_KEY": "a-real-admin-key",
        "CC_DATABASE_URL": f"postgresql+psycopg://careers:{DB_SECRET}@db:5432/careers",
    }
    env.pop("CC_JWT_SECRET", None)
    result = subprocess.run(
        [sys.executable, "-m", "uvicorn", "search_api.main:create_app", "--factory",
         "--port", str(closed_port())],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "CC_JWT_SECRET" in output
    assert "must be set outside development" in output
    assert DB_SECRET not in output
