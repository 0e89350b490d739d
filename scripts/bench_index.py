"""Reindex speed at 10,000 careers: a cold run (every vector computed) and a warm one (all cached).

Usage: python scripts/bench_index.py [--careers 10000] [--batch-size 256] [--keep-data]

The synthetic catalogue is made deterministically from the real one (data/): each real career
is repeated with a different specialisation in its name, a shuffled description and a varied
skill list, so every text is new to the embedding cache. It lives in its own Postgres schema
(bench_index) and behind its own alias (bench_careers); the product never sees it, and both
are dropped at the end unless --keep-data is given.

Targets on a 2-core machine (issue 4): warm >= 2,000 docs/s, cold >= 150 docs/s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import threading
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from indexer.embedding_cache import CachedEmbedder
from indexer.loader import apply_catalogue
from indexer.reindex import reindex
from search_api.careers.files import Catalogue, read_catalogue
from search_api.careers.records import CareerRecord
from search_api.careers.repository import CatalogueRepository
from search_api.core.clients import open_clients
from search_api.core.db import make_sync_engine
from search_api.core.settings import get_settings
from search_api.search.index import CareerIndex
from search_api.search.mapping import index_body_for

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "bench_index"
ALIAS = "bench_careers"
FLAVOURS = [
    "Rural",
    "Urban",
    "Digital",
    "Coastal",
    "Industrial",
    "Public Sector",
    "Startup",
    "Export",
    "Healthcare",
    "Defence",
    "Renewable",
    "Heritage",
    "Sports",
    "Education",
    "Agri",
    "Media",
    "Finance",
    "Research",
    "Community",
    "Global",
    "Regional",
    "Junior",
    "Consulting",
    "Freelance",
    "Northeast",
    "Himalayan",
    "Metro",
    "Small Town",
    "Field",
    "Clinical",
    "Studio",
]


def synthetic(catalogue: Catalogue, total: int) -> Catalogue:
    rng = random.Random(20261125)
    real = catalogue.careers
    careers: list[CareerRecord] = list(real)
    n = 0
    while len(careers) < total:
        base = real[n % len(real)]
        flavour = FLAVOURS[(n // len(real)) % len(FLAVOURS)]
        round_no = n // (len(real) * len(FLAVOURS))
        sentences = [
            s.strip() for s in base.description.replace("\n", " ").split(". ") if s.strip()
        ]
        rng.shuffle(sentences)
        description = ". ".join(s.rstrip(".") for s in sentences[:4]) + "."
        skills = list(base.skills)
        rng.shuffle(skills)
        suffix = f" {round_no + 2}" if round_no else ""
        careers.append(
            base.model_copy(
                update={
                    "id": f"{base.id[:38]}-b{n:05d}",
                    "name": f"{flavour} {base.name}{suffix}",
                    "description": f"{flavour} work: {description}",
                    "skills": skills[: max(3, len(skills) - n % 3)],
                    "aliases": [],
                    "alternatives": [base.id],
                }
            )
        )
        n += 1
    return Catalogue(
        careers=careers,
        categories=catalogue.categories,
        exams=catalogue.exams,
        institutions=catalogue.institutions,
    )


class PeakRss:
    """Samples resident memory of this process (and of the OpenSearch node) every 50 ms."""

    def __init__(self, other_pid: int | None) -> None:
        self.other_pid = other_pid
        self.peak_self = 0
        self.peak_other = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def rss_kb(pid: int | str) -> int:
        try:
            for row in Path(f"/proc/{pid}/status").read_text().splitlines():
                if row.startswith("VmRSS:"):
                    return int(row.split()[1])
        except OSError:
            return 0
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_self = max(self.peak_self, self.rss_kb("self"))
            if self.other_pid:
                self.peak_other = max(self.peak_other, self.rss_kb(self.other_pid))
            self._stop.wait(0.05)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def opensearch_pid() -> int | None:
    pidfile = ROOT / ".data" / "opensearch" / "opensearch.pid"
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--careers", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--keep-data", action="store_true", help="keep the bench schema and index")
    args = parser.parse_args()

    settings = get_settings()
    admin = make_sync_engine(settings.database_url)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    url = make_url(settings.database_url).update_query_dict({"options": f"-csearch_path={SCHEMA}"})
    url_text = url.render_as_string(hide_password=False)

    from alembic import command
    from alembic.config import Config

    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    config.attributes["url"] = url_text
    command.upgrade(config, "head")

    bench = settings.model_copy(update={"database_url": url_text, "opensearch_alias": ALIAS})
    async with open_clients(bench, opensearch_timeout=120) as clients:
        index = CareerIndex(clients.opensearch, ALIAS, 120)
        for old in await index.versioned_indices():
            await index.delete_index(old)
        try:
            started = time.perf_counter()
            catalogue = synthetic(read_catalogue(ROOT / "data"), args.careers)
            async with clients.sessionmaker() as session, session.begin():
                await apply_catalogue(CatalogueRepository(session), catalogue)
            print(
                f"{len(catalogue.careers)} synthetic careers loaded into schema {SCHEMA} "
                f"in {time.perf_counter() - started:.1f} s; {os.cpu_count()} CPUs"
            )

            model = clients.embedder
            model.load()
            bf16 = "on" if model.encode(["warm up"]) and model._bf16 else "off"
            print(f"model loaded; bf16 {bf16}")
            for phase in ("cold", "warm"):
                embedder = CachedEmbedder(clients.sessionmaker, model)
                with PeakRss(opensearch_pid()) as rss:
                    result = await reindex(
                        clients.sessionmaker,
                        index,
                        embedder,
                        index_body_for(bench),
                        batch_size=args.batch_size,
                        keep=1,
                    )
                rate = result.docs_per_second
                print(
                    f"{phase:>5}: {result.documents} docs in {result.seconds:6.1f} s"
                    f" = {rate:7.0f} docs/s   vectors computed {result.vectors_computed:5d},"
                    f" cached {result.vectors_cached:5d}"
                    f"   peak RSS indexer {rss.peak_self / 1024:5.0f} MiB,"
                    f" OpenSearch {rss.peak_other / 1024:5.0f} MiB"
                )
                target = 150 if phase == "cold" else 2000
                print(f"       target >= {target} docs/s: {'PASS' if rate >= target else 'FAIL'}")
        finally:
            if not args.keep_data:
                for old in await index.versioned_indices():
                    await index.delete_index(old)
                with admin.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            admin.dispose()


if __name__ == "__main__":
    asyncio.run(main())
