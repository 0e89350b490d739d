"""The scale check: the product against plain peers on a foreign catalogue of ~2,200 careers.

Usage: python scripts/eval_scale.py [--cold] [--timing-only] [--keep] [--limit N]
                                    [--split tune|test] [--latency-queries N] [--json PATH]

1. Builds the scale catalogue (scripts/build_scale_catalogue.py) into .data/scale/catalogue
   and checks that tests/relevance/scale/judgments.yaml is what that build produces.
2. Creates its own PostgreSQL schema (default `scale_eval` in the test database), migrates it
   with the product's Alembic migrations, and loads the catalogue with the product's loader
   (timed cold, into the empty schema, and warm, when every career is unchanged).
3. Builds its own index alias (default `scale_careers`) with the product's reindexer, timed
   cold (no cached vectors) and warm (every vector cached).
4. Runs every judged query through the product (hybrid, BM25 leg alone, dense leg alone, via
   SearchService with the response cache off, as scripts/eval_relevance.py does), a plain
   OpenSearch multi_match (name^3, description, fuzziness AUTO) on the same index, and
   PostgreSQL plainto_tsquery + ts_rank on the same rows. Prints hit@1/5/10 and MRR per kind
   for the tune half, the test half and both, then uncached API p50 latency against the plain
   query, the did-you-mean rate on correctly spelled queries and the median `total`.
5. Drops the schema and the index it created (--keep leaves them for poking at).

The index takes the scale catalogue's own synonyms.txt: the settings' data_dir points at it.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gzip
import json
import os
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))
# the checkout itself, for tests.fixtures: indic-transliteration installs a top-level `tests`
# package of its own into site-packages
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))

import build_scale_catalogue as scale

from indexer.embedding_cache import CachedEmbedder
from indexer.loader import LoadReport, load_catalogue
from indexer.models import EmbeddingCacheEntry
from indexer.reindex import ReindexResult, reindex
from search_api.careers.files import CatalogueInvalid
from search_api.core.clients import make_embedder, open_clients
from search_api.core.db import make_async_engine, make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_async_client, make_client
from search_api.core.settings import Settings
from search_api.search.evaluation import Judgment, Scores, score_ranking
from search_api.search.index import CareerIndex
from search_api.search.mapping import index_body_for
from search_api.search.schemas import SearchParams
from search_api.search.service import Mode, standalone_search_service

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE = os.environ.get(
    "CC_TEST_DATABASE_URL", "postgresql+psycopg://careers:careers@127.0.0.1:5433/careers_test"
)
VECTORS = ROOT / ".data" / "scale" / "embedding_cache.tsv.gz"
SYSTEMS = ("product", "product BM25 leg", "product dense leg", "plain BM25", "PostgreSQL FTS")
KINDS = tuple(scale.QUERY_COUNTS)
COLUMNS = ("hit@1", "hit@5", "hit@10", "MRR")
# Correctly spelled queries: every kind except the typos. "did you mean" on these is noise.
SPELLED = tuple(k for k in KINDS if k != "typo")


def summarise_problems(exc: CatalogueInvalid) -> list[str]:
    counts: Counter[tuple[str, str]] = Counter()
    for problem in exc.problems:
        message = problem.message
        counts[(problem.field, message)] += 1
    return [f"{n:5d}  {f}: {m}" for (f, m), n in counts.most_common()]


# ---- schema and index of our own ---------------------------------------------------------


def schema_url(database_url: str, schema: str) -> str:
    return (
        make_url(database_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )


def create_schema(database_url: str, schema: str) -> str:
    """Drop (if a previous run left it) and create the schema, then migrate it to head."""
    from alembic import command
    from alembic.config import Config

    if not schema.startswith("scale"):
        raise SystemExit(f"refusing to drop and recreate schema {schema!r}: not a scale_* schema")
    admin = make_sync_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    url = schema_url(database_url, schema)
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url
    command.upgrade(config, "head")
    return url


def drop_schema(database_url: str, schema: str) -> None:
    admin = make_sync_engine(database_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()


def save_vectors(engine: Engine, path: Path) -> int:
    """Keep the embedding cache across runs (the schema is recreated every time), so only
    the first run, or a --cold one, pays for encoding ~2,200 careers."""
    rows = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with engine.connect() as conn, gzip.open(path, "wt", encoding="ascii") as out:
        columns = select(
            EmbeddingCacheEntry.key,
            EmbeddingCacheEntry.model,
            EmbeddingCacheEntry.dimensions,
            EmbeddingCacheEntry.vector,
        )
        for row in conn.execute(columns):
            vector = base64.b64encode(row.vector).decode("ascii")
            out.write(f"{row.key}\t{row.model}\t{row.dimensions}\t{vector}\n")
            rows += 1
    return rows


def restore_vectors(engine: Engine, path: Path) -> int:
    if not path.exists():
        return 0
    with gzip.open(path, "rt", encoding="ascii") as handle:
        rows = [
            {"key": k, "model": m, "dimensions": int(d), "vector": base64.b64decode(v)}
            for k, m, d, v in (line.rstrip("\n").split("\t") for line in handle)
        ]
    with engine.begin() as conn:
        for start in range(0, len(rows), 1000):
            batch = rows[start : start + 1000]
            conn.execute(insert(EmbeddingCacheEntry).values(batch).on_conflict_do_nothing())
    return len(rows)


def yaml_parse_seconds(catalogue: Path) -> dict[str, float]:
    """How much of a load is YAML parsing: the loader's yaml.safe_load against the C loader."""
    import yaml

    texts = [p.read_text(encoding="utf-8") for p in sorted((catalogue / "careers").glob("*.yaml"))]
    out: dict[str, float] = {}
    for label, loader in (("safe_load", yaml.SafeLoader), ("CSafeLoader", yaml.CSafeLoader)):
        started = time.perf_counter()
        for body in texts:
            yaml.load(body, Loader=loader)
        out[label] = time.perf_counter() - started
    return out


