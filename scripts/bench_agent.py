"""Agent turn latency on the deterministic path: p50/p95 of POST /api/v1/agent/chat.

Usage: python scripts/bench_agent.py [--turns 120] [--seconds 120]

Runs the app in-process (its lifespan, the real OpenSearch behind the live `careers` alias,
Redis) on a private PostgreSQL schema loaded from data/, so nothing is written where
`make run` serves. Every request sends Cache-Control: no-cache, so search and recommendation
answers are computed, not read from the response cache. The first turn (which builds the
catalogue lexicon) is a warm-up and not counted. No LLM (CC_OPENAI_API_KEY is cleared).

Messages: the judged chat messages (tests/unit/agent_messages.yaml), each in a fresh
conversation, then follow-ups in one conversation. Prints p50/p95 overall and per intent,
the grounding violations the check caught, and PASS/FAIL against p50 <= 150 ms and
p95 <= 400 ms. Timings are not tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import httpx
import yaml
from loadgen import percentile
from private_schema import private_schema
from starlette.types import ASGIApp, Receive, Scope, Send

from search_api.core.metrics import AGENT_GROUNDING_VIOLATIONS
from search_api.core.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "tests" / "unit" / "agent_messages.yaml"
NO_CACHE = {"Cache-Control": "no-cache"}
FOLLOW_UPS = [
    "tell me about software engineer",
    "what about its salary?",
    "compare software engineer and data scientist",
    "how much do they earn",
    "I am in class 12 PCM, suggest careers",
    "compare the first two",
    "make a plan for it",
]


def with_lifespan_state(app: ASGIApp, state: dict[str, Any]) -> ASGIApp:
    """What an ASGI server does with lifespan state: a copy in every request's scope."""

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = {**scope, "state": dict(state)}
        await app(scope, receive, send)

    return wrapped


async def run(turns: int, seconds: float) -> int:
    from indexer.loader import load_catalogue
    from search_api.core.db import make_async_engine, make_sessionmaker
    from search_api.main import create_app

    base = get_settings()
    with private_schema(base.database_url, prefix="bench_agent") as url:
        engine = make_async_engine(url)
        await load_catalogue(make_sessionmaker(engine), ROOT / "data")
        await engine.dispose()
        settings = base.model_copy(
            update={
                "database_url": url,
                "openai_api_key": "",
                "rate_limit_anonymous": 10**9,
                "data_dir": str(ROOT / "data"),
            }
        )
        app = create_app(settings)
        async with app.router.lifespan_context(app) as state:
            transport = httpx.ASGITransport(app=with_lifespan_state(app, dict(state or {})))
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as api:

                async def session() -> str:
                    r = await api.post("/api/v1/agent/session")
                    return str(r.json()["data"]["session_id"])

                async def say(sid: str, message: str) -> tuple[float, str]:
                    started = time.perf_counter()
                    r = await api.post(
                        "/api/v1/agent/chat",
                        json={"session_id": sid, "message": message},
                        headers=NO_CACHE,
                    )
                    elapsed = (time.perf_counter() - started) * 1000
                    if r.status_code != 200:
                        raise RuntimeError(f"{message!r}: HTTP {r.status_code} {r.text[:200]}")
                    return elapsed, str(r.json()["data"]["intent"])

                await say(await session(), "tell me about doctor")  # warm-up: the lexicon
                before = AGENT_GROUNDING_VIOLATIONS._value.get()
                messages = [m["text"] for m in yaml.safe_load(JUDGED.read_text())["messages"]]
                samples: list[float] = []
                by_intent: dict[str, list[float]] = defaultdict(list)
                deadline = time.monotonic() + seconds
                plan: list[tuple[bool, str]] = [(True, m) for m in messages]
                plan += [(i == 0, m) for i, m in enumerate(FOLLOW_UPS)]
                sid = ""
                while len(samples) < turns and time.monotonic() < deadline:
                    for fresh, message in plan:
                        if len(samples) >= turns or time.monotonic() >= deadline:
                            break
                        if fresh or not sid:
                            sid = await session()
                        ms, intent = await say(sid, message)
                        samples.append(ms)
                        by_intent[intent].append(ms)
                caught = AGENT_GROUNDING_VIOLATIONS._value.get() - before
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    print(f"agent turns (deterministic, uncached): n={len(samples)}")
    print(f"  all                 p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    for intent, values in sorted(by_intent.items()):
        print(
            f"  {intent:<19} p50 {percentile(values, 50):7.1f} ms   "
            f"p95 {percentile(values, 95):7.1f} ms   (n={len(values)})"
        )
    print(f"grounding violations caught: {caught:.0f}")
    ok = p50 <= 150 and p95 <= 400
    print(f"{'PASS' if ok else 'FAIL'}: target p50 <= 150 ms, p95 <= 400 ms")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=120)
    parser.add_argument("--seconds", type=float, default=120.0)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sys.exit(asyncio.run(run(min(args.turns, 500), min(args.seconds, 600.0))))


if __name__ == "__main__":
    main()
