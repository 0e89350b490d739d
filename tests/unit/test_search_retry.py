"""How CareerIndex classifies OpenSearch failures: a node dying mid-request (retried once by
search) versus unreachable or too slow (fallback at once) versus our own bad request."""

from __future__ import annotations

import pytest
from opensearchpy.exceptions import ConnectionError as OpenSearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, RequestError, TransportError

from search_api.search.index import (
    NO_ANSWER,
    IndexRequestFailed,
    IndexUnavailable,
    NodeFailure,
    _hits,
    _translate,
)


def test_a_complete_answer_passes_through() -> None:
    response = {
        "_shards": {"total": 3, "successful": 3, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": 0}, "hits": []},
    }
    assert _hits(response).total == 0


def test_an_answer_missing_shards_is_a_node_failure() -> None:
    response = {"_shards": {"total": 3, "successful": 1, "failed": 2}, "hits": {"hits": []}}
    with pytest.raises(NodeFailure, match="2 of 3 shards failed"):
        _hits(response)


@pytest.mark.parametrize(
    "exc",
    [
        TransportError(500, "search_phase_execution_exception", {}),
        TransportError(503, "no_shard_available_action_exception", {}),
    ],
)
def test_server_errors_are_node_failures(exc: Exception) -> None:
    assert isinstance(_translate(exc), NodeFailure)


@pytest.mark.parametrize(
    "exc",
    [
        # Unreachable or too slow: retrying would only spend the deadline; these fall back.
        OpenSearchConnectionError("N/A", "refused", OSError()),
        ConnectionTimeout("TIMEOUT", "timed out", OSError()),
    ],
)
def test_unreachable_is_not_retried_but_falls_back(exc: Exception) -> None:
    translated = _translate(exc)
    assert isinstance(translated, IndexUnavailable)
    assert not isinstance(translated, NodeFailure)


def test_a_refused_request_is_ours_to_fix_not_an_outage() -> None:
    translated = _translate(RequestError(400, "parsing_exception", {}))
    assert isinstance(translated, IndexRequestFailed)
    assert not isinstance(translated, NO_ANSWER)


def test_node_failures_after_the_retry_fall_back_like_an_outage() -> None:
    assert issubclass(NodeFailure, NO_ANSWER)
