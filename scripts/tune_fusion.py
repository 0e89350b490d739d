"""Fusion tuning on both judged sets: collect each leg's raw hits once, then sweep offline.

Usage: python scripts/tune_fusion.py collect --set 335|scale --alias A [--database-url U]
       python scripts/tune_fusion.py sweep

`collect` runs every judged query's BM25 leg variants and dense leg (top 50, scores kept)
against a live index and writes them to .data/fusion/<set>.json. `sweep` reads both files and
chooses, per query shape (search.fusion.query_shape), the BM25 weight with the best tune-half
MRR over both sets, then prints tune and test figures for the choice. No service call is
needed for a sweep, so a grid over both sets takes seconds instead of an hour.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_api.core.settings import Settings, get_settings
from search_api.search.evaluation import Judgment, Scores, load_judgments, score_ranking
from search_api.search.facets import Filters
from search_api.search.fusion import QueryShape, query_shape, weighted_sum
from search_api.search.query import bm25_leg, dense_leg, plausible_text_query
from search_api.search.service import DEFAULT_FUSION, standalone_search_service

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".data" / "fusion"
JUDGMENTS = ROOT / "tests" / "relevance" / "judgments.yaml"
SIZE = 50
WIDE = 1000
NONE = Filters({}, None, None)
LEGS: dict[str, Callable[[str, QueryShape], dict[str, Any]]] = {
    "before": lambda q, shape: bm25_leg(q, NONE, SIZE),
    "shaped": lambda q, shape: bm25_leg(q, NONE, SIZE, shape),
    "plain": lambda q, shape: {
        "size": SIZE,
        "query": {
            "multi_match": {"query": q, "fields": ["name^3", "description"], "fuzziness": "AUTO"}
        },
    },
}
LEG = "shaped"


def scale_judgments() -> list[Judgment]:
    import build_scale_catalogue as scale

    return [
        Judgment(r["query"], r["kind"], tuple(r["relevant"]), r["split"])
        for r in scale.read_judgments()
    ]


async def collect(name: str, settings: Settings, split: str | None, limit: int | None) -> None:
    judgments = load_judgments(JUDGMENTS) if name == "335" else scale_judgments()
    judgments = [j for j in judgments if split is None or j.split == split]
    if limit:
        per_kind: dict[str, int] = defaultdict(int)
        kept = []
        for j in judgments:
            per_kind[j.kind] += 1
            if per_kind[j.kind] <= limit:
                kept.append(j)
        judgments = kept
    rows: list[dict[str, Any]] = []
    async with standalone_search_service(settings) as service:
        service.embedder.load()
        index = await service.index.live_index()
        vocabulary = await service.memo.vocabulary(index, service.catalogue)
        for n, j in enumerate(judgments, 1):
            vector = await service.embedder.aencode_query(j.query)
            shape = query_shape(j.query, vocabulary)
            bodies = [
                dense_leg(vector, DEFAULT_FUSION.min_score, NONE, WIDE),
                *(leg(j.query, shape) for leg in LEGS.values()),
                # which careers the counting rule counts: ids only, many of them
                {"size": WIDE, "query": plausible_text_query(j.query, shape)},
            ]
            for body in bodies:
                body.pop("highlight", None)
                body["_source"] = False
                body["track_total_hits"] = True
                body["size"] = WIDE
            found = await service.index.client.msearch(
                body=[line for body in bodies for line in ({"index": index}, body)]
            )
            hits = [
                [[h["_id"], h["_score"]] for h in r["hits"]["hits"]] for r in found["responses"]
            ]
            totals = [r["hits"]["total"]["value"] for r in found["responses"]]
            dense, *legs, strict = hits
            rows.append(
                {
                    "query": j.query,
                    "kind": j.kind,
                    "split": j.split,
                    "relevant": list(j.relevant),
                    "shape": shape,
                    "legs": {name: found[:SIZE] for name, found in zip(LEGS, legs, strict=True)},
                    "before_ids": [i for i, _ in legs[0]],
                    "before_total": totals[1],
                    "dense": [[i, 2 * s - 1] for i, s in dense],
                    "strict": [i for i, _ in strict],
                    "strict_total": totals[-1],
                }
            )
            if n % 50 == 0:
                print(f"  {n}/{len(judgments)}", file=sys.stderr)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{name}.json").write_text(json.dumps(rows), encoding="utf-8")
    print(f"{len(rows)} queries written to {OUT / (name + '.json')}")


THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
WEIGHTS = tuple(round(x * 0.05, 2) for x in range(21))
Row = dict[str, Any]


def rank(
    row: Row, weight: float, mode: str, threshold: float, restrict: bool, leg: str = ""
) -> list[str]:
    """The product's fusion over the collected legs. restrict: the BM25 leg keeps only what
    the counting rule counts, and the dense leg only neighbours at or above threshold."""
    bm25 = [(i, s) for i, s in row["legs"][leg or LEG]] if mode != "dense" else []
    if restrict:
        strict = set(row["strict"])
        bm25 = [(i, s) for i, s in bm25 if i in strict]
    radius = threshold if restrict else DEFAULT_FUSION.min_cosine
    dense = [(i, s) for i, s in row["dense"] if s >= radius][:SIZE] if mode != "bm25" else []
    floor = DEFAULT_FUSION.min_cosine
    fused = weighted_sum(bm25, dense, weight, round(1 - weight, 6), floor)
    return [f.id for f in fused[:10]]


def score(
    rows: Sequence[Row],
    weights: dict[str, float],
    mode: str,
    threshold: float,
    restrict: bool,
    leg: str = "",
) -> Scores:
    total = Scores()
    for row in rows:
        j = Judgment(row["query"], row["kind"], tuple(row["relevant"]))
        weight = weights.get(row["shape"], 0.6)
        total.add(score_ranking(j, rank(row, weight, mode, threshold, restrict, leg)))
    return total


def counted(row: Row, threshold: float | None) -> tuple[int, float, bool]:
    """-> (careers counted, share of them judged relevant, best answer counted).
    threshold None: the counting before (any BM25 clause, or cosine >= 0.2)."""
    if threshold is None:
        ids = set(row["before_ids"]) | {i for i, _ in row["dense"]}
        extra = max(0, row["before_total"] - len(row["before_ids"]))
    else:
        ids = set(row["strict"]) | {i for i, s in row["dense"] if s >= threshold}
        extra = max(0, row["strict_total"] - len(row["strict"]))
    n = len(ids) + extra
    relevant = set(row["relevant"])
    precision = len(relevant & ids) / n if n else 1.0
    return n, precision, row["relevant"][0] in ids


def count_figures(rows: Sequence[Row], threshold: float | None) -> str:
    figures = [counted(r, threshold) for r in rows]
    n = len(figures) or 1
    median = statistics.median(f[0] for f in figures) if figures else 0
    precision = sum(f[1] for f in figures) / n
    recall = sum(f[2] for f in figures) / n
    return f"median {median:>6.0f}  precision {precision:.3f}  best answer counted {recall:.3f}"


def choose_weights(
    sets: dict[str, list[Row]], threshold: float, restrict: bool
) -> dict[str, float]:
    """Per shape, the BM25 weight with the best tune-half MRR, each set counting equally
    whatever its size: neither set may be traded for the other."""
    chosen: dict[str, float] = {}
    shapes = sorted({r["shape"] for rows in sets.values() for r in rows})
    for shape in shapes:
        tune = [
            [r for r in rows if r["split"] == "tune" and r["shape"] == shape]
            for rows in sets.values()
        ]
        best: tuple[float, float] | None = None
        for w in WEIGHTS:
            mrr = sum(
                score(rows, {shape: w}, "hybrid", threshold, restrict).mean()["MRR"]
                for rows in tune
                if rows
            )
            if best is None or mrr > best[0] + 1e-9:
                best = (mrr, w)
        assert best is not None
        chosen[shape] = best[1]
    return chosen


def report(
    sets: dict[str, list[Row]], chosen: dict[str, float], threshold: float, restrict: bool
) -> None:
    for name, rows in sets.items():
        for split in ("tune", "test"):
            half = [r for r in rows if r["split"] == split]
            by_kind: dict[str, list[Row]] = defaultdict(list)
            for r in half:
                by_kind[r["kind"]].append(r)
            print(
                f"\n{name} {split}: kind, n, hit@5 then MRR for: before (old leg, 0.6) | "
                "now | its BM25 leg | its dense leg | plain BM25"
            )
            for kind, items in [*sorted(by_kind.items()), ("all", half)]:
                figures = [
                    score(items, {}, "hybrid", 0.2, False, "before").mean(),
                    score(items, chosen, "hybrid", threshold, restrict).mean(),
                    score(items, {}, "bm25", threshold, restrict).mean(),
                    score(items, {}, "dense", threshold, restrict).mean(),
                    score(items, {}, "bm25", threshold, False, "plain").mean(),
                ]
                h5 = " ".join(f"{f['hit@5']:.3f}" for f in figures)
                mrr = " ".join(f"{f['MRR']:.3f}" for f in figures)
                print(f"  {kind:<17}{len(items):>4}  {h5}   {mrr}")
            print(f"  counted before: {count_figures(half, None)}")
            print(f"  counted now:    {count_figures(half, threshold)}")


def sweep(restrict: bool, threshold: float | None) -> None:
    sets = {
        name: json.loads((OUT / f"{name}.json").read_text())
        for name in ("335", "scale")
        if (OUT / f"{name}.json").exists()
    }
    print(f"sets: {', '.join(f'{k} ({len(v)} queries)' for k, v in sets.items())}")
    print(f"BM25 leg {LEG!r}; restricted to the counted set: {restrict}")
    print("threshold: tune MRR per set (adaptive weights), tune counting per set")
    for t in THRESHOLDS if threshold is None else (threshold,):
        chosen = choose_weights(sets, t, restrict)
        cells = []
        for name, rows in sets.items():
            tune = [r for r in rows if r["split"] == "tune"]
            mrr = score(tune, chosen, "hybrid", t, restrict).mean()
            cells.append(
                f"{name}: hit@5 {mrr['hit@5']:.3f} MRR {mrr['MRR']:.3f} {count_figures(tune, t)}"
            )
        print(f"  {t:.2f}  " + "\n        ".join(cells))
        if threshold is not None:
            print(f"\nchosen weights: {chosen}")
            report(sets, chosen, t, restrict)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=("collect", "sweep"))
    parser.add_argument("--set", choices=("335", "scale"), default="335")
    parser.add_argument("--alias")
    parser.add_argument("--database-url")
    parser.add_argument("--split", choices=("tune", "test"), help="collect only this half")
    parser.add_argument("--limit", type=int, help="collect at most N queries per kind")
    parser.add_argument("--restrict", action="store_true", help="legs keep only counted careers")
    parser.add_argument("--threshold", type=float, help="one dense threshold, with full tables")
    parser.add_argument("--leg", choices=tuple(LEGS), default="shaped", help="BM25 leg to sweep")
    args = parser.parse_args()
    if args.command == "sweep":
        global LEG
        LEG = args.leg
        sweep(args.restrict, args.threshold)
        return
    update: dict[str, Any] = {"search_timeout_seconds": 30.0}
    if args.alias:
        update["opensearch_alias"] = args.alias
    if args.database_url:
        update["database_url"] = args.database_url
    settings = get_settings().model_copy(update=update)
    asyncio.run(collect(args.set, settings, args.split, args.limit))


if __name__ == "__main__":
    main()