@dataclass
class Timings:
    load: list[tuple[str, LoadReport, float]] = field(default_factory=list)
    reindex: list[tuple[str, ReindexResult]] = field(default_factory=list)


async def load_and_index(
    settings: Settings, catalogue: Path, embedder: Embedder, vectors: Path, restore: bool
) -> Timings:
    """Load twice (cold: empty schema; warm: all unchanged), then reindex twice (first: with
    the vectors restored from an earlier run, if any; second: every vector cached)."""
    timings = Timings()
    engine = make_sync_engine(settings.database_url)
    try:
        async with open_clients(settings, opensearch_timeout=120, embedder=embedder) as clients:
            for label in ("cold", "warm"):
                started = time.perf_counter()
                report = await load_catalogue(clients.sessionmaker, catalogue)
                timings.load.append((label, report, time.perf_counter() - started))
            restored = restore_vectors(engine, vectors) if restore else 0
            print(f"embedding cache: {restored} vectors restored from an earlier run")
            index = CareerIndex(clients.opensearch, settings.opensearch_alias, 120)
            cached = CachedEmbedder(clients.sessionmaker, embedder)
            body = index_body_for(settings)  # data_dir is the scale catalogue: its synonyms
            for label in ("first" if restored else "cold", "warm"):
                done = await reindex(clients.sessionmaker, index, cached, body, keep=1)
                timings.reindex.append((label, done))
                if label != "warm":
                    saved = save_vectors(engine, vectors)
                    print(f"embedding cache: {saved} vectors saved to {vectors}")
    finally:
        engine.dispose()
    return timings


# ---- running the queries -----------------------------------------------------------------


@dataclass(frozen=True)
class Judged:
    judgment: Judgment
    split: str
    source: str


@dataclass
class Run:
    rankings: dict[str, list[list[str]]] = field(default_factory=dict)  # system -> per query
    suggestions: list[str | None] = field(default_factory=list)  # product, per query
    totals: list[int] = field(default_factory=list)  # product, per query
    service_ms: list[float] = field(default_factory=list)  # product hybrid, per query
    degraded: int = 0  # product answers that came from the PostgreSQL fallback


def plain_bm25_body(q: str) -> dict[str, Any]:
    return {
        "size": 10,
        "_source": False,
        "query": {
            "multi_match": {"query": q, "fields": ["name^3", "description"], "fuzziness": "AUTO"}
        },
    }


FTS_SQL = text(
    "SELECT id FROM careers WHERE search_vector @@ plainto_tsquery('english', :q) "
    "ORDER BY ts_rank(search_vector, plainto_tsquery('english', :q)) DESC, id LIMIT 10"
)


