"""What the load benchmarks share: percentiles, a private uvicorn, and an aiohttp client.

The generators run on aiohttp rather than httpx: with hundreds of concurrent requests
httpx.AsyncClient spends most of the measured time in its own pool (encode/httpx#3215); on this
machine the server's access log showed search p95 0.7 s while the httpx generator measured 23 s
for the same requests. aiohttp is already installed as opensearch-py's async transport.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
import httpx

ROOT = Path(__file__).resolve().parents[1]
# What a request can fail with before an HTTP status exists.
TRANSPORT_ERRORS = (aiohttp.ClientError, TimeoutError)


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values so an empty level never reads as fast."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, proc: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the API exited with {proc.returncode} before it was healthy")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code in (200, 206):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    proc.kill()
    raise SystemExit(f"the API did not become healthy within {seconds:.0f} s")


def start_api(
    env: Mapping[str, str], *, source: Path = ROOT, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn on a free 127.0.0.1 port with `env` over the current environment, healthy."""
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "search_api.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(source), **env}
    # Request lines go to /dev/null: the generator's terminal is not part of the node.
    proc = subprocess.Popen(command, cwd=source, env=full_env, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc)
    return proc, url


def stop_api(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@dataclass(frozen=True)
class Answer:
    status: int
    headers: Mapping[str, str]  # names in lower case
    body: Any  # the parsed JSON, or None when the body was not JSON

    def json_dict(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}


class LoadClient:
    """One aiohttp session for a whole level: `connections` keep-alive connections at most."""

    def __init__(self, url: str, connections: int, timeout: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.connections = connections
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> LoadClient:
        connector = aiohttp.TCPConnector(limit=self.connections, limit_per_host=self.connections)
        self._session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=self.timeout)
        )
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._session is not None:
            await self._session.close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        assert self._session is not None, "use LoadClient in `async with`"
        query = {k: str(v) for k, v in (params or {}).items()}
        async with self._session.request(
            method, self.url + path, params=query, json=json, headers=headers
        ) as response:
            raw = await response.read()
            try:
                body = await response.json(content_type=None) if raw else None
            except ValueError:
                body = None
            headers = {name.lower(): value for name, value in response.headers.items()}
            return Answer(response.status, headers, body)

    async def get(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> Answer:
        return await self.request("POST", path, **kwargs)
