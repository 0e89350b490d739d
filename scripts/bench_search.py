"""Search speed in one run: raw OpenSearch BM25, the API uncached and cached, 16 clients.

Usage: python scripts/bench_search.py [--url http://127.0.0.1:8000] [--seconds 20]

Without --url it starts its own uvicorn (one worker, as `make run` does) on a free port, using
the current settings (the live `careers` alias). Queries are the judged queries of
tests/relevance/judgments.yaml (453 distinct today), so the mix covers names, typos,
abbreviations, phrases, Hindi and constraint phrases. The 16-client runs use the aiohttp
generator of scripts/loadgen.py.

Targets (issue 5): uncached API p50 <= 4x the raw BM25 query; cached p50 <= the raw BM25 query;
no errors at 16 concurrent clients. Prints numbers and PASS/FAIL; timings are not tests.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loadgen import TRANSPORT_ERRORS, LoadClient, percentile, start_api, stop_api

from search_api.core.opensearch import make_client
from search_api.core.settings import Settings, get_settings
from search_api.search.evaluation import load_judgments
from search_api.search.facets import Filters
from search_api.search.query import bm25_leg
from search_api.search.service import standalone_search_service
from search_api.search.suggest import Vocabulary

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
NO_CACHE = {"Cache-Control": "no-cache"}


def line(name: str, samples: Sequence[float]) -> str:
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    return f"  {name:<34} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   (n={len(samples)})"


async def load_test(
    url: str, queries: Sequence[str], clients: int, seconds: float, cached: bool
) -> tuple[int, int, list[float]]:
    """-> (requests, errors, latencies)."""
    stop_at = time.perf_counter() + seconds
    latencies: list[float] = []
    errors = 0
    headers = {} if cached else NO_CACHE

    async def worker(client: LoadClient, offset: int) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < stop_at:
            q = queries[i % len(queries)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(
                    "/api/v1/careers/search", params={"q": q}, headers=headers
                )
                meta = response.json_dict().get("meta") or {}
                if response.status != 200 or meta.get("degraded"):
                    errors += 1
            except TRANSPORT_ERRORS:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    async with LoadClient(url, clients, timeout=10) as client:
        await asyncio.gather(*(worker(client, n * 7) for n in range(clients)))
    return len(latencies), errors, latencies


async def catalogue_vocabulary(settings: Settings) -> Vocabulary:
    """The words the catalogue uses: the API's BM25 leg is fuzzy only for the others."""
    async with standalone_search_service(settings) as service:
        return Vocabulary(await service.catalogue.vocabulary_texts())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="an API that is already running")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each load phase")
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()

    settings = get_settings()
    queries = [j.query for j in load_judgments(JUDGMENTS)]
    client = make_client(settings.opensearch_url)
    index = sorted(client.indices.get_alias(name=settings.opensearch_alias))[-1]
    docs = client.count(index=index)["count"]
    print(f"index {index} ({docs} docs), {len(queries)} distinct queries, {os.cpu_count()} CPUs")

    proc = None
    url = args.url
    if url is None:
        # 16 clients from one IP: limits high enough to measure speed, not the limiter's refusals
        proc, url = start_api({"CC_RATE_LIMIT_ANONYMOUS": str(10**9)})
    try:
        # --- raw OpenSearch: the same BM25 leg the API sends, straight to the node -------------
        empty = Filters({})
        known = asyncio.run(catalogue_vocabulary(settings)).known
        for q in queries:  # warm the node's caches and the HTTP connection
            client.search(index=index, body=bm25_leg(q, empty, 50, known=known))
        raw_full: list[float] = []
        raw_plain: list[float] = []
        for _ in range(3):
            for q in queries:
                started = time.perf_counter()
                client.search(index=index, body=bm25_leg(q, empty, 50, known=known))
                raw_full.append((time.perf_counter() - started) * 1000)
                started = time.perf_counter()
                client.search(
                    index=index,
                    body={
                        "size": 10,
                        "query": {
                            "multi_match": {
                                "query": q,
                                "fields": ["name^5", "aliases^5", "skills^2", "description"],
                            }
                        },
                    },
                )
                raw_plain.append((time.perf_counter() - started) * 1000)

        http = httpx.Client(base_url=url, timeout=10)

        def get(q: str, headers: dict[str, str]) -> None:
            response = http.get("/api/v1/careers/search", params={"q": q}, headers=headers)
            response.raise_for_status()

        # --- API, response cache bypassed ----------------------------------------------------
        cold: list[float] = []  # first time each query is seen: the query embedding is computed
        for q in queries:
            started = time.perf_counter()
            get(q, NO_CACHE)
            cold.append((time.perf_counter() - started) * 1000)
        uncached: list[float] = []
        for _ in range(3):
            for q in queries:
                started = time.perf_counter()
                get(q, NO_CACHE)
                uncached.append((time.perf_counter() - started) * 1000)

        # --- API, answered from Redis ----------------------------------------------------------
        for q in queries:
            get(q, {})
        cached: list[float] = []
        for _ in range(3):
            for q in queries:
                started = time.perf_counter()
                get(q, {})
                cached.append((time.perf_counter() - started) * 1000)
        http.close()

        print("\nLatency (single client, keep-alive)")
        print(line("raw OpenSearch BM25 leg (API's)", raw_full))
        print(line("raw OpenSearch plain multi_match", raw_plain))
        print(line("API uncached, query embedding new", cold))
        print(line("API uncached", uncached))
        print(line("API cached", cached))

        print(f"\nThroughput, {args.clients} concurrent clients, {args.seconds:.0f} s each")
        results = {}
        for label, use_cache in (("uncached", False), ("cached", True)):
            n, errors, lat = asyncio.run(
                load_test(url, queries, args.clients, args.seconds, use_cache)
            )
            results[label] = errors
            print(
                f"  {label:<9} {n / args.seconds:7.1f} req/s   errors {errors}   "
                f"p50 {percentile(lat, 50):.1f} ms   p95 {percentile(lat, 95):.1f} ms"
            )

        raw50 = percentile(raw_full, 50)
        checks = [
            (
                "uncached API p50 <= 4x raw BM25",
                percentile(uncached, 50) <= 4 * raw50,
                f"{percentile(uncached, 50):.2f} <= {4 * raw50:.2f}",
            ),
            (
                "cached API p50 <= raw BM25",
                percentile(cached, 50) <= raw50,
                f"{percentile(cached, 50):.2f} <= {raw50:.2f}",
            ),
            (
                f"no errors at {args.clients} clients",
                sum(results.values()) == 0,
                f"{sum(results.values())} errors",
            ),
        ]
        print("\nTargets")
        for name, ok, detail in checks:
            print(f"  {'PASS' if ok else 'FAIL'}  {name}  ({detail})")
    finally:
        client.close()
        if proc is not None:
            stop_api(proc)


if __name__ == "__main__":
    main()
