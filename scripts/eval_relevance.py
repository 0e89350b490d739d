"""Relevance of BM25 only, dense only and the fused hybrid on the judged queries.

Usage: python scripts/eval_relevance.py [--alias careers] [--split tune|test] [--grid] [--misses]
                                        [--first-misses]
                                        [--personalised]

Runs every query in tests/relevance/judgments.yaml through the real search service against
the live index (no response cache) and prints hit@1, hit@5, MRR and NDCG@10 per query kind.
--grid also sweeps the fusion method, weights and the dense similarity threshold.
--personalised also measures personalised search: the blend weight over the judged (query,
profile) pairs of tests/relevance/personalised.yaml (chosen on the tune half, reported on the
test half), and the judged queries above run with a profile of the best answer's stream
(hit@5 against unpersonalised, and the share of results the profile's stream may take).
--prior measures a bounded popularity prior (score + bound * log-scaled views) on the judged
queries, with the views of the analytics rollups when the database has some, otherwise with
a generated Zipf popularity (seeded, unrelated to relevance).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from search_api.careers.records import eligible_streams
from search_api.core.settings import get_settings
from search_api.profiles.schemas import StudentProfile
from search_api.search import planning
from search_api.search.evaluation import (
    KINDS,
    Judgment,
    PersonalJudgment,
    Scores,
    evaluate,
    evaluate_personal,
    hard_violations,
    load_judgments,
    load_personal_judgments,
    persona,
    read_career_rows,
    score_ranking,
    understanding_accuracy,
)
from search_api.search.personalise import BLEND_WEIGHT, personalised_search
from search_api.search.schemas import SearchParams, SearchResult
from search_api.search.service import (
    DEFAULT_FUSION,
    FusionConfig,
    Mode,
    SearchService,
    standalone_search_service,
)
from search_api.search.understanding import understand as read_query

JUDGMENTS = Path(__file__).resolve().parent.parent / "tests" / "relevance" / "judgments.yaml"
PERSONAL = JUDGMENTS.with_name("personalised.yaml")
BLEND_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0)

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
    judgments: Sequence[Judgment],
    service: SearchService,
    mode: Mode,
    fusion: FusionConfig,
    understand: bool = True,
    returned: dict[str, list[str]] | None = None,
) -> tuple[dict[str, Scores], dict[str, list[str]]]:
    service.fusion = fusion

    async def rank(query: str) -> list[str]:
        params = SearchParams(q=query, size=10, understand=understand)
        outcome = await service.search(params, use_cache=False, mode=mode)
        ids = [r.id for r in outcome.data.results]
        if returned is not None:
            returned[query] = ids
        return ids

    return await evaluate(judgments, rank)


def constraint_report(
    judgments: Sequence[Judgment], returned: dict[str, list[str]], careers: dict[str, Any]
) -> str:
    """Constraint phrases: how many of their top 5 hits break a judged hard constraint."""
    judged = [j for j in judgments if j.understood is not None and j.query in returned]
    hits = violating = 0
    examples: list[str] = []
    for j in judged:
        assert j.understood is not None
        for cid in returned[j.query][:5]:
            hits += 1
            broken = hard_violations(j.understood, careers[cid]) if cid in careers else []
            if broken:
                violating += 1
                examples.append(f"{j.query!r} -> {cid}: {', '.join(broken)}")
    lines = [
        f"  constraint phrases: {violating} of {hits} top-5 hits break a judged hard constraint "
        f"({len(judged)} queries)"
    ]
    lines.extend(f"    {e}" for e in examples[:20])
    return "\n".join(lines)


def first_misses(judgments: Sequence[Judgment], returned: dict[str, list[str]]) -> str:
    """Queries whose first hit is not relevant: what came first, and where the first relevant
    career is (rank, or "-" past the top 10)."""
    lines = []
    for j in judgments:
        ids = returned.get(j.query, [])
        if ids and ids[0] in j.relevant:
            continue
        rank = next((i for i, cid in enumerate(ids, 1) if cid in j.relevant), None)
        top = ", ".join(ids[:3]) or "nothing"
        lines.append(
            f"    first miss {j.kind}: {j.query!r} -> {top} (first relevant at "
            f"{rank or '-'}; best {j.relevant[0]})"
        )
    return "\n".join(lines) or "    no first misses"


def eligible(results: Sequence[SearchResult], stream: str | None) -> tuple[int, int]:
    """-> (results open to the stream, results)."""
    if stream is None:
        return len(results), len(results)
    allowed = set(eligible_streams([stream]))
    return sum(1 for r in results if allowed & set(r.streams)), len(results)


async def personal_ranking(
    service: SearchService, judgment: PersonalJudgment, weight: float | None
) -> list[SearchResult]:
    """weight None: plain search, the profile ignored."""
    params = SearchParams(q=judgment.query, size=10)
    if weight is None:
        outcome = await service.search(params, use_cache=False)
    else:
        profile = StudentProfile.model_validate(judgment.profile)
        outcome = await personalised_search(
            service, params, profile, use_cache=False, mode="hybrid", weight=weight
        )
    return outcome.data.results


def cells(scores: Scores, columns: Sequence[str] = COLUMNS) -> str:
    mean = scores.mean()
    return "  ".join(f"{mean[c]:>7.3f}" for c in columns)


async def persona_scores(
    service: SearchService, judgments: Sequence[Judgment], weight: float | None
) -> tuple[Scores, int, int]:
    """The judged queries, each with a profile of its best answer's stream.
    -> (scores, results open to that stream, results)."""
    scores = Scores()
    shown = open_to_stream = 0
    for judgment in judgments:
        rows = await service.catalogue.document_rows([judgment.relevant[0]])
        stream = rows[0].streams[0] if rows else None
        results = await personal_ranking(service, persona(judgment, stream), weight)
        scores.add(score_ranking(judgment, [r.id for r in results]))
        ok, n = eligible(results, stream)
        open_to_stream += ok
        shown += n
    return scores, open_to_stream, shown


async def personalised_report(
    service: SearchService, judgments: Sequence[Judgment], pairs: Sequence[PersonalJudgment]
) -> None:
    """For each blend weight: the pairs' tune and test halves, and the judged queries with a
    persona. The weight chosen: the best tune MRR among the weights under which the judged
    queries keep hit@5 within 0.02 of unpersonalised and lose at most 0.01 of MRR and of
    NDCG@10 (ties: NDCG@10, then the smaller weight). Personalising must not cost the
    student who typed a career's exact name."""
    halves = {s: [p for p in pairs if p.split == s] for s in ("tune", "test")}
    print(
        f"\nPersonalised: {len(pairs)} judged (query, profile) pairs ({len(halves['tune'])} "
        f"tune, {len(halves['test'])} test) and the {len(judgments)} judged queries with a "
        "profile of the best answer's stream"
    )
    short = ("hit@5", "MRR", "NDCG@10")
    header = "  ".join(f"{c:>7}" for c in short)
    titles = ("pairs: tune", "pairs: test", "judged queries")
    print(f"  {'ranking':<22}" + " | ".join(f"{t:^25}" for t in titles) + "  eligible")
    print(f"  {'':<22}{header} | {header} | {header}")
    runs: list[tuple[str, float | None]] = [("no profile", None)]
    runs += [(f"w={w:.1f}" + (" (filters only)" if w == 0 else ""), w) for w in BLEND_GRID]
    plain: dict[str, float] = {}
    candidates: list[tuple[tuple[float, float, float], float]] = []
    for name, weight in runs:
        by_half = {}
        for half, items in halves.items():

            async def rank(j: PersonalJudgment, weight: float | None = weight) -> list[str]:
                return [r.id for r in await personal_ranking(service, j, weight)]

            by_half[half] = await evaluate_personal(items, rank)
        judged, ok, shown = await persona_scores(service, judgments, weight)
        share = f"{ok / max(shown, 1):.1%}" if weight is not None else "-"
        print(
            f"  {name:<22}{cells(by_half['tune'], short)} | {cells(by_half['test'], short)} | "
            f"{cells(judged, short)}  {share}"
        )
        mean = judged.mean()
        if weight is None:
            plain = mean
        elif (
            mean["hit@5"] >= plain["hit@5"] - 0.02
            and mean["MRR"] >= plain["MRR"] - 0.01
            and mean["NDCG@10"] >= plain["NDCG@10"] - 0.01
        ):
            tune = by_half["tune"].mean()
            candidates.append(((tune["MRR"], tune["NDCG@10"], -weight), weight))
    chosen = max(candidates)[1] if candidates else None
    print(
        f"  chosen: w={chosen} (best tune MRR that keeps the judged queries' figures); "
        f"shipped BLEND_WEIGHT={BLEND_WEIGHT}"
    )


