"""The real services answer: OpenSearch with k-NN and our analyzers, PostgreSQL, Redis."""

from __future__ import annotations

import uuid

import psycopg
import redis
from opensearchpy import OpenSearch

from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings

DOCS = [
    {"name": "Software Engineer", "text": "writes computer programs and builds apps"},
    {"name": "Veterinarian", "text": "treats sick animals such as dogs, cows and horses"},
    {"name": "Chartered Accountant", "text": "audits company accounts and files taxes"},
]


def _index_body() -> dict[str, object]:
    return {
        "settings": {
            "index": {"knn": True, "number_of_shards": 1, "number_of_replicas": 0},
            "analysis": {
                "filter": {
                    "cc_synonyms": {"type": "synonym_graph", "synonyms": ["maths, mathematics"]},
                    "cc_edge": {"type": "edge_ngram", "min_gram": 2, "max_gram": 15},
                },
                "analyzer": {
                    "cc_autocomplete": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "cc_edge"],
                    },
                    "cc_search": {"tokenizer": "standard", "filter": ["lowercase", "cc_synonyms"]},
                },
            },
        },
        "mappings": {
            "properties": {
                "name": {
                    "type": "text",
                    "analyzer": "english",
                    "fields": {
                        "autocomplete": {
                            "type": "text",
                            "analyzer": "cc_autocomplete",
                            "search_analyzer": "standard",
                        }
                    },
                },
                "text": {"type": "text", "analyzer": "standard", "search_analyzer": "cc_search"},
                "embedding": {
                    "type": "knn_vector",
                    "dimension": 384,
                    "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
                },
            }
        },
    }


def test_cluster_is_up_with_knn_plugin(opensearch: OpenSearch) -> None:
    health = opensearch.cluster.health()
    assert health["status"] in {"green", "yellow"}
    plugins = opensearch.cat.plugins(format="json")
    names = {p["component"]: p["version"] for p in plugins}
    assert names.get("opensearch-knn") == "2.19.1.0"
    assert opensearch.info()["version"]["number"] == "2.19.1"


def test_knn_and_fuzzy_queries(opensearch: OpenSearch, index_name: str, embedder: Embedder) -> None:
    opensearch.indices.create(index=index_name, body=_index_body())
    vectors = embedder.encode([f"{d['name']}: {d['text']}" for d in DOCS])
    assert all(len(v) == 384 for v in vectors)
    for i, (doc, vector) in enumerate(zip(DOCS, vectors, strict=True)):
        opensearch.index(index=index_name, id=str(i), body={**doc, "embedding": vector})
    opensearch.indices.refresh(index=index_name)

    mapping = opensearch.indices.get_mapping(index=index_name)[index_name]["mappings"]
    assert mapping["properties"]["embedding"]["method"]["engine"] == "lucene"

    query_vector = embedder.encode(["I love caring for pets and farm animals"])[0]
    knn = opensearch.search(
        index=index_name,
        body={"size": 3, "query": {"knn": {"embedding": {"vector": query_vector, "k": 3}}}},
    )
    assert knn["hits"]["hits"][0]["_source"]["name"] == "Veterinarian"

    fuzzy = opensearch.search(
        index=index_name,
        body={
            "query": {"multi_match": {"query": "enginer", "fields": ["name"], "fuzziness": "AUTO"}}
        },
    )
    assert [h["_source"]["name"] for h in fuzzy["hits"]["hits"]] == ["Software Engineer"]

    prefix = opensearch.search(
        index=index_name, body={"query": {"match": {"name.autocomplete": "accou"}}}
    )
    assert [h["_source"]["name"] for h in prefix["hits"]["hits"]] == ["Chartered Accountant"]


def test_synonym_graph_applies_at_search_time(opensearch: OpenSearch, index_name: str) -> None:
    opensearch.indices.create(index=index_name, body=_index_body())
    opensearch.index(
        index=index_name,
        id="1",
        body={"name": "Statistician", "text": "loves mathematics"},
        refresh=True,
    )
    hits = opensearch.search(index=index_name, body={"query": {"match": {"text": "maths"}}})
    assert hits["hits"]["total"]["value"] == 1


def test_postgres_round_trip(base_settings: Settings) -> None:
    url = base_settings.database_url.replace("+psycopg", "")
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TEMP TABLE probe (id int PRIMARY KEY, note text)")
        conn.execute("INSERT INTO probe VALUES (1, %s)", ("नमस्ते career",))
        assert conn.execute("SELECT note FROM probe WHERE id = 1").fetchone() == ("नमस्ते career",)
        conn.rollback()


def test_redis_round_trip(base_settings: Settings) -> None:
    client = redis.Redis.from_url(base_settings.redis_url)
    key = f"test:{uuid.uuid4().hex}"
    try:
        client.set(key, b"value", ex=30)
        assert client.get(key) == b"value"
        assert 0 < client.ttl(key) <= 30
    finally:
        client.delete(key)
        client.close()
