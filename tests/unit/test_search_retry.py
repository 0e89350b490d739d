"""Which OpenSearch failures a search retries: those of a node dying mid-request."""

from __future__ import annotations

import pytest
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, NotFoundError, RequestError, TransportError

from search_api.search.service import (
    SEARCH_UNREACHABLE,
    IncompleteResults,
    node_died_mid_search,
    require_all_shards,
)


def test_a_complete_answer_passes_through() -> None:
    response = {"_shards": {"total": 3, "successful": 3, "skipped": 0, "failed": 0}, "hits": {}}
    assert require_all_shards(response) is response


def test_an_answer_missing_shards_is_incomplete() -> None:
    response = {"_shards": {"total": 3, "successful": 1, "failed": 2}, "hits": {"hits": []}}
    with pytest.raises(IncompleteResults, match="2 of 3 shards failed"):
        require_all_shards(response)


@pytest.mark.parametrize(
    "exc",
    [
        IncompleteResults("1 of 3 shards failed"),
        TransportError(500, "search_phase_execution_exception", {}),
        TransportError(503, "no_shard_available_action_exception", {}),
    ],
)
def test_node_failures_are_retried(exc: Exception) -> None:
    assert node_died_mid_search(exc)


@pytest.mark.parametrize(
    "exc",
    [
        RequestError(400, "parsing_exception", {}),
        NotFoundError(404, "index_not_found_exception", {}),
        # Unreachable or too slow: retrying would only spend the deadline; these fall back.
        OpenSearchConnectionError("N/A", "refused", OSError()),
        ConnectionTimeout("TIMEOUT", "timed out", OSError()),
        ValueError("a bug"),
    ],
)
def test_other_failures_are_not(exc: Exception) -> None:
    assert not node_died_mid_search(exc)


def test_incomplete_results_after_the_retry_fall_back_like_an_outage() -> None:
    assert issubclass(IncompleteResults, SEARCH_UNREACHABLE)
