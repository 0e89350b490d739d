"""Analytics over a year of generated interactions: p50/p95 of each analytics endpoint.

Usage: python scripts/bench_analytics.py [--rows 1000000] [--repeat 40]

Builds a private schema (dropped at the end), loads the catalogue, generates --rows
interactions spread over the last 365 days (200,000 sessions of about five events; careers
drawn with a skew so a few are popular; kinds 45% views, 25% searches with ten result ids,
15% clicks, 10% comparisons, 5% recommendations; streams in roughly Indian proportions), builds
the rollups from them in SQL, then calls each endpoint through the app (ASGI, envelope and
all) and prints p50 and p95. Target (issue 10): p95 <= 50 ms for every endpoint.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import httpx
from loadgen import percentile
from private_schema import private_schema
from sqlalchemy import text
from starlette.types import Receive, Scope, Send

from indexer.loader import load_catalogue
from search_api.analytics.repository import AnalyticsRepository
from search_api.core.crypto import sha256_hex
from search_api.core.db import make_async_engine, make_sessionmaker
from search_api.core.settings import get_settings
from search_api.main import create_app
from search_api.users.tokens import new_api_key

# Streams of Class 12 students, roughly: science (PCM, PCB, PCMB), commerce, humanities; ''
# for visitors whose stream is unknown.
STREAMS = ("PCM", "PCM", "PCM", "PCB", "PCB", "PCMB", "Commerce", "Commerce", "Humanities", "")
QUERIES = (
    "engineer",
    "doctor",
    "ca",
    "designer",
    "nda",
    "neet",
    "data scientist",
    "lawyer",
    "pilot",
    "teacher",
    "animation",
    "govt job",
)

GENERATE = """
WITH careers AS (SELECT array_agg(id ORDER BY md5(id)) AS ids FROM careers),
picked AS (
    SELECT g,
           (ARRAY[{streams}])[1 + (abs(hashtext(('s' || (g / 5))::text)) % {n_streams})] AS stream,
           random() AS r,
           -- a skewed draw: low indices (popular careers) far more often
           1 + floor(array_length(ids, 1) * power(random(), 2.5))::int AS c,
           ids
    FROM generate_series(1, :rows) AS g, careers
)
INSERT INTO user_interactions (session_id, career_id, kind, query, stream, payload, created_at)
SELECT 'visit-' || (g / 5),
       CASE WHEN r < 0.25 OR r >= 0.95 THEN NULL ELSE ids[c] END,
       CASE WHEN r < 0.25 THEN 'search' WHEN r < 0.70 THEN 'view'
            WHEN r < 0.85 THEN 'click' WHEN r < 0.95 THEN 'compare' ELSE 'recommend' END,
       CASE WHEN r < 0.25 OR (r >= 0.70 AND r < 0.85)
            THEN (ARRAY[{queries}])[1 + (g % {n_queries})] END,
       nullif(stream, ''),
       CASE WHEN r < 0.25 THEN jsonb_build_object(
                'result_ids', to_jsonb(ARRAY[ids[c], ids[1 + (c % 300)], ids[1 + (c * 7 % 300)],
                    ids[1 + (c * 11 % 300)], ids[1 + (c * 13 % 300)], ids[1 + (c * 17 % 300)],
                    ids[1 + (c * 19 % 300)], ids[1 + (c * 23 % 300)], ids[1 + (c * 29 % 300)],
                    ids[1 + (c * 31 % 300)]]),
                'total', 40, 'page', 1)
            WHEN r >= 0.95 THEN jsonb_build_object(
                'career_ids', to_jsonb(ARRAY[ids[c], ids[1 + (c % 300)], ids[1 + (c * 7 % 300)]]))
            ELSE '{{}}'::jsonb END,
       now() - (random() * interval '365 days')
