"""How many students one API node holds: ramp simulated students until p95 >= 2 s or errors.

Usage: python scripts/bench_capacity.py [--url http://127.0.0.1:8000] [--workers 2]
           [--levels 50,100,200,400,800] [--duration 60] [--think 10]

Each student repeats: think (uniform 0.5x-1.5x --think seconds, so one action per ~10 s), then
one action, weighted like a browsing session: search (judged queries, a third with a typo
typed into them, half with a stream or category facet, some on page 2), a career's detail page,
a comparison of 2-3 careers, recommendations for a random profile, and the search box's
suggestions. Chat is included only if the OpenAPI lists a chat or agent route. Every student
sends its own X-Forwarded-For, so the rate limiter buckets students as it would behind a proxy
(uvicorn trusts the header from 127.0.0.1 only).

Per level: students start spread over one think time (the ramp, not measured), then every
action started in the next --duration seconds is measured. A level "holds" with p95 < 2 s and
no errors (non-2xx, transport errors, or answers marked meta.degraded, i.e. a fallback
because OpenSearch was too slow). The run stops after the first level that does not hold, and
prints the largest level that did. The generator runs on the same machine as the API and
takes CPU from it, so the figure is a lower bound for the node. 127.0.0.1 only.

Without --url it starts its own uvicorn with --workers N (default: the CPU count) and
PROMETHEUS_MULTIPROC_DIR in a fresh temporary directory, on the current settings.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import TRANSPORT_ERRORS, Answer, LoadClient, percentile, start_api, stop_api

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
P95_TARGET_S = 2.0
STREAMS = ["PCM", "PCB", "PCMB", "Commerce", "Humanities"]
INTERESTS = [
    "R", "I", "A", "S", "E", "C", "animals", "biology", "helping people", "computers",
    "drawing", "money", "law", "teaching", "travel", "sports", "music", "machines", "plants",
    "writing", "numbers", "research", "design", "business",
]  # fmt: skip
SKILLS = ["Mathematics", "Communication", "Problem solving", "Teamwork", "Drawing", "Biology"]
AGENT_SESSION = "/api/v1/agent/session"
AGENT_CHAT = "/api/v1/agent/chat"
# Relative weights of the actions (chat joins with CHAT_WEIGHT when the API has it).
WEIGHTS = {"search": 45, "detail": 25, "compare": 8, "recommend": 12, "suggest": 10}
CHAT_WEIGHT = 5


def with_typo(text: str, rng: random.Random) -> str:
    """One slip of the finger in a word of 4+ letters: a swap, a drop or a doubled letter."""
    words = text.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        w = w[:j] + w[j + 1 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


@dataclass
class Catalogue:
    queries: list[str]
    career_ids: list[str]
    categories: list[str]
    chat_path: str | None


@dataclass
class LevelStats:
    students: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    degraded: int = 0
    started: int = 0

    def all_latencies(self) -> list[float]:
        return [x for values in self.latencies.values() for x in values]


def fetch_catalogue(url: str) -> Catalogue:
    with httpx.Client(base_url=url, timeout=30) as http:
        ids: list[str] = []
        page = 1
        while True:
            body = http.get("/api/v1/careers", params={"page": page, "size": 100}).json()
            items = body["data"]["results"]
            ids += [item["id"] for item in items]
            if len(items) < 100:
                break
            page += 1
        listed = http.get("/api/v1/categories").json()["data"]["categories"]
        categories = [c["name"] for c in listed]
        paths = http.get("/openapi.json").json()["paths"]
    chat = AGENT_CHAT if AGENT_CHAT in paths and AGENT_SESSION in paths else None
    raw = yaml.safe_load(JUDGMENTS.read_text())
    entries = raw["queries"] if isinstance(raw, dict) else raw
    queries = sorted({str(entry["query"]) for entry in entries})
    return Catalogue(queries, ids, categories, chat)


class Student:
    def __init__(self, n: int, http: LoadClient, cat: Catalogue, think: float) -> None:
        self.rng = random.Random(n)
        self.http = http
        self.cat = cat
        self.think = think
        # a private address per student: the anonymous rate limit is per client IP
        self.headers = {"X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}
        weights = dict(WEIGHTS)
        if cat.chat_path:
            weights["chat"] = CHAT_WEIGHT
        self.session_id: str | None = None
        self.actions = list(weights)
        self.weights = list(weights.values())

    def query(self) -> str:
        q = self.rng.choice(self.cat.queries)
        return with_typo(q, self.rng) if self.rng.random() < 1 / 3 else q

    def request(self, action: str) -> Awaitable[Answer]:
        rng, get = self.rng, self.http.get
        if action == "search":
            params: dict[str, Any] = {"q": self.query()}
            if rng.random() < 0.25:
                params["stream"] = rng.choice(STREAMS)
            elif rng.random() < 0.33:
                params["category"] = rng.choice(self.cat.categories)
            if rng.random() < 0.15:
                params["page"] = 2
            return get("/api/v1/careers/search", params=params, headers=self.headers)
        if action == "detail":
            career = rng.choice(self.cat.career_ids)
            return get(f"/api/v1/careers/{career}", headers=self.headers)
        if action == "compare":
            ids = rng.sample(self.cat.career_ids, rng.choice((2, 3)))
            return get(
                "/api/v1/careers/compare", params={"ids": ",".join(ids)}, headers=self.headers
            )
        if action == "suggest":
            prefix = self.query()[: rng.randint(2, 6)]
            return get("/api/v1/careers/suggest", params={"q": prefix}, headers=self.headers)
        if action == "recommend":
            profile = {
                "grade": rng.choice((11, 12)),
                "stream": rng.choice(STREAMS),
                "interests": rng.sample(INTERESTS, rng.randint(1, 4)),
                "skills": rng.sample(SKILLS, rng.randint(0, 3)),
            }
            return self.http.post("/api/v1/recommendations", json=profile, headers=self.headers)
        return self.chat()

    async def chat(self) -> Answer:
        # One conversation per student, opened on its first chat turn (that request is timed too).
        if self.session_id is None:
            opened = await self.http.post(AGENT_SESSION, json={}, headers=self.headers)
            if opened.status not in (200, 201):
                return opened
            self.session_id = opened.json_dict()["data"]["session_id"]
        body = {
            "session_id": self.session_id,
            "message": f"What can I do after 12th if I like {self.query()}?",
        }
        return await self.http.post(AGENT_CHAT, json=body, headers=self.headers)

    async def run(self, stats: LevelStats, measure_from: float, stop_at: float) -> None:
        # First action anywhere in one think time: the level ramps up instead of stampeding.
        await asyncio.sleep(self.rng.uniform(0, self.think))
        while time.perf_counter() < stop_at:
            action = self.rng.choices(self.actions, self.weights)[0]
            started = time.perf_counter()
            measured = started >= measure_from
            try:
                response = await self.request(action)
                elapsed = time.perf_counter() - started
                if response.status >= 400:
                    problem: str | None = f"{action} HTTP {response.status}"
                elif response.body is None:
                    problem = f"{action} not JSON"
                elif (response.json_dict().get("meta") or {}).get("degraded"):
                    problem = f"{action} degraded"
                else:
                    problem = None
            except (*TRANSPORT_ERRORS, KeyError) as exc:
                elapsed = time.perf_counter() - started
                problem = f"{action} {type(exc).__name__}"
            if measured:
                stats.started += 1
                stats.latencies[action].append(elapsed)
                if problem:
                    stats.errors[problem] += 1
                    if problem.endswith("degraded"):
                        stats.degraded += 1
            await asyncio.sleep(self.rng.uniform(0.5 * self.think, 1.5 * self.think))


async def run_level(
    url: str, cat: Catalogue, students: int, duration: float, think: float, connections: int
) -> LevelStats:
    stats = LevelStats(students)
    # The total timeout includes the wait for a free connection, as a browser's would.
    async with LoadClient(url, connections, timeout=60.0) as http:
        now = time.perf_counter()
        measure_from = now + think
        stop_at = measure_from + duration
        crowd = [Student(n, http, cat, think) for n in range(students)]
        await asyncio.gather(*(s.run(stats, measure_from, stop_at) for s in crowd))
    return stats


def report(stats: LevelStats, duration: float) -> bool:
    lat = stats.all_latencies()
    errors = sum(stats.errors.values())
    p50, p95, p99 = (percentile(lat, p) * 1000 for p in (50, 95, 99))
    holds = bool(lat) and errors == 0 and p95 < P95_TARGET_S * 1000
    print(
        f"{stats.students:>8} {len(lat) / duration:9.1f} {p50:9.0f} {p95:9.0f} {p99:9.0f} "
        f"{errors:>7}  {'holds' if holds else 'FAILS'}",
        flush=True,
    )
    per_action = "  ".join(
        f"{a} n={len(v)} p95={percentile(v, 95) * 1000:.0f}"
        for a, v in sorted(stats.latencies.items())
    )
    print(f"{'':>8}   {per_action}", flush=True)
    if stats.errors:
        print(f"{'':>8}   errors: {dict(stats.errors.most_common(6))}", flush=True)
    return holds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="an API already running on 127.0.0.1")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--levels", default="50,100,200,400,800,1600")
    parser.add_argument("--duration", type=float, default=60.0, help="measured seconds per level")
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between actions")
    parser.add_argument("--connections", type=int, default=256, help="client connection pool")
    parser.add_argument("--keep-going", action="store_true", help="run every level")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",") if x.strip()]
    if args.url and urlsplit(args.url).hostname not in LOCAL_HOSTS:
        raise SystemExit(f"bench_capacity: {args.url}: only 127.0.0.1 may be loaded")
    if args.duration <= 0 or args.duration > 600 or any(n < 1 or n > 50_000 for n in levels):
        raise SystemExit("bench_capacity: --duration 1..600 s and levels 1..50000 students")

    proc = metrics_dir = None
    url = args.url
    if url is None:
        # Metrics from several workers need a shared directory (prometheus-client multiprocess).
        metrics_dir = tempfile.mkdtemp(prefix="cc-bench-prom-")
        proc, url = start_api({"PROMETHEUS_MULTIPROC_DIR": metrics_dir}, workers=args.workers)
    try:
        cat = fetch_catalogue(url)
        workers = "external" if args.url else f"{args.workers} worker(s)"
        print(
            f"API {url} ({workers}), {os.cpu_count()} CPUs shared with the generator; "
            f"{len(cat.career_ids)} careers, {len(cat.queries)} queries; think {args.think:.0f} s; "
            f"chat: {cat.chat_path or 'no such route'}; {args.duration:.0f} s per level",
            flush=True,
        )
        print(
            f"{'students':>8} {'req/s':>9} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9} {'errors':>7}"
        )
        best = 0
        for students in levels:
            stats = asyncio.run(
                run_level(url, cat, students, args.duration, args.think, args.connections)
            )
            if report(stats, args.duration):
                best = max(best, students)
            elif not args.keep_going:
                break
        print(f"\nlargest level held (p95 < {P95_TARGET_S:.0f} s, 0 errors): {best} students")
    finally:
        if proc is not None:
            stop_api(proc)
        if metrics_dir:
            shutil.rmtree(metrics_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
