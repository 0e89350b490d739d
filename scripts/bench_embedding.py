"""Time the embedding model: one query at a time per runtime, and batches of career texts.

Usage: python scripts/bench_embedding.py [--queries 200]

No services. Encodes the judged queries of tests/relevance/judgments.yaml one at a time in
ONNX Runtime (1 and 2 threads) and in torch (fp32, and bf16 autocast where the CPU has native
bf16), then the careers of data/ in batches of 16 as the indexer does, and prints p50/p95 per
query, texts/s per batch run, and the lowest cosine between each runtime's query vectors and
torch fp32's. search_api/core/embeddings.py says which runtime does what, from these numbers.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import yaml

from search_api.core.embeddings import Embedder, bf16_supported
from search_api.search.documents import embedding_text
from search_api.search.evaluation import load_judgments

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"


def timed(encode: Callable[[list[str]], list[list[float]]], queries: Sequence[str]) -> list[float]:
    for q in queries[:10]:  # first calls allocate; not measured
        encode([q])
    ms: list[float] = []
    for q in queries:
        started = time.perf_counter()
        encode([q])
        ms.append((time.perf_counter() - started) * 1000)
    return ms


def career_texts() -> list[str]:
    texts: list[str] = []
    for path in sorted((ROOT / "data" / "careers").glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            fields = {"aliases": [], "skills": [], "interests": [], "description": "", **row}
            texts.append(embedding_text(SimpleNamespace(**fields)))
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=int, default=200, help="judged queries timed")
    args = parser.parse_args()
    import torch

    queries = list(dict.fromkeys(j.query for j in load_judgments(JUDGMENTS)))[: args.queries]
    reference = Embedder(query_runtime="torch", bf16=False)
    torch.set_num_threads(1)
    expected = np.asarray(reference.encode(queries), dtype=np.float32)

    runs: list[tuple[str, Embedder, int]] = [
        ("onnx, 1 thread", Embedder(threads=1), 1),
        ("onnx, 2 threads", Embedder(threads=2), 2),
        ("torch fp32, 1 thread", reference, 1),
    ]
    if bf16_supported():
        runs.append(("torch bf16, 1 thread", Embedder(query_runtime="torch", bf16=True), 1))
    print(f"one query at a time, {len(queries)} judged queries")
    for label, embedder, threads in runs:
        torch.set_num_threads(threads)
        embedder.load(queries=True)
        if embedder.query_runtime == "onnx" and embedder.runtime != "onnx":
            print(f"  {label:<22} no ONNX model (see the log): skipped")
            continue
        ms = timed(embedder.encode_short, queries)
        got = np.asarray(embedder.encode_short(queries), dtype=np.float32)
        cosine = float((got * expected).sum(axis=1).min())
        p95 = statistics.quantiles(ms, n=20)[18]
        print(
            f"  {label:<22} p50 {statistics.median(ms):6.2f} ms   p95 {p95:6.2f}"
            f" ms   lowest cosine to torch fp32 {cosine:.7f}"
        )

    texts = career_texts()
    print(f"career texts in batches of 16, {len(texts)} careers (the indexer encodes in torch)")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        batches = [texts[i : i + 16] for i in range(0, len(texts), 16)]
        for label, encode in (
            ("torch", Embedder(query_runtime="torch").encode),
            ("onnx", Embedder(threads=threads).encode_short),
        ):
            started = time.perf_counter()
            for batch in batches:
                encode(batch)
            rate = len(texts) / (time.perf_counter() - started)
            print(f"  {label}, {threads} thread(s)        {rate:6.0f} texts/s")


if __name__ == "__main__":
    main()
