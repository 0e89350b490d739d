"""Time query understanding over the judged queries, and print its extraction accuracy.

Usage: python scripts/bench_understanding.py [--rounds 20]

Builds the lexicon from data/ (the YAML files, no services), then reads every query in
tests/relevance/judgments.yaml `rounds` times and prints p50/p95/max per query, the lexicon
build time, and how often the judged constraint phrases' `understood` blocks are matched
exactly on the tune and the test half.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path
from typing import Any

import yaml

from search_api.search.evaluation import load_judgments, understanding_accuracy
from search_api.search.transliteration import clear_caches
from search_api.search.understanding import Lexicon, understand

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"


def rows(folder: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    careers, exams = rows("careers"), rows("exams")
    categories = [
        c["name"]
        for c in yaml.safe_load((ROOT / "data" / "categories.yaml").read_text(encoding="utf-8"))
    ]
    started = time.perf_counter()
    lexicon = Lexicon.build(careers, exams, categories)
    build_ms = (time.perf_counter() - started) * 1000
    judgments = load_judgments(JUDGMENTS)
    queries = [j.query for j in judgments]
    for query in queries:  # warm the per-word caches, as a running server has them
        understand(query, lexicon)
    timings: list[float] = []
    for _ in range(args.rounds):
        for query in queries:
            t0 = time.perf_counter()
            understand(query, lexicon)
            timings.append((time.perf_counter() - t0) * 1000)
    print(f"lexicon: {len(careers)} careers, {len(exams)} exams, built in {build_ms:.0f} ms")
    print(
        f"{len(queries)} queries x {args.rounds} rounds: "
        f"p50 {statistics.median(timings):.3f} ms, p95 {percentile(timings, 0.95):.3f} ms, "
        f"max {max(timings):.3f} ms"
    )
    # A fresh lexicon and fresh word caches: every query read for the first time, as an
    # uncached search sees a query it has not met before.
    cold = Lexicon.build(careers, exams, categories)
    clear_caches()
    # A long-lived lexicon holds many small objects; move them out of the collector's way as
    # a server would after building it (gc.freeze), so a full collection does not land on a
    # query. Without this, the slowest first reads are collector pauses of 10-30 ms.
    gc.collect()
    gc.freeze()
    first: list[tuple[float, str]] = []
    for query in queries:
        t0 = time.perf_counter()
        understand(query, cold)
        first.append(((time.perf_counter() - t0) * 1000, query))
    cold_ms = [t for t, _ in first]
    print(
        f"first read of each query: p50 {statistics.median(cold_ms):.3f} ms, "
        f"p95 {percentile(cold_ms, 0.95):.3f} ms; slowest "
        + ", ".join(f"{q!r} {t:.2f} ms" for t, q in sorted(first, reverse=True)[:3])
    )
    for split in ("tune", "test"):
        accuracy, n, misses = understanding_accuracy(
            load_judgments(JUDGMENTS, split=split), lambda q: understand(q, lexicon).summary()
        )
        print(f"understood exactly, {split} half: {accuracy:.3f} ({n - len(misses)}/{n})")
        for query, differences in misses:
            print(f"  miss {query!r}: {'; '.join(differences)}")


if __name__ == "__main__":
    main()
