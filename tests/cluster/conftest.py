"""Fixtures for the cluster tests: one real 3-node cluster per session, the real catalogue in a
private Postgres schema, and an index with 3 shards and 1 replica behind a private alias."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from opensearchpy import OpenSearch
from sqlalchemy import Engine

from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from tests.fixtures.cluster import REPLICAS, SHARDS, Cluster
from tests.fixtures.database import migrated_schema, sessionmaker_for
from tests.fixtures.services import ROOT


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    """Started here unless it already runs (then it is left running afterwards)."""
    cluster = Cluster()
    was_running = cluster.running()
    # The JVMs boot while the catalogue loads and its vectors are computed (catalogue_url);
    # healthy_cluster waits for them.
    cluster.start_in_background()
    try:
        yield cluster
    finally:
        if not was_running:
            cluster.stop()


@pytest.fixture
def healthy_cluster(cluster: Cluster) -> Cluster:
    """Every test starts from three nodes and green, whatever the previous one killed."""
    cluster.start()
    cluster.wait_for("green", cluster.nodes)
    cluster.statuses.clear()
    return cluster


@pytest.fixture
def cluster_client(healthy_cluster: Cluster) -> Iterator[OpenSearch]:
    client = healthy_cluster.client(timeout_seconds=60)
    yield client
    client.close()


@pytest.fixture(scope="session")
async def catalogue_url(
    base_settings: Settings, cluster: Cluster, embedder: Embedder
) -> AsyncIterator[str]:
    """data/ loaded once into a private schema, with every career's vector already cached, so
    the reindexes of the tests only bulk-load. It asks for `cluster` only to run after it: the
    nodes boot in the background meanwhile."""
    from indexer.embedding_cache import CachedEmbedder
    from indexer.loader import load_catalogue
    from search_api.careers.repository import CatalogueRepository
    from search_api.search.documents import embedding_text

    with migrated_schema(base_settings.database_url) as url:
        async with sessionmaker_for(url) as sessionmaker:
            await load_catalogue(sessionmaker, ROOT / "data")
            async with sessionmaker() as session:
                rows = await CatalogueRepository(session).document_rows()
            await CachedEmbedder(sessionmaker, embedder).vectors([embedding_text(r) for r in rows])
        yield url


@pytest.fixture
def catalogue_engine(catalogue_url: str) -> Iterator[Engine]:
    engine = make_sync_engine(catalogue_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cluster_alias(cluster: Cluster) -> Iterator[str]:
    alias = f"test_cluster_{uuid.uuid4().hex[:8]}"
    yield alias
    client = cluster.client()
    try:
        client.indices.delete(index=f"{alias}*", ignore_unavailable=True, expand_wildcards="all")
    finally:
        client.close()


@pytest.fixture
def cluster_settings(
    base_settings: Settings, catalogue_url: str, healthy_cluster: Cluster, cluster_alias: str
) -> Settings:
    return base_settings.model_copy(
        update={
            "database_url": catalogue_url,
            "opensearch_url": healthy_cluster.url,
            "opensearch_alias": cluster_alias,
            "opensearch_shards": SHARDS,
            "opensearch_replicas": REPLICAS,
            # Slowness is not what these tests measure: two cores run three JVMs, the API and
            # a node restart at once. A search that hits the deadline falls back to Postgres
            # and would be counted as failed, so the deadline is generous here.
            "search_timeout_seconds": 15.0,
        }
    )
