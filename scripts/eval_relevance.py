"""Relevance of BM25 only, dense only and the fused hybrid on the judged queries.

Usage: python scripts/eval_relevance.py [--alias careers] [--grid] [--misses]

Runs every query in tests/relevance/judgments.yaml through the real search service against
the live index (no response cache) and prints hit@1, hit@5, MRR and NDCG@10 per query kind.
--grid also sweeps the fusion method, weights and the dense similarity threshold.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Sequence
from pathlib import Path

from search_api.core.settings import get_settings
from search_api.search.evaluation import KINDS, Judgment, Scores, evaluate, load_judgments
from search_api.search.schemas import SearchParams
from search_api.search.service import (
    DEFAULT_FUSION,
    FusionConfig,
    Mode,
    SearchService,
    standalone_search_service,
)

JUDGMENTS = Path(__file__).resolve().parent.parent / "tests" / "relevance" / "judgments.yaml"

COLUMNS = ("hit@1", "hit@5", "MRR", "NDCG@10")


def table(title: str, scores: dict[str, Scores]) -> str:
    lines = [f"\n{title}", f"  {'kind':<13}{'n':>4}  " + "  ".join(f"{c:>7}" for c in COLUMNS)]
    for kind in (*KINDS, "overall"):
        if kind not in scores:
            continue
        mean = scores[kind].mean()
        lines.append(
            f"  {kind:<13}{scores[kind].queries:>4}  "
            + "  ".join(f"{mean[c]:>7.3f}" for c in COLUMNS)
        )
    return "\n".join(lines)


async def run(
    judgments: Sequence[Judgment], service: SearchService, mode: Mode, fusion: FusionConfig
) -> tuple[dict[str, Scores], dict[str, list[str]]]:
    service.fusion = fusion

    async def rank(query: str) -> list[str]:
        outcome = await service.search(SearchParams(q=query, size=10), use_cache=False, mode=mode)
        return [r.id for r in outcome.data.results]

    return await evaluate(judgments, rank)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--alias", help="index alias to evaluate (default: settings)")
    parser.add_argument("--grid", action="store_true", help="sweep fusion settings")
    parser.add_argument("--misses", action="store_true", help="list queries missed in the top 5")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="judged queries (YAML)")
    args = parser.parse_args()

    settings = get_settings()
    if args.alias:
        settings = settings.model_copy(update={"opensearch_alias": args.alias})
    judgments = load_judgments(args.judgments)
    async with standalone_search_service(settings) as service:
        service.embedder.load()
        print(f"{len(judgments)} judged queries, index behind alias {settings.opensearch_alias!r}")
        runs: list[tuple[str, Mode, FusionConfig]] = [
            ("BM25 only", "bm25", DEFAULT_FUSION),
            ("dense only", "dense", DEFAULT_FUSION),
            (f"hybrid (shipped: {DEFAULT_FUSION})", "hybrid", DEFAULT_FUSION),
            (
                "hybrid, RRF k=60",
                "hybrid",
                FusionConfig(method="rrf", min_cosine=DEFAULT_FUSION.min_cosine),
            ),
        ]
        for title, mode, fusion in runs:
            started = time.perf_counter()
            scores, misses = await run(judgments, service, mode, fusion)
            print(table(f"{title}  ({time.perf_counter() - started:.1f} s)", scores))
            if args.misses:
                for kind, queries in misses.items():
                    print(f"    missed {kind}: {queries}")
        if args.grid:
            print("\nGrid (overall hit@5 / MRR / NDCG@10, typo hit@5, interest hit@5):")
            for method in ("weighted", "rrf"):
                for bm25_weight in (0.3, 0.4, 0.5, 0.6, 0.7):
                    for min_cosine in (0.1, 0.15, 0.2, 0.25, 0.3):
                        fusion = FusionConfig(
                            method=method,
                            bm25_weight=bm25_weight,
                            dense_weight=round(1 - bm25_weight, 2),
                            min_cosine=min_cosine,
                        )
                        scores, _ = await run(judgments, service, "hybrid", fusion)
                        o = scores["overall"].mean()
                        t = scores["typo"].mean()
                        i = scores["interest"].mean()
                        print(
                            f"  {method:<8} bm25={bm25_weight:.1f} cos>={min_cosine:.2f}  "
                            f"{o['hit@5']:.3f} / {o['MRR']:.3f} / {o['NDCG@10']:.3f}   "
                            f"typo {t['hit@5']:.3f}  interest {i['hit@5']:.3f}"
                        )


if __name__ == "__main__":
    asyncio.run(main())