FROM picked
"""


def sql_list(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=40, help="calls per endpoint")
    parser.add_argument("--keep", action="store_true", help="keep the schema (and print it)")
    args = parser.parse_args()
    base = get_settings()

    with private_schema(base.database_url, keep=args.keep) as url:
        if args.keep:
            print(f"schema kept: {url}")
        settings = base.model_copy(
            update={"database_url": url, "rate_limit_enabled": False, "preload_embedder": False}
        )
        engine = make_async_engine(url)
        sessionmaker = make_sessionmaker(engine)
        started = time.perf_counter()
        await load_catalogue(sessionmaker, Path(base.data_dir))
        async with sessionmaker() as session, session.begin():
            await session.execute(
                text(
                    GENERATE.format(
                        streams=sql_list(STREAMS),
                        n_streams=len(STREAMS),
                        queries=sql_list(QUERIES),
                        n_queries=len(QUERIES),
                    )
                ),
                {"rows": args.rows},
            )
        generated = time.perf_counter() - started
        started = time.perf_counter()
        async with sessionmaker() as session, session.begin():
            await AnalyticsRepository(session).rebuild_rollups()
        rolled = time.perf_counter() - started
        key, prefix = new_api_key()
        async with sessionmaker() as session, session.begin():
            await session.execute(
                text(
                    "INSERT INTO api_keys (id, name, prefix, key_hash, scopes) VALUES "
                    "(gen_random_uuid(), 'bench', :p, :h, '[\"admin\", \"read\"]'::jsonb)"
                ),
                {"p": prefix, "h": sha256_hex(key)},
            )
            counts = {
                table: (await session.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
                for table in (
                    "user_interactions",
                    "career_daily_stats",
                    "career_monthly_stats",
                    "career_query_daily_stats",
                    "career_pair_monthly_stats",
                )
            }
            top = (
                await session.execute(
                    text(
                        "SELECT career_id FROM career_daily_stats WHERE stream = '*' "
                        "GROUP BY career_id ORDER BY sum(views) DESC LIMIT 1"
                    )
                )
            ).scalar_one()
        # what autovacuum does in a running system: statistics and the visibility map (which
        # lets the rollup reads be index-only scans)
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
        await engine.dispose()
        print(
            f"{counts['user_interactions']:,} interactions generated and loaded in "
            f"{generated:.1f} s; rollups built in {rolled:.1f} s "
            f"({counts['career_daily_stats']:,} daily, {counts['career_monthly_stats']:,} "
            f"monthly, {counts['career_query_daily_stats']:,} query and "
            f"{counts['career_pair_monthly_stats']:,} co-view rows)"
        )

        calls = [
            ("popular 30d", "/api/v1/analytics/careers/popular", {"period": "30d"}),
            ("popular 365d", "/api/v1/analytics/careers/popular", {"period": "365d"}),
            (
                "popular 30d stream=PCB",
                "/api/v1/analytics/careers/popular",
                {"period": "30d", "stream": "PCB"},
            ),
            (
                "popular 365d stream=PCB",
                "/api/v1/analytics/careers/popular",
                {"period": "365d", "stream": "PCB"},
            ),
            ("trends career 30d", "/api/v1/analytics/trends", {"career_id": top, "days": 30}),
            ("trends career 365d", "/api/v1/analytics/trends", {"career_id": top, "days": 365}),
            (
                "trends category 365d",
                "/api/v1/analytics/trends",
                {"category": "Engineering", "days": 365},
            ),
            ("insights 30d (top career)", f"/api/v1/analytics/insights/{top}", {"period": "30d"}),
            ("insights 365d (top career)", f"/api/v1/analytics/insights/{top}", {"period": "365d"}),
        ]
        app = create_app(settings)
        async with app.router.lifespan_context(app) as state:

            async def with_state(scope: Scope, receive: Receive, send: Send) -> None:
                # what an ASGI server does with lifespan state
                await app({**scope, "state": dict(state or {})}, receive, send)

            transport = httpx.ASGITransport(app=with_state)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                headers = {"X-API-Key": key}
                print(f"\nLatency over {args.repeat} calls each (in-process ASGI, warm)")
                worst = 0.0
                for name, path, params in calls:
                    response = await client.get(path, params=params, headers=headers)
                    assert response.status_code == 200, response.text
                    samples = []
                    for _ in range(args.repeat):
                        started = time.perf_counter()
                        response = await client.get(path, params=params, headers=headers)
                        samples.append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200
                    p50, p95 = percentile(samples, 50), percentile(samples, 95)
                    worst = max(worst, p95)
                    print(
                        f"  {name:<28} p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   "
                        f"(mean {statistics.mean(samples):.1f})"
                    )
        verdict = "PASS" if worst <= 50 else "FAIL"
        print(f"\n{verdict}  every analytics endpoint p95 <= 50 ms (worst {worst:.1f} ms)")


if __name__ == "__main__":
    asyncio.run(main())