async def popularity(service: SearchService) -> tuple[dict[str, int], str]:
    """-> (views per career, where they came from)."""
    session = service.catalogue.session
    try:
        rows = await session.execute(
            text(
                "SELECT career_id, sum(views + clicks) FROM career_daily_stats "
                "WHERE stream = '*' GROUP BY career_id"
            )
        )
        found = {r[0]: int(r[1]) for r in rows}
    except DBAPIError:
        await session.rollback()
        found = {}
    if sum(found.values()) >= 1000:
        return found, "the analytics rollups"
    ids = sorted(r.id for r in await service.catalogue.document_rows())
    random.Random(10).shuffle(ids)
    return {cid: round(100_000 / rank) for rank, cid in enumerate(ids, 1)}, "generated Zipf"


async def prior_report(service: SearchService, judgments: Sequence[Judgment]) -> None:
    views, source = await popularity(service)
    top = math.log1p(max(views.values(), default=1))
    plain = {}
    for judgment in judgments:
        outcome = await service.search(SearchParams(q=judgment.query, size=50), use_cache=False)
        plain[judgment.query] = outcome.data.results
    print(f"\nPopularity prior on the judged queries (views from {source}), top 50 re-ranked")
    print(f"  {'bound':<22}" + "  ".join(f"{c:>7}" for c in COLUMNS))
    for bound in (0.0, 0.01, 0.02, 0.05, 0.1):
        scores = Scores()
        for judgment in judgments:
            results = plain[judgment.query]
            ranked = sorted(
                results,
                key=lambda r: -(r.score + bound * math.log1p(views.get(r.id, 0)) / top),
            )
            scores.add(score_ranking(judgment, [r.id for r in ranked[:10]]))
        print(f"  {bound:<22}{cells(scores)}")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--alias", help="index alias to evaluate (default: settings)")
    parser.add_argument("--grid", action="store_true", help="sweep fusion settings")
    parser.add_argument("--misses", action="store_true", help="list queries missed in the top 5")
    parser.add_argument(
        "--first-misses",
        action="store_true",
        help="list queries whose first hit is not relevant, with what came first",
    )
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="judged queries (YAML)")
    parser.add_argument(
        "--personalised", action="store_true", help="measure personalised search as well"
    )
    parser.add_argument("--only-personalised", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prior", action="store_true", help="measure a popularity prior")
    parser.add_argument(
        "--split", choices=("tune", "test"), help="only this half of the judged queries"
    )
    parser.add_argument(
        "--hybrid-only", action="store_true", help="only the shipped hybrid run (and constraints)"
    )
    parser.add_argument("--kind", help="only judged queries of this kind")
    parser.add_argument(
        "--rank-by-words",
        action="store_true",
        help="queries with no free text left ranked by all their words (planning.RANK_BY_WORDS)",
    )
    parser.add_argument(
        "--no-prior", action="store_true", help="without the prominence prior (planning)"
    )
    parser.add_argument(
        "--no-understand", action="store_true", help="search the words as typed (understand=false)"
    )
    args = parser.parse_args()

    settings = get_settings()
    if args.alias:
        settings = settings.model_copy(update={"opensearch_alias": args.alias})
    judgments = load_judgments(args.judgments, args.split)
    if args.kind:
        judgments = [j for j in judgments if j.kind == args.kind]
    if args.rank_by_words:
        planning.RANK_BY_WORDS = True
    if args.no_prior:
        planning.PRIOR_BOUND = 0.0
    # Relevance, not latency: a slow moment on a busy machine must not turn a search into the
    # Postgres fallback and change the figures.
    settings = settings.model_copy(update={"search_timeout_seconds": 30.0})
    async with standalone_search_service(settings) as service:
        service.embedder.load()
        print(f"{len(judgments)} judged queries, index behind alias {settings.opensearch_alias!r}")
        shipped = service.fusion  # the embedding model's (service.fusion_for)
        runs: list[tuple[str, Mode, FusionConfig]] = [
            ("BM25 only", "bm25", shipped),
            ("dense only", "dense", shipped),
            (f"hybrid (shipped: {shipped})", "hybrid", shipped),
            (
                "hybrid, RRF k=60",
                "hybrid",
                FusionConfig(method="rrf", min_cosine=DEFAULT_FUSION.min_cosine),
            ),
        ]
        if args.only_personalised:
            runs = []
        if args.hybrid_only:
            runs = runs[2:3]
        understanding = not args.no_understand
        for title, mode, fusion in runs:
            started = time.perf_counter()
            returned: dict[str, list[str]] = {}
            scores, misses = await run(judgments, service, mode, fusion, understanding, returned)
            print(table(f"{title}  ({time.perf_counter() - started:.1f} s)", scores))
            if args.misses:
                for kind, queries in misses.items():
                    print(f"    missed {kind}: {queries}")
            if args.first_misses:
                print(first_misses(judgments, returned))
            if mode == "hybrid" and fusion is shipped:
                careers = read_career_rows(Path(settings.data_dir))
                print(constraint_report(judgments, returned, careers))
        if understanding:
            index = await service.index.live_index()
            lexicon = await service.memo.lexicon(index, service.catalogue)
            if lexicon is not None:
                share, judged, wrong = understanding_accuracy(
                    judgments, lambda q: read_query(q, lexicon).summary()
                )
                print(f"  filters understood exactly: {share:.3f} of {judged} constraint phrases")
                for query, differences in wrong:
                    print(f"    {query!r}: {'; '.join(differences)}")
        if args.personalised or args.only_personalised:
            service.fusion = shipped
            started = time.perf_counter()
            await personalised_report(service, judgments, load_personal_judgments(PERSONAL))
            print(f"  ({time.perf_counter() - started:.1f} s)")
        if args.prior:
            service.fusion = shipped
            await prior_report(service, judgments)
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
