"""OpenSearch clients. All query DSL lives in search_api.search, not here."""

from __future__ import annotations

from typing import Any

import orjson
from opensearchpy import AsyncOpenSearch, AsyncTransport, JSONSerializer, OpenSearch


class FastJSONSerializer(JSONSerializer):
    """orjson instead of the stdlib: a 10,000-career bulk load carries 3.8 million vector
    floats, and numpy float32 arrays are written directly with their shortest repr."""

    def dumps(self, data: Any) -> str:
        if isinstance(data, str):
            return data
        return orjson.dumps(
            data, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
        ).decode()

    def loads(self, s: str | bytes) -> Any:
        return orjson.loads(s)


def opensearch_hosts(url: str) -> list[str]:
    """CC_OPENSEARCH_URL may name several nodes of one cluster, comma-separated."""
    hosts = [part.strip() for part in url.split(",") if part.strip()]
    if not hosts:
        raise ValueError("the OpenSearch URL names no host")
    return hosts


def _retries(hosts: list[str]) -> int:
    # A request that cannot connect to one node is sent to the next (the failed node is marked
    # dead and skipped for a while), so a dead node fails no request while another is up. With
    # one host there is nothing to retry: a search falls back to Postgres at once. Timeouts are
    # not retried: the search deadline is already spent by then.
    return len(hosts) - 1


class ClosingTransport(AsyncTransport):
    """Closes every node's connection, not only the live ones: opensearch-py's close skips a
    connection marked dead (a killed node), whose aiohttp session then warns "Unclosed client
    session" at exit."""

    async def close(self) -> None:
        await super().close()
        # one host: a DummyConnectionPool, which has only `connections` and never marks dead
        for connection in getattr(self.connection_pool, "orig_connections", ()):
            await connection.close()  # a second close of a closed one does nothing


def make_async_client(url: str, timeout_seconds: float) -> AsyncOpenSearch:
    hosts = opensearch_hosts(url)
    return AsyncOpenSearch(
        hosts=hosts,
        transport_class=ClosingTransport,
        timeout=timeout_seconds,
        max_retries=_retries(hosts),
        retry_on_timeout=False,
        http_compress=False,
        serializer=FastJSONSerializer(),
    )


def make_client(url: str, timeout_seconds: float = 30.0) -> OpenSearch:
    hosts = opensearch_hosts(url)
    return OpenSearch(
        hosts=hosts,
        timeout=timeout_seconds,
        max_retries=_retries(hosts),
        retry_on_timeout=False,
        serializer=FastJSONSerializer(),
    )
