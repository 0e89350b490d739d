"""kill -9 of OpenSearch in the middle of `careers-admin reindex`: the CLI says so in one line
within seconds and exits non-zero; after a restart the next reindex succeeds and leaves no
partial index behind (issue 9). Runs on the private node, which it restarts."""

from __future__ import annotations

import time
from pathlib import Path

from opensearchpy import OpenSearch
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.loader import load_catalogue
from search_api.core.opensearch import make_client
from search_api.core.settings import Settings
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue
from tests.fixtures.cli import run_cli, start_cli
from tests.fixtures.private_services import PrivateServices

SessionMaker = async_sessionmaker[AsyncSession]


def versioned(client: OpenSearch, alias: str) -> list[str]:
    return sorted(client.indices.get(index=f"{alias}_v*", allow_no_indices=True))


async def test_opensearch_killed_mid_reindex(
    private: PrivateServices,
    db_sessionmaker: SessionMaker,
    settings: Settings,
    index_name: str,
    tmp_path: Path,
) -> None:
    await load_catalogue(
        db_sessionmaker, write_catalogue(tmp_path, default_careers() + many_careers(150))
    )
    target = settings.model_copy(
        update={"opensearch_url": private.opensearch_url, "opensearch_alias": index_name}
    )
    client = make_client(private.opensearch_url, 10.0)
    proc = start_cli(target, "reindex", "--batch-size", "8")
    try:
        deadline = time.monotonic() + 120
        while not versioned(client, index_name):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "reindex never created its index"
            time.sleep(0.05)
        private.kill("opensearch")
        killed_at = time.monotonic()
        _, stderr = proc.communicate(timeout=60)
        took = time.monotonic() - killed_at
    finally:
        if proc.poll() is None:
            proc.kill()
        client.close()
    assert proc.returncode != 0
    assert took < 15, f"the CLI took {took:.1f} s to give up"
    assert stderr.strip().count("\n") == 0, stderr
    assert stderr.startswith("error: "), stderr
    assert "Traceback" not in stderr

    private.services("start", "opensearch")
    client = make_client(private.opensearch_url, 30.0)
    try:
        rerun = run_cli(target, "reindex", "--batch-size", "64")
        assert rerun.returncode == 0, rerun.stderr
        indices = versioned(client, index_name)
        live = sorted(client.indices.get_alias(name=index_name))
        assert indices == live, f"left behind: {sorted(set(indices) - set(live))}"
        status = run_cli(target, "status")
        assert "(partial)" not in status.stdout
        assert "(in step)" in status.stdout
    finally:
        client.indices.delete(index=f"{index_name}*", ignore_unavailable=True)
        client.close()
