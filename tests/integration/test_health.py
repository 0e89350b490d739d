"""/health reports each dependency and answers quickly even when one hangs."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from search_api.core.settings import Settings
from search_api.main import create_app
from tests.fixtures.api import with_lifespan_state
from tests.fixtures.services import closed_port


@pytest.fixture
def hanging_port() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


async def _get_health(settings: Settings) -> tuple[httpx.Response, float]:
    app = create_app(settings)
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=with_lifespan_state(app, dict(state or {})))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            started = time.perf_counter()
            response = await client.get("/health")
            return response, time.perf_counter() - started


async def test_healthy(base_settings: Settings) -> None:
    response, elapsed = await _get_health(base_settings)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["data"]["status"] == "healthy"
    assert {d["status"] for d in body["data"]["dependencies"].values()} == {"up"}
    assert body["meta"]["requestId"] == response.headers["x-request-id"]
    assert elapsed < 2.0


async def test_redis_down_is_degraded(base_settings: Settings) -> None:
    settings = base_settings.model_copy(
        update={"redis_url": f"redis://127.0.0.1:{closed_port()}/0"}
    )
    response, elapsed = await _get_health(settings)
    assert response.status_code == 206
    body = response.json()
    assert body["data"]["status"] == "degraded"
    assert body["data"]["dependencies"]["redis"]["status"] == "down"
    assert elapsed < 2.0


async def test_opensearch_down_is_unhealthy(base_settings: Settings) -> None:
    settings = base_settings.model_copy(
        update={"opensearch_url": f"http://127.0.0.1:{closed_port()}"}
    )
    response, elapsed = await _get_health(settings)
    assert response.status_code == 503
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "DEPENDENCY_UNAVAILABLE"
    assert body["error"]["details"]["dependencies"]["opensearch"]["status"] == "down"
    assert body["error"]["details"]["dependencies"]["postgres"]["status"] == "up"
    assert elapsed < 2.0


async def test_hanging_dependency_answers_within_two_seconds(
    base_settings: Settings, hanging_port: int
) -> None:
    settings = base_settings.model_copy(
        update={
            "opensearch_url": f"http://127.0.0.1:{hanging_port}",
            "redis_url": f"redis://127.0.0.1:{hanging_port}/0",
        }
    )
    response, elapsed = await _get_health(settings)
    assert response.status_code == 503
    deps = response.json()["error"]["details"]["dependencies"]
    assert deps["opensearch"]["status"] == "down"
    assert deps["redis"]["status"] == "down"
    assert elapsed < 2.0