async def run_queries(
    judged: Sequence[Judged], settings: Settings, embedder: Embedder, progress: bool
) -> Run:
    run = Run({s: [] for s in SYSTEMS})
    # The peers are measured on the same index and rows with clients of their own.
    engine = make_async_engine(settings.database_url)
    client = make_async_client(settings.opensearch_url, 10.0)
    try:
        async with (
            standalone_search_service(settings, embedder) as service,
            engine.connect() as session,
        ):
            modes: list[tuple[str, Mode]] = [
                ("product", "hybrid"),
                ("product BM25 leg", "bm25"),
                ("product dense leg", "dense"),
            ]
            for n, item in enumerate(judged, start=1):
                q = item.judgment.query
                for system, mode in modes:
                    started = time.perf_counter()
                    outcome = await service.search(
                        SearchParams(q=q, size=10), use_cache=False, mode=mode
                    )
                    run.degraded += int(outcome.degraded)
                    if mode == "hybrid":
                        run.service_ms.append((time.perf_counter() - started) * 1000)
                        run.suggestions.append(outcome.data.suggestion)
                        run.totals.append(outcome.data.total)
                    run.rankings[system].append([r.id for r in outcome.data.results])
                response = await client.search(
                    index=settings.opensearch_alias, body=plain_bm25_body(q)
                )
                run.rankings["plain BM25"].append([h["_id"] for h in response["hits"]["hits"]])
                rows = await session.execute(FTS_SQL, {"q": q})
                run.rankings["PostgreSQL FTS"].append([r.id for r in rows])
                if progress and n % 100 == 0:
                    print(f"  {n}/{len(judged)} queries", file=sys.stderr)
    finally:
        await client.close()
        await engine.dispose()
    return run


async def latencies(queries: Sequence[str], settings: Settings) -> tuple[list[float], list[float]]:
    """Uncached API time per query (each query's first request through the whole app: the
    response cache is keyed by the live index, new on every run) and the plain query's time
    from the same process, one request at a time."""
    from search_api.main import create_app
    from tests.fixtures.api import with_lifespan_state

    api_ms: list[float] = []
    plain_ms: list[float] = []
    # hundreds of requests from one client in a minute: the anonymous limit (120) would answer
    # 429 to most of them, and a 429 is not the search being measured
    app = create_app(settings.model_copy(update={"rate_limit_enabled": False}))
    async with app.router.lifespan_context(app) as state:
        transport = httpx.ASGITransport(app=with_lifespan_state(app, dict(state or {})))
        async with httpx.AsyncClient(transport=transport, base_url="http://scale") as http:
            for n in range(20):  # warm the model, pools and JIT paths; not measured
                await http.get("/api/v1/careers/search", params={"q": f"warm up {n}"})
            for q in dict.fromkeys(queries):
                started = time.perf_counter()
                response = await http.get("/api/v1/careers/search", params={"q": q})
                api_ms.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
    client = make_async_client(settings.opensearch_url, 10.0)
    try:
        for q in queries[:20]:
            await client.search(index=settings.opensearch_alias, body=plain_bm25_body(q))
        for q in dict.fromkeys(queries):
            started = time.perf_counter()
            await client.search(index=settings.opensearch_alias, body=plain_bm25_body(q))
            plain_ms.append((time.perf_counter() - started) * 1000)
    finally:
        await client.close()
    return api_ms, plain_ms


# ---- scoring and printing ----------------------------------------------------------------


def metrics(judged: Sequence[Judged], rankings: Sequence[list[str]]) -> dict[str, float]:
    total = Scores()
    hit10 = 0.0
    for item, ranking in zip(judged, rankings, strict=True):
        total.add(score_ranking(item.judgment, ranking))
        relevant = set(item.judgment.relevant)
        hit10 += 1.0 if relevant.intersection(ranking[:10]) else 0.0
    mean = total.mean()
    n = total.queries or 1
    return {
        "n": total.queries,
        **{k: mean[k] for k in ("hit@1", "hit@5", "MRR")},
        "hit@10": hit10 / n,
    }


Select = Callable[[Judged], bool]


