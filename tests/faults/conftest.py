"""Fixtures of the fault-injection tests: a private OpenSearch and Redis for the session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fixtures.private_services import PrivateServices


@pytest.fixture(scope="session")
def private() -> Iterator[PrivateServices]:
    services = PrivateServices()
    services.services("start", "opensearch", "redis")
    try:
        yield services
    finally:
        services.services("stop", "opensearch", "redis")
