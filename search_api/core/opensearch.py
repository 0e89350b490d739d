"""OpenSearch clients. All query DSL lives in search_api.search, not here."""

from __future__ import annotations

from opensearchpy import AsyncOpenSearch, OpenSearch


def make_async_client(url: str, timeout_seconds: float) -> AsyncOpenSearch:
    # No retries: a search that cannot reach OpenSearch falls back to Postgres at once.
    return AsyncOpenSearch(
        hosts=[url],
        timeout=timeout_seconds,
        max_retries=0,
        retry_on_timeout=False,
        http_compress=False,
    )


def make_client(url: str, timeout_seconds: float = 30.0) -> OpenSearch:
    return OpenSearch(hosts=[url], timeout=timeout_seconds, max_retries=0, retry_on_timeout=False)