def table(
    judged: Sequence[Judged], run: Run, title: str, select: Select
) -> tuple[str, dict[str, Any]]:
    lines = [f"\n{title}"]
    results: dict[str, Any] = {}
    header = f"  {'kind':<12}{'n':>5}  " + "  ".join(f"{s:>26}" for s in SYSTEMS)
    sub = f"  {'':<12}{'':>5}  " + "  ".join(
        f"{'  '.join(f'{c:>5}' for c in ('h@1', 'h@5', 'h@10', 'MRR')):>26}" for _ in SYSTEMS
    )
    lines += [header, sub]
    for kind in (*KINDS, "all"):
        index = [
            i
            for i, item in enumerate(judged)
            if select(item) and (kind == "all" or item.judgment.kind == kind)
        ]
        if not index:
            continue
        subset = [judged[i] for i in index]
        row = f"  {kind:<12}{len(index):>5}  "
        cells = []
        for system in SYSTEMS:
            m = metrics(subset, [run.rankings[system][i] for i in index])
            results.setdefault(kind, {})[system] = m
            cells.append("  ".join(f"{m[c]:>5.3f}" for c in COLUMNS).rjust(26))
        lines.append(row + "  ".join(cells))
    return "\n".join(lines), results


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def load_judged(limit: int | None, split: str | None = None) -> list[Judged]:
    raw = scale.read_judgments()
    out = [
        Judged(Judgment(r["query"], r["kind"], tuple(r["relevant"])), r["split"], r["source"])
        for r in raw
        if split is None or r["split"] == split
    ]
    if limit:
        per_kind: dict[str, list[Judged]] = defaultdict(list)
        for item in out:
            if len(per_kind[item.judgment.kind]) < limit:
                per_kind[item.judgment.kind].append(item)
        out = [i for items in per_kind.values() for i in items]
    return out


def check_judgments(result: scale.Build) -> None:
    committed = scale.read_judgments()
    if committed != result.judgments:
        raise SystemExit(
            "tests/relevance/scale/judgments.yaml does not match a fresh build; run "
            "scripts/build_scale_catalogue.py --write-judgments and review the diff"
        )


def in_split(split: str) -> Select:
    return lambda item: split == "both" or item.split == split


def from_source(source: str) -> Select:
    return lambda item: item.source == source


def hit5_summary(results: dict[str, Any], title: str) -> str:
    """The issue's layout: hit@5, kinds down, systems across."""
    lines = [f"\n{title}", f"  {'kind':<12}{'n':>5}" + "".join(f"{s:>19}" for s in SYSTEMS)]
    for kind, by_system in results.items():
        n = next(iter(by_system.values()))["n"]
        cells = "".join(f"{by_system[s]['hit@5']:>19.3f}" for s in SYSTEMS)
        lines.append(f"  {kind:<12}{n:>5}{cells}")
    return "\n".join(lines)


def own_taxonomy(judged: Sequence[Judged], run: Run, sources: dict[str, str]) -> Run:
    """Each system's rankings with the other taxonomy's careers dropped. The catalogue joins
    two taxonomies that describe many of the same jobs, and the judgments accept only the
    query's own; a single-taxonomy catalogue reads closer to this. From the top 10 each system
    returned, so it is a lower bound past the first few ranks."""
    return Run(
        {
            system: [
                [c for c in ranking if sources.get(c) == item.source]
                for item, ranking in zip(judged, rankings, strict=True)
            ]
            for system, rankings in run.rankings.items()
        }
    )


