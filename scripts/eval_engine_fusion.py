"""Engine-side hybrid fusion (the neural-search plugin) against the product's Python fusion.

Usage: python scripts/eval_engine_fusion.py --url http://127.0.0.1:9220 [--alias careers]

Needs an OpenSearch node with the opensearch-neural-search 2.19.1.0 plugin (the stock node
started by scripts/services does not load it; see the issue note for how the comparison node
was assembled) holding the same careers index as the product's. For every judged query it
ranks the catalogue three ways and prints hit@1, hit@5, MRR per split, and latency:

- product: SearchService.search (BM25 leg + radial k-NN leg in one _msearch, fused in Python
  with min-max against the cosine floor, weights from FusionConfig);
- engine min-max: one `hybrid` query (the same two legs) through a normalization-processor
  search pipeline (min_max, arithmetic_mean with the same weights);
- engine RRF: the same query through a score-ranker-processor pipeline (rrf, k = 60).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from search_api.core.settings import get_settings
from search_api.search.evaluation import SPLITS, Judgment, Scores, evaluate, load_judgments
from search_api.search.facets import Filters
from search_api.search.query import SOURCE_EXCLUDES, knn_query, text_query
from search_api.search.schemas import SearchParams
from search_api.search.service import DEFAULT_FUSION, standalone_search_service

JUDGMENTS = Path(__file__).resolve().parent.parent / "tests" / "relevance" / "judgments.yaml"
PIPELINES: dict[str, dict[str, Any]] = {
    "cc-eval-minmax": {
        "phase_results_processors": [
            {
                "normalization-processor": {
                    "normalization": {"technique": "min_max"},
                    "combination": {
                        "technique": "arithmetic_mean",
                        "parameters": {
                            "weights": [DEFAULT_FUSION.bm25_weight, DEFAULT_FUSION.dense_weight]
                        },
                    },
                }
            }
        ]
    },
    "cc-eval-rrf": {
        "phase_results_processors": [
            {"score-ranker-processor": {"combination": {"technique": "rrf", "rank_constant": 60}}}
        ]
    },
}
Ranker = Callable[[str], Awaitable[list[str]]]


def hybrid_body(q: str, vector: list[float], size: int = 10) -> dict[str, Any]:
    return {
        "size": size,
        "_source": {"excludes": SOURCE_EXCLUDES},
        "query": {
            "hybrid": {
                "queries": [text_query(q), knn_query(vector, DEFAULT_FUSION.min_score, Filters({}))]
            }
        },
    }


def table(name: str, scores: dict[str, Scores], latencies: Sequence[float]) -> str:
    o = scores["overall"].mean()
    p50 = statistics.median(latencies) if latencies else 0.0
    return (
        f"  {name:<16} hit@1 {o['hit@1']:.3f}  hit@5 {o['hit@5']:.3f}  MRR {o['MRR']:.3f}  "
        f"p50 {p50:6.2f} ms  (n={scores['overall'].queries})"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", required=True, help="a node with the neural-search plugin")
    parser.add_argument("--alias", default="careers")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS)
    args = parser.parse_args()

    settings = get_settings().model_copy(
        update={"opensearch_url": args.url, "opensearch_alias": args.alias}
    )
    judgments: list[Judgment] = load_judgments(args.judgments)
    http = httpx.AsyncClient(base_url=args.url, timeout=30)
    for name, body in PIPELINES.items():
        (await http.put(f"/_search/pipeline/{name}", json=body)).raise_for_status()

    async with standalone_search_service(settings) as service:
        service.embedder.load()
        latencies: dict[str, list[float]] = {}

        def timed(name: str, rank: Ranker) -> Ranker:
            async def wrapped(q: str) -> list[str]:
                started = time.perf_counter()
                ids = await rank(q)
                latencies.setdefault(name, []).append((time.perf_counter() - started) * 1000)
                return ids

            return wrapped

        async def product(q: str) -> list[str]:
            outcome = await service.search(SearchParams(q=q, size=10), use_cache=False)
            return [r.id for r in outcome.data.results]

        def engine(pipeline: str) -> Ranker:
            async def rank(q: str) -> list[str]:
                vector = await service.embedder.aencode_query(q)
                response = await http.post(
                    f"/{args.alias}/_search",
                    params={"search_pipeline": pipeline},
                    json=hybrid_body(q, vector),
                )
                response.raise_for_status()
                return [h["_id"] for h in response.json()["hits"]["hits"]]

            return rank

        rankers: dict[str, Ranker] = {
            "product": product,
            "engine min-max": engine("cc-eval-minmax"),
            "engine RRF": engine("cc-eval-rrf"),
        }
        for rank in rankers.values():  # warm the query-vector cache and the node
            await evaluate(judgments[:20], rank)
        for split in SPLITS:
            subset = [j for j in judgments if j.split == split]
            print(f"\n{split} half ({len(subset)} queries)")
            for name, rank in rankers.items():
                latencies.pop(name, None)
                scores, _ = await evaluate(subset, timed(name, rank))
                print(table(name, scores, latencies[name]))
    for name in PIPELINES:
        await http.delete(f"/_search/pipeline/{name}")
    await http.aclose()


if __name__ == "__main__":
    asyncio.run(main())
