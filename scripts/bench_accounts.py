"""What accounts cost search: auth + rate limits on a cached search, and personalisation on an
uncached one.

Usage: python scripts/bench_accounts.py [--rounds 5]

Starts two APIs (uvicorn, one worker each, as `make run`) on free ports against a private
schema (catalogue loaded, dropped at the end) and the live `careers` index:
  A  rate limits off               (the baseline: no Redis round trip for limits)
  B  rate limits on, high limits   (so nothing is refused while measuring)
Requests alternate between the APIs query by query, so a busy moment on the machine hits
both alike. The queries are the 144 judged queries of tests/relevance/judgments.yaml.
Two processes differ by more than a millisecond on their own, so the cost of each step is
also timed in this process: one limiter round trip, one bearer token check (signature,
claims and the revocation MGET), one API key check (remembered after the first lookup).

Targets (issue 10): auth + rate limit add <= 1 ms p50 to a cached search; personalised
uncached search p50 <= 1.3x unpersonalised. Prints numbers and PASS/FAIL; not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from loadgen import free_port, percentile
from private_schema import private_schema
from sqlalchemy import text
from starlette.requests import Request

from search_api.core.cache import make_redis
from search_api.core.crypto import sha256_hex
from search_api.core.db import make_async_engine, make_sessionmaker, make_sync_engine
from search_api.core.ratelimit import RateLimiter
from search_api.core.settings import Settings, get_settings
from search_api.search.evaluation import PERSONA_INTERESTS, load_judgments
from search_api.users.authenticator import Revocations
from search_api.users.service import AccountKit
from search_api.users.tokens import new_api_key

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
NO_CACHE = {"Cache-Control": "no-cache"}
HIGH = str(10**9)


@contextmanager
def api(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "search_api.main:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1", **env},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 180
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code in (200, 206):
                    break
            except httpx.HTTPError:
                pass
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("an API did not become healthy within 180 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def timed(client: httpx.Client, params: dict[str, Any], headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get("/api/v1/careers/search", params=params, headers=headers)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200 or response.json()["meta"].get("degraded"):
        raise SystemExit(f"search failed: {response.status_code} {response.text[:200]}")
    return elapsed


def line(name: str, samples: Sequence[float]) -> str:
    return (
        f"  {name:<44} p50 {percentile(samples, 50):7.2f} ms   "
        f"p95 {percentile(samples, 95):7.2f} ms   (n={len(samples)})"
    )


def request_with(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


async def step_costs(settings: Settings, token: str, key: str, n: int = 2000) -> dict[str, float]:
    """p50 in ms of each per-request step, in this process."""
    redis = make_redis(settings.redis_url, settings.dependency_timeout_seconds)
    engine = make_async_engine(settings.database_url)
    try:
        limiter = RateLimiter(
            redis,
            settings.model_copy(
                update={"rate_limit_anonymous": 10**9, "rate_limit_prefix": "cc:bench:rl:"}
            ),
        )
        kit = AccountKit.build(
            settings,
            make_sessionmaker(engine),
            Revocations(redis, settings.access_token_minutes * 60),
        )
        steps: dict[str, Callable[[], Awaitable[object]]] = {
            "rate limit (one GCRA round trip)": lambda: limiter.hit("anonymous", "ip:bench"),
            "bearer token (JWT + revocation MGET)": lambda: kit.authenticator.authenticate(
                request_with({"Authorization": f"Bearer {token}"})
            ),
            "API key (remembered)": lambda: kit.authenticator.authenticate(
                request_with({"X-API-Key": key})
            ),
        }
        costs = {}
        for name, step in steps.items():
            await step()
            samples = []
            for _ in range(n):
                started = time.perf_counter()
                await step()
                samples.append((time.perf_counter() - started) * 1000)
            costs[name] = percentile(samples, 50)
        await redis.delete("cc:bench:rl:ip:bench")
        return costs
    finally:
        await redis.aclose()
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=5, help="passes over the 144 queries")
    args = parser.parse_args()
    settings = get_settings()
    queries = [j.query for j in load_judgments(JUDGMENTS)]

    with private_schema(settings.database_url) as url:
        subprocess.run(
            [sys.executable, "-m", "indexer.cli", "load"],
            cwd=ROOT,
            env={**os.environ, "CC_DATABASE_URL": url},
            check=True,
            stdout=subprocess.DEVNULL,
        )
        key, prefix = new_api_key()
        engine = make_sync_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO api_keys (id, name, prefix, key_hash, scopes) VALUES "
                    "(gen_random_uuid(), 'bench', :p, :h, '[\"read\"]'::jsonb)"
                ),
                {"p": prefix, "h": sha256_hex(key)},
            )
        engine.dispose()
        common = {
            "CC_DATABASE_URL": url,
            "CC_RATE_LIMIT_ANONYMOUS": HIGH,
            "CC_RATE_LIMIT_STUDENT": HIGH,
            "CC_RATE_LIMIT_API_KEY": HIGH,
        }
        with (
            api({**common, "CC_RATE_LIMIT_ENABLED": "false"}) as url_a,
            api({**common, "CC_RATE_LIMIT_ENABLED": "true"}) as url_b,
        ):
            a = httpx.Client(base_url=url_a, timeout=10)
            b = httpx.Client(base_url=url_b, timeout=10)
            email = f"bench-{os.getpid()}@example.in"
            password = "Kites&Rivers-2031"
            b.post(
                "/api/v1/users/register",
                json={"email": email, "password": password, "display_name": "Bench"},
            ).raise_for_status()
            token = b.post(
                "/api/v1/auth/token", data={"username": email, "password": password}
            ).json()["access_token"]
            student = {"Authorization": f"Bearer {token}"}
            profile = {"grade": 12, "stream": "PCM", "interests": PERSONA_INTERESTS["PCM"]}
            b.put("/api/v1/users/profile", json=profile, headers=student).raise_for_status()
            keyed = {"X-API-Key": key}
            print(f"{len(queries)} queries x {args.rounds} rounds; {os.cpu_count()} CPUs")

            # ---- cached search: what auth and limits add -----------------------------------
            plain_student = {**student}
            for q in queries:  # fill the response cache (shared Redis: same keys for A and B)
                timed(a, {"q": q}, {})
                timed(b, {"q": q, "personalise": "false"}, plain_student)
            cached: dict[str, list[float]] = {
                "A: anonymous, limits off": [],
                "B: anonymous, limits on": [],
                "B: API key, limits on": [],
                "B: student token (personalise=false), limits on": [],
            }
            for _ in range(args.rounds):
                for q in queries:
                    params = {"q": q}
                    cached["A: anonymous, limits off"].append(timed(a, params, {}))
                    cached["B: anonymous, limits on"].append(timed(b, params, {}))
                    cached["B: API key, limits on"].append(timed(b, params, keyed))
                    cached["B: student token (personalise=false), limits on"].append(
                        timed(b, {**params, "personalise": "false"}, plain_student)
                    )

            # ---- uncached search: what personalisation adds --------------------------------
            inline = {"profile_stream": "PCM", "profile_interest": PERSONA_INTERESTS["PCM"]}
            for q in queries:  # query and profile embeddings into the in-process LRU
                timed(b, {"q": q}, NO_CACHE)
                timed(b, {"q": q, **inline}, NO_CACHE)
            uncached: dict[str, list[float]] = {
                "unpersonalised (anonymous)": [],
                "personalised, inline profile (anonymous)": [],
                "personalised, saved profile (student token)": [],
            }
            for _ in range(args.rounds):
                for q in queries:
                    uncached["unpersonalised (anonymous)"].append(timed(b, {"q": q}, NO_CACHE))
                    uncached["personalised, inline profile (anonymous)"].append(
                        timed(b, {"q": q, **inline}, NO_CACHE)
                    )
                    uncached["personalised, saved profile (student token)"].append(
                        timed(b, {"q": q}, {**NO_CACHE, **student})
                    )
            a.close()
            b.close()
        costs = asyncio.run(
            step_costs(settings.model_copy(update={"database_url": url}), token, key)
        )

    print("\nCached search (answered from Redis), single client, keep-alive")
    for name, samples in cached.items():
        print(line(name, samples))
    print("\nUncached search (Cache-Control: no-cache), API B")
    for name, samples in uncached.items():
        print(line(name, samples))

    print("\nPer-request steps, timed in this process (p50 of 2,000)")
    for name, cost in costs.items():
        print(f"  {name:<44} {cost:7.3f} ms")
    student_cost = (
        costs["rate limit (one GCRA round trip)"] + costs["bearer token (JWT + revocation MGET)"]
    )
    print(f"  {'a student request: token + limit':<44} {student_cost:7.3f} ms")

    base = percentile(cached["A: anonymous, limits off"], 50)
    worst_auth = max(percentile(s, 50) for n, s in cached.items() if n.startswith("B:")) - base
    plain = percentile(uncached["unpersonalised (anonymous)"], 50)
    personal = max(percentile(s, 50) for n, s in uncached.items() if n.startswith("personalised"))
    checks = [
        (
            "auth + rate limit add <= 1 ms p50 to a cached search",
            worst_auth <= 1.0,
            f"+{worst_auth:.2f} ms over {base:.2f} ms",
        ),
        (
            "personalised uncached p50 <= 1.3x unpersonalised",
            personal <= 1.3 * plain,
            f"{personal:.2f} ms vs {plain:.2f} ms = {personal / plain:.2f}x",
        ),
    ]
    print("\nTargets")
    for name, ok, detail in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {name}  ({detail})")


if __name__ == "__main__":
    main()