def latency_sample(judged: Sequence[Judged], size: int) -> list[str]:
    """Every k-th judged query, so each kind is timed in proportion."""
    step = max(1, len(judged) // max(1, size))
    return [item.judgment.query for item in judged[::step]][:size]


async def evaluate_all(
    judged: list[Judged],
    settings: Settings,
    embedder: Embedder,
    sources: dict[str, str],
    careers: int,
    latency_queries: int,
) -> dict[str, Any]:
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    run = await run_queries(judged, settings, embedder, progress=True)
    print(
        f"\n{len(judged)} judged queries x {len(SYSTEMS)} systems in "
        f"{time.perf_counter() - started:.0f} s (load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores); product answers "
        f"from the PostgreSQL fallback: {run.degraded}"
    )
    report: dict[str, Any] = {"metrics": {}, "degraded_answers": run.degraded}
    for split in ("tune", "test", "both"):
        text_table, results = table(
            judged,
            run,
            f"split: {split}   (per system: hit@1  hit@5  hit@10  MRR)",
            in_split(split),
        )
        print(text_table)
        report["metrics"][split] = results
    for split in ("tune", "test", "both"):
        print(hit5_summary(report["metrics"][split], f"hit@5, split: {split}"))
    for source in ("onet", "uk"):
        _, results = table(
            judged,
            run,
            "",
            from_source(source),
        )
        report["metrics"][f"source {source}"] = results
        print(hit5_summary(results, f"hit@5, both splits, queries from source {source}"))

    own = own_taxonomy(judged, run, sources)
    for split in ("tune", "test"):
        _, results = table(judged, own, "", in_split(split))
        if not results:  # a --split run holds one half only
            continue
        report["metrics"][f"own taxonomy {split}"] = results
        print(
            hit5_summary(
                results,
                f"hit@5 within the query's own taxonomy (the other one's careers dropped from "
                f"each top 10), split: {split}",
            )
        )

    # How often a product miss is a career of the other taxonomy at rank 1: the two overlap,
    # and a near-equivalent from the other one counts as wrong in these judgments.
    misses = [
        (item, ranking)
        for item, ranking in zip(judged, run.rankings["product"], strict=True)
        if not set(item.judgment.relevant).intersection(ranking[:5])
    ]
    cross = sum(
        1
        for item, ranking in misses
        if ranking and sources.get(ranking[0]) not in (None, item.source)
    )
    print(
        f"\nproduct top-5 misses: {len(misses)}; of those, rank 1 from the other taxonomy: {cross}"
    )

    spelled = [i for i, item in enumerate(judged) if item.judgment.kind in SPELLED]
    suggested = [i for i in spelled if run.suggestions[i]]
    rate = len(suggested) / (len(spelled) or 1)
    examples = [f"{judged[i].judgment.query!r} -> {run.suggestions[i]!r}" for i in suggested[:8]]
    print(
        f"did you mean on correctly spelled queries: {len(suggested)}/{len(spelled)} = {rate:.1%}"
    )
    for line in examples:
        print(f"    {line}")
    typos = [i for i, item in enumerate(judged) if item.judgment.kind == "typo"]
    typo_rate = sum(1 for i in typos if run.suggestions[i]) / (len(typos) or 1)
    print(f"did you mean on typo queries: {typo_rate:.1%} of {len(typos)}")
    totals_by_kind = {
        kind: statistics.median(
            [run.totals[i] for i, it in enumerate(judged) if it.judgment.kind == kind]
        )
        for kind in KINDS
        if any(it.judgment.kind == kind for it in judged)
    }
    print(
        f"median total: all {statistics.median(run.totals):.0f} of {careers} careers; "
        + ", ".join(f"{k} {v:.0f}" for k, v in totals_by_kind.items())
    )
    service_p50 = percentile(run.service_ms, 0.5)
    print(f"product hybrid via SearchService (cache off): p50 {service_p50:.1f} ms")

    report.update(
        {
            "did_you_mean_rate": rate,
            "did_you_mean_examples": examples,
            "did_you_mean_typo_rate": typo_rate,
            "median_total": statistics.median(run.totals),
            "median_total_by_kind": totals_by_kind,
            "service_p50_ms": percentile(run.service_ms, 0.5),
            "misses_top1_other_taxonomy": [len(misses), cross],
        }
    )
    report.update(await timing_report(judged, settings, latency_queries))
    return report


async def timing_report(
    judged: Sequence[Judged], settings: Settings, latency_queries: int
) -> dict[str, Any]:
    """CPU-bound query embedding suffers far more than the plain query from other work on
    the machine, so the load average goes with the figures."""
    load_before = os.getloadavg()[0]
    api_ms, plain_ms = await latencies(latency_sample(judged, latency_queries), settings)
    p50_api, p50_plain = percentile(api_ms, 0.5), percentile(plain_ms, 0.5)
    load_after = os.getloadavg()[0]
    print(
        f"uncached API p50 {p50_api:.1f} ms (p90 {percentile(api_ms, 0.9):.1f}) vs plain BM25 "
        f"p50 {p50_plain:.1f} ms (p90 {percentile(plain_ms, 0.9):.1f}): "
        f"{p50_api / (p50_plain or 1):.1f}x over {len(api_ms)} queries (load average "
        f"{load_before:.1f} at the start, {load_after:.1f} at the end)"
    )
    return {
        "api_p50_ms": p50_api,
        "api_p90_ms": percentile(api_ms, 0.9),
        "plain_p50_ms": p50_plain,
        "plain_p90_ms": percentile(plain_ms, 0.9),
        "latency_load_average": [load_before, load_after],
    }


def vectors_file(embedder: Embedder) -> Path:
    """The saved vectors of this model: another model's run must not overwrite the bundled
    model's file (its next run would encode every career again)."""
    if embedder.name == Settings.model_fields["embedding_model_name"].default:
        return VECTORS
    return VECTORS.with_name(f"embedding_cache.{embedder.name}.tsv.gz")


def timed_load(
    settings: Settings, args: argparse.Namespace, careers: int, embedder: Embedder
) -> dict[str, Any]:
    report: dict[str, Any] = {}
    try:
        timings = asyncio.run(
            load_and_index(
                settings, args.catalogue, embedder, vectors_file(embedder), restore=not args.cold
            )
        )
    except CatalogueInvalid as exc:
        print("the loader refused the scale catalogue:")
        for line in summarise_problems(exc):
            print(line)
        raise SystemExit(1) from None
    parse = yaml_parse_seconds(args.catalogue)
    print(
        f"YAML parsing of the careers files alone: yaml.safe_load {parse['safe_load']:.1f} s, "
        f"CSafeLoader {parse['CSafeLoader']:.1f} s"
    )
    report["yaml_parse_seconds"] = parse
    for label, load, seconds in timings.load:
        print(
            f"load {label}: {careers} careers in {seconds:.1f} s "
            f"({careers / seconds:.0f} docs/s; added {load.added}, "
            f"unchanged {load.unchanged})"
        )
    for label, done in timings.reindex:
        print(
            f"reindex {label}: {done.documents} docs in {done.seconds:.1f} s "
            f"({done.docs_per_second:.0f} docs/s; vectors computed {done.vectors_computed}, "
            f"cached {done.vectors_cached})"
        )
    report["load"] = {label: careers / s for label, _, s in timings.load}
    report["reindex"] = {label: r.docs_per_second for label, r in timings.reindex}
    return report


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--catalogue", type=Path, default=scale.DEFAULT_OUT)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--schema", default="scale_eval")
    parser.add_argument("--alias", default="scale_careers")
    parser.add_argument("--keep", action="store_true", help="keep the schema and index")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the schema and index a --keep run left, without loading or reindexing",
    )
    parser.add_argument("--limit", type=int, help="at most N queries per kind (quick runs)")
    parser.add_argument(
        "--split", choices=("tune", "test"), help="only this half of the judged queries"
    )
    parser.add_argument(
        "--cold", action="store_true", help="do not restore cached vectors: a true cold reindex"
    )
    parser.add_argument(
        "--latency-queries", type=int, default=300, help="queries timed through the API"
    )
    parser.add_argument(
        "--timing-only",
        action="store_true",
        help="load, reindex and latency only; no relevance tables (a few minutes, not 30+)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=30.0,
        help="search deadline in seconds (the product's 2 s default trips on a loaded "
        "machine and answers from the PostgreSQL fallback, which would measure the wrong thing)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / ".data" / "scale" / "results.json")
    args = parser.parse_args()

    result = scale.build()
    check_judgments(result)
    scale.write_catalogue(result, args.catalogue)
    careers = len(result.careers)
    print(f"scale catalogue: {len(result.careers)} careers in {len(result.categories)} categories")

    url = (
        schema_url(args.database_url, args.schema)
        if args.reuse
        else create_schema(args.database_url, args.schema)
    )
    report: dict[str, Any] = {}
    settings = Settings(
        database_url=url,
        opensearch_alias=args.alias,
        preload_embedder=True,
        search_timeout_seconds=args.timeout,
        data_dir=str(args.catalogue),
    )
    # the settings' model (CC_EMBEDDING_MODEL_PATH/_NAME), as the API and the indexer use it
    embedder = make_embedder(settings)
    embedder.load()
    try:
        if not args.reuse:
            report.update(timed_load(settings, args, careers, embedder))
        judged = load_judged(args.limit, args.split)
        if args.timing_only:
            report.update(asyncio.run(timing_report(judged, settings, args.latency_queries)))
        else:
            report.update(
                asyncio.run(
                    evaluate_all(
                        judged, settings, embedder, result.sources, careers, args.latency_queries
                    )
                )
            )
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    finally:
        if not args.keep:
            drop_schema(args.database_url, args.schema)
            client = make_client(Settings().opensearch_url)
            client.indices.delete(
                index=f"{args.alias}_v*", ignore_unavailable=True, expand_wildcards="all"
            )
            client.close()


if __name__ == "__main__":
    main()
