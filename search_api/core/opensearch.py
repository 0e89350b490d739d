"""OpenSearch clients. All query DSL lives in search_api.search, not here."""

from __future__ import annotations

from typing import Any

import orjson
from opensearchpy import AsyncOpenSearch, JSONSerializer, OpenSearch


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


def make_async_client(url: str, timeout_seconds: float) -> AsyncOpenSearch:
    # No retries: a search that cannot reach OpenSearch falls back to Postgres at once.
    return AsyncOpenSearch(
        hosts=[url],
        timeout=timeout_seconds,
        max_retries=0,
        retry_on_timeout=False,
        http_compress=False,
        serializer=FastJSONSerializer(),
    )


def make_client(url: str, timeout_seconds: float = 30.0) -> OpenSearch:
    return OpenSearch(
        hosts=[url],
        timeout=timeout_seconds,
        max_retries=0,
        retry_on_timeout=False,
        serializer=FastJSONSerializer(),
    )
