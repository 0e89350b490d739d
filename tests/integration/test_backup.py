"""careers-admin backup / restore against the real PostgreSQL and OpenSearch: a restored database
reindexes to the same documents and the same answers; bad input is one line and exit code 1."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from opensearchpy import AsyncOpenSearch, OpenSearch
from sqlalchemy import text

from indexer.backup import BackupError, find_tool, tool_major
from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.database import scratch_database, sessionmaker_for, upgrade_to_head
from tests.fixtures.indexing import load_and_index
from tests.fixtures.services import ROOT, closed_port

SEARCH = "/api/v1/careers/search"
# Typos, an abbreviation, a phrase, and facets with and without a query.
QUERIES: list[dict[str, str]] = [
    {"q": "docter"},
    {"q": "BSc nursing"},
    {"q": "I enjoy solving puzzles"},
    {"q": "engineer", "stream": "PCM"},
    {"category": "Medicine"},
]


def cli(database_url: str, alias: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "CC_DATABASE_URL": database_url, "CC_OPENSEARCH_ALIAS": alias},
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def table_counts(database_url: str) -> dict[str, int]:
    engine = make_sync_engine(database_url)
    try:
        with engine.connect() as conn:
            tables = conn.scalars(
                text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
            ).all()
            return {t: int(conn.scalar(text(f'SELECT count(*) FROM "{t}"')) or 0) for t in tables}
    finally:
        engine.dispose()


class Restored:
    """The real catalogue in one database, backed up with the CLI and restored (and reindexed)
    into a second, empty one."""

    def __init__(
        self,
        source: Settings,
        restored: Settings,
        backup: subprocess.CompletedProcess[str],
        restore: subprocess.CompletedProcess[str],
        archive: Path,
        source_counts: dict[str, int],
    ) -> None:
        self.source = source
        self.source_counts = source_counts
        self.restored = restored
        self.backup = backup
        self.restore = restore
        self.archive = archive


@pytest.fixture(scope="module")
async def restored(
    base_settings: Settings,
    opensearch: OpenSearch,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[Restored]:
    tag = uuid.uuid4().hex[:8]
    source_alias, restored_alias = f"test_bk_src_{tag}", f"test_bk_dst_{tag}"
    archive = tmp_path_factory.mktemp("backup") / "careers.dump"
    with (
        scratch_database(base_settings.database_url) as source_url,
        scratch_database(base_settings.database_url) as restored_url,
    ):
        try:
            upgrade_to_head(source_url)
            async with sessionmaker_for(source_url) as sessionmaker:
                await load_and_index(
                    sessionmaker,
                    async_opensearch,
                    embedder,
                    base_settings,
                    ROOT / "data",
                    source_alias,
                )
            backup = cli(source_url, source_alias, "backup", str(archive))
            # As backed up: the searches below record analytics rows in the source afterwards.
            source_counts = table_counts(source_url)
            restore = cli(restored_url, restored_alias, "restore", str(archive))
            yield Restored(
                base_settings.model_copy(
                    update={"database_url": source_url, "opensearch_alias": source_alias}
                ),
                base_settings.model_copy(
                    update={"database_url": restored_url, "opensearch_alias": restored_alias}
                ),
                backup,
                restore,
                archive,
                source_counts,
            )
        finally:
            for alias in (source_alias, restored_alias):
                opensearch.indices.delete(index=f"{alias}*", ignore_unavailable=True)


def test_backup_succeeds(restored: Restored) -> None:
    assert restored.backup.returncode == 0, restored.backup.stderr


def test_backup_is_a_custom_format_archive(restored: Restored) -> None:
    assert restored.archive.read_bytes()[:5] == b"PGDMP"


def test_restore_succeeds(restored: Restored) -> None:
    assert restored.restore.returncode == 0, restored.restore.stderr + restored.restore.stdout


def test_restore_reports_the_careers_it_restored(restored: Restored) -> None:
    careers = restored.source_counts["careers"]
    assert f"restore: {careers} careers restored" in restored.restore.stdout


def test_restored_database_has_every_row(restored: Restored) -> None:
    # reindex_runs is left out: the restore's own reindex adds its run to the history.
    source, copy = (
        {t: n for t, n in counts.items() if t != "reindex_runs"}
        for counts in (restored.source_counts, table_counts(restored.restored.database_url))
    )
    assert copy == source


def test_restored_index_has_the_same_document_count(
    restored: Restored, opensearch: OpenSearch
) -> None:
    counts = {
        opensearch.count(index=s.opensearch_alias)["count"]
        for s in (restored.source, restored.restored)
    }
    assert counts == {restored.source_counts["careers"]}


def test_restored_index_reused_the_backed_up_vectors(restored: Restored) -> None:
    assert "vectors computed 0" in restored.restore.stdout


@pytest.mark.parametrize(
    "params", QUERIES, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items())
)
async def test_restored_index_answers_the_same(restored: Restored, params: dict[str, str]) -> None:
    answers = []
    for settings in (restored.source, restored.restored):
        async with api_client(settings) as api:
            response = await api.get(SEARCH, params={**params, "size": "20"})
        data = response.json()["data"]
        answers.append((data["total"], [hit["id"] for hit in data["results"]]))
    (total, ids), (restored_total, restored_ids) = answers
    # Same documents, exact scores on both legs (query.knn_query): the same page.
    assert (restored_total, restored_ids) == (total, ids)


@pytest.fixture(scope="module")
def scratch(base_settings: Settings) -> Iterator[str]:
    with scratch_database(base_settings.database_url) as url:
        yield url


def test_restore_refuses_a_database_that_is_not_empty(restored: Restored) -> None:
    done = cli(restored.source.database_url, "unused", "restore", str(restored.archive))
    assert (done.returncode, "is not empty" in done.stderr) == (1, True), done.stderr


def test_restore_force_replaces_a_database_with_tables(
    restored: Restored, base_settings: Settings
) -> None:
    with scratch_database(base_settings.database_url) as url:
        upgrade_to_head(url)
        done = cli(url, "unused", "restore", "--force", "--no-reindex", str(restored.archive))
        assert done.returncode == 0, done.stderr
        assert table_counts(url) == restored.source_counts


def test_restore_of_a_missing_file_names_it(scratch: str, tmp_path: Path) -> None:
    missing = tmp_path / "nope.dump"
    done = cli(scratch, "unused", "restore", str(missing))
    assert (done.returncode, done.stderr.strip()) == (1, f"error: {missing}: no such file")


def test_restore_of_a_file_that_is_not_a_dump(scratch: str, tmp_path: Path) -> None:
    wrong = tmp_path / "careers.yaml"
    wrong.write_text("id: doctor\n")
    done = cli(scratch, "unused", "restore", str(wrong))
    assert (done.returncode, "not a pg_dump custom-format archive" in done.stderr) == (1, True)


def test_restore_of_a_plain_sql_dump_says_so(scratch: str, tmp_path: Path) -> None:
    plain = tmp_path / "careers.sql"
    plain.write_text("--\n-- PostgreSQL database dump\n--\n")
    done = cli(scratch, "unused", "restore", str(plain))
    assert (done.returncode, "a plain SQL dump" in done.stderr) == (1, True)


def test_restore_of_a_truncated_archive_restores_nothing(
    restored: Restored, scratch: str, tmp_path: Path
) -> None:
    cut = tmp_path / "cut.dump"
    cut.write_bytes(restored.archive.read_bytes()[:4096])
    done = cli(scratch, "unused", "restore", str(cut))
    assert (done.returncode, table_counts(scratch)) == (1, {}), done.stderr


def test_backup_will_not_overwrite_without_force(restored: Restored) -> None:
    done = cli(restored.source.database_url, "unused", "backup", str(restored.archive))
    assert (done.returncode, "already exists; pass --force" in done.stderr) == (1, True)


def test_backup_into_a_missing_directory(scratch: str, tmp_path: Path) -> None:
    done = cli(scratch, "unused", "backup", str(tmp_path / "no" / "such.dump"))
    assert (done.returncode, done.stderr.strip()) == (
        1,
        f"error: {tmp_path / 'no'}: no such directory",
    )


def test_backup_with_postgres_down_exits_2(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://careers:careers@127.0.0.1:{closed_port()}/careers"
    done = cli(url, "unused", "backup", str(tmp_path / "x.dump"))
    assert (done.returncode, "unreachable" in done.stderr) == (2, True)


def test_backup_output_never_shows_the_password(restored: Restored) -> None:
    assert "careers:careers@" not in restored.backup.stdout + restored.backup.stderr


def test_pg_dump_matches_the_server_major_version() -> None:
    tool, major = find_tool("pg_dump", 15)
    assert (major, tool_major(tool)) == (15, 15)


def test_no_pg_dump_for_a_future_server_names_the_package() -> None:
    with pytest.raises(BackupError, match="postgresql-client-99"):
        find_tool("pg_dump", 99)
