"""A hung (SIGSTOP) OpenSearch or Redis costs each request almost nothing once its circuit
breaker has opened; the breaker's probe finds the dependency again (issue 9)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from opensearchpy import AsyncOpenSearch
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.loader import load_catalogue
from search_api.core.embeddings import Embedder
from search_api.core.opensearch import make_async_client
from search_api.core.settings import Settings
from tests.fixtures.api import api_client, warm_search
from tests.fixtures.catalogue import default_careers, many_careers, write_catalogue
from tests.fixtures.indexing import build_index
from tests.fixtures.private_services import PrivateServices

SessionMaker = async_sessionmaker[AsyncSession]
PROFILE = {"grade": 12, "stream": "PCM", "interests": ["building"], "skills": ["Mathematics"]}


@pytest.fixture
async def loaded(db_sessionmaker: SessionMaker, tmp_path: Path) -> Path:
    root = write_catalogue(tmp_path, default_careers() + many_careers(10))
    await load_catalogue(db_sessionmaker, root)
    return root


@pytest.fixture
async def private_opensearch(private: PrivateServices) -> AsyncIterator[AsyncOpenSearch]:
    client = make_async_client(private.opensearch_url, 60.0)
    yield client
    await client.close()


async def timed_search(api: httpx.AsyncClient, q: str) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await api.get("/api/v1/careers/search", params={"q": q})
    return time.perf_counter() - started, response


async def test_hung_opensearch_is_skipped_then_probed_back(
    private: PrivateServices,
    private_opensearch: AsyncOpenSearch,
    loaded: Path,
    db_sessionmaker: SessionMaker,
    embedder: Embedder,
    settings: Settings,
    index_name: str,
) -> None:
    hung_settings = settings.model_copy(
        update={
            "opensearch_url": private.opensearch_url,
            "opensearch_alias": index_name,
            "search_timeout_seconds": 1.0,
            "breaker_failures": 2,
            "breaker_cooldown_seconds": 3.0,
        }
    )
    await build_index(db_sessionmaker, private_opensearch, embedder, hung_settings, index_name)
    try:
        async with api_client(hung_settings) as api:
            await warm_search(api, "civil engineer")
            await asyncio.sleep(3.2)  # any warm-up timeouts' breaker state has cooled down
            await warm_search(api, "civil engineer")
            with private.hung("opensearch"):
                for _ in range(2):  # these pay the timeout and open the breaker
                    _, response = await timed_search(api, "civil engineer")
                    assert response.status_code == 200
                    assert response.json()["meta"]["degraded"] is True
                for i in range(5):
                    seconds, response = await timed_search(api, f"engineer {i}")
                    assert response.status_code == 200
                    assert response.json()["meta"]["degraded"] is True
                    assert seconds < 0.6, f"search {i} took {seconds:.2f} s with the breaker open"
            # after the cool-down a search probes the node and, once it answers, closes the
            # breaker (a node just resumed may need a moment: retried for up to 30 s)
            await asyncio.sleep(3.2)
            await warm_search(api, "mechanical engineer", seconds=30)
    finally:
        await private_opensearch.indices.delete(index=f"{index_name}*", ignore_unavailable=True)


async def test_hung_redis_costs_each_request_a_few_budgets_at_most(
    private: PrivateServices,
    async_opensearch: AsyncOpenSearch,
    loaded: Path,
    db_sessionmaker: SessionMaker,
    embedder: Embedder,
    settings: Settings,
    index_name: str,
) -> None:
    hung_settings = settings.model_copy(
        update={"redis_url": private.redis_url, "opensearch_alias": index_name}
    )
    await build_index(db_sessionmaker, async_opensearch, embedder, hung_settings, index_name)
    async with api_client(hung_settings) as api:
        await warm_search(api, "civil engineer")  # warm: model loaded, answer cached
        await api.post("/api/v1/recommendations", json=PROFILE)
        with private.hung("redis"):
            for i in range(6):
                seconds, response = await timed_search(api, "civil engineer" if i < 3 else "doctor")
                assert response.status_code == 200, response.text
                assert seconds < 1.0, f"search {i} took {seconds:.2f} s with Redis hung"
            started = time.perf_counter()
            recommended = await api.post("/api/v1/recommendations", json=PROFILE)
            seconds = time.perf_counter() - started
            assert recommended.status_code == 200, recommended.text
            assert seconds < 1.5, f"recommendations took {seconds:.2f} s with Redis hung"
