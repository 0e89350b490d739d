"""The API under a mixed load at 16 / 64 / 256 clients: latency, throughput, server errors and
load shedding (issue 9).

Usage: python scripts/bench_faults.py [--source DIR] [--levels 16,64,256] [--seconds 20]
                                     [--warmup 10] [--ignore-retry-after]

It starts its own uvicorn (one worker, as `make run` does) on 127.0.0.1 from --source (default:
this checkout; pass a checkout of another commit to measure it the same way) against the
current settings' OpenSearch alias and PostgreSQL, with rate limits off (every client is
127.0.0.1) and the response cache in a PRIVATE Redis (--redis-url, default 127.0.0.1:6390,
which it flushes before each level; start one with `CC_REDIS_PORT=6390 CC_SERVICES_DATA=.data/
faults scripts/services start redis`). The shared Redis is never flushed.

The mix: 61% search (judged queries, varied page and filters), 25% career details, 14%
recommendations (varied profiles). Each level runs for --seconds, at most --max-requests.
Targets: no server error other than a shed 503 at 256 clients, shed 503s fast and with
Retry-After, p95 < 2 s at 64 clients. Prints numbers; timings are not tests.

A client told 503 + Retry-After waits that long (times a random 0.5-1.5, so the clients do not
come back together) before its next request, as a well-behaved client or load balancer does;
--ignore-retry-after makes them retry at once, the worst case for the server. A --warmup run
at the first level, not reported, fills the embedder's and the engine's caches first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import TRANSPORT_ERRORS, LoadClient, percentile, start_api, stop_api

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
SHARED_REDIS_PORTS = {"6380"}
STREAMS = ["PCM", "PCB", "PCMB", "Commerce", "Humanities"]
INTERESTS = [
    "coding",
    "biology",
    "helping people",
    "building",
    "design",
    "money",
    "law",
    "teaching",
    "music",
    "sports",
    "writing",
    "animals",
    "space",
    "machines",
]
SKILLS = ["Mathematics", "Communication", "Drawing", "Problem solving", "Teamwork", "Research"]
CATEGORY_FILTERS: list[dict[str, str]] = [
    {},
    {},
    {"work_life_balance": "good"},
    {"stream": "PCM"},
    {"job_outlook": "growing"},
]


def judged_queries() -> list[str]:
    import yaml

    loaded = yaml.safe_load(JUDGMENTS.read_text(encoding="utf-8"))
    items = loaded["queries"] if isinstance(loaded, dict) else loaded
    return [str(item["query"]) for item in items]


@dataclass
class Level:
    clients: int
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    shed: int = 0
    shed_latencies: list[float] = field(default_factory=list)
    shed_without_retry_after: int = 0
    transport_errors: Counter[str] = field(default_factory=Counter)
    degraded: int = 0
    seconds: float = 0.0


async def run_level(
    url: str,
    clients: int,
    seconds: float,
    max_requests: int,
    queries: Sequence[str],
    career_ids: Sequence[str],
    seed: int,
    honour_retry_after: bool = True,
) -> Level:
    level = Level(clients)
    rng = random.Random(seed)
    stop_at = time.perf_counter() + seconds
    sent = 0

    def next_request() -> tuple[str, str, dict[str, Any]]:
        roll = rng.random()
        if roll < 0.61:
            params: dict[str, Any] = {"q": rng.choice(queries), "page": rng.choice([1, 1, 1, 2])}
            params.update(rng.choice(CATEGORY_FILTERS))
            return "GET", "/api/v1/careers/search", {"params": params}
        if roll < 0.86:
            return "GET", f"/api/v1/careers/{rng.choice(career_ids)}", {}
        profile = {
            "grade": rng.choice([11, 12]),
            "stream": rng.choice(STREAMS),
            "interests": rng.sample(INTERESTS, rng.randint(1, 3)),
            "skills": rng.sample(SKILLS, rng.randint(0, 2)),
        }
        return "POST", "/api/v1/recommendations", {"json": profile}

    async with LoadClient(url, clients) as client:

        async def worker() -> None:
            nonlocal sent
            while time.perf_counter() < stop_at and sent < max_requests:
                sent += 1
                method, path, kwargs = next_request()
                started = time.perf_counter()
                try:
                    response = await client.request(method, path, **kwargs)
                except TRANSPORT_ERRORS as exc:
                    level.transport_errors[type(exc).__name__] += 1
                    continue
                elapsed = time.perf_counter() - started
                level.statuses[response.status] += 1
                body = response.json_dict()
                error = body.get("error") if isinstance(body.get("error"), dict) else None
                if response.status == 503 and error and error["code"] == "SERVICE_OVERLOADED":
                    level.shed += 1
                    level.shed_latencies.append(elapsed)
                    retry_after = response.headers.get("retry-after")
                    if retry_after is None:
                        level.shed_without_retry_after += 1
                    elif honour_retry_after:
                        await asyncio.sleep(float(retry_after) * rng.uniform(0.5, 1.5))
                    continue
                if (body.get("meta") or {}).get("degraded"):
                    level.degraded += 1
                level.latencies.append(elapsed)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        level.seconds = time.perf_counter() - started
    return level


def report(level: Level) -> None:
    answered = sum(level.statuses.values())
    server_errors = {s: n for s, n in sorted(level.statuses.items()) if s >= 500}
    unshed = dict(server_errors)
    if level.shed:
        unshed[503] = unshed.get(503, 0) - level.shed
        unshed = {s: n for s, n in unshed.items() if n}
    print(
        f"{level.clients:>4} clients: {answered} responses in {level.seconds:.1f} s "
        f"({answered / level.seconds:.0f}/s; served {len(level.latencies) / level.seconds:.0f}/s)"
    )
    print(
        f"      served p50 {percentile(level.latencies, 50) * 1000:7.0f} ms   "
        f"p95 {percentile(level.latencies, 95) * 1000:7.0f} ms   (n={len(level.latencies)}, "
        f"degraded {level.degraded})"
    )
    print(
        f"      5xx by status {server_errors or '{}'}; server errors other than shedding: "
        f"{sum(unshed.values())} {unshed or ''}"
    )
    print(
        f"      shed 503: {level.shed} (p95 {percentile(level.shed_latencies, 95) * 1000:.0f} ms, "
        f"without Retry-After {level.shed_without_retry_after}); "
        f"transport errors {dict(level.transport_errors) or 0}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout to serve")
    parser.add_argument("--levels", default="16,64,256")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each level")
    parser.add_argument("--max-requests", type=int, default=20_000, help="cap per level")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6390/0")
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds of unreported load first (0: none)"
    )
    parser.add_argument(
        "--ignore-retry-after",
        action="store_true",
        help="clients retry a shed request at once instead of waiting Retry-After",
    )
    args = parser.parse_args()
    if args.redis_url.rsplit(":", 1)[-1].split("/")[0] in SHARED_REDIS_PORTS:
        raise SystemExit("refusing to flush the shared Redis: pass a private --redis-url")
    cache = redis.Redis.from_url(args.redis_url)
    cache.ping()

    queries = judged_queries()
    env = {"CC_RATE_LIMIT_ENABLED": "false", "CC_REDIS_URL": args.redis_url}
    proc, url = start_api(env, source=args.source.resolve())
    try:
        listing = httpx.get(f"{url}/api/v1/careers", params={"size": 100}, timeout=30).json()
        career_ids = [c["id"] for c in listing["data"]["results"]]
        print(
            f"source {args.source}: {len(queries)} queries, {len(career_ids)} career ids, "
            f"{os.cpu_count()} CPUs, {args.seconds:.0f} s per level, "
            f"{'ignoring' if args.ignore_retry_after else 'honouring'} Retry-After"
        )
        levels = [int(c) for c in args.levels.split(",")]
        honour = not args.ignore_retry_after
        if args.warmup > 0:
            asyncio.run(
                run_level(url, levels[0], args.warmup, args.max_requests, queries, career_ids, -1)
            )
        for n, clients in enumerate(levels):
            cache.flushdb()
            level = asyncio.run(
                run_level(
                    url, clients, args.seconds, args.max_requests, queries, career_ids, n, honour
                )
            )
            report(level)
    finally:
        stop_api(proc)


if __name__ == "__main__":
    main()
