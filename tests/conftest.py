"""Shared fixtures. Integration tests use the real services that `make test` starts."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TEST_DATABASE_URL = os.environ.get(
    "CC_TEST_DATABASE_URL", "postgresql+psycopg://careers:careers@127.0.0.1:5433/careers_test"
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration" in str(item.path) or "tests/relevance" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def base_settings() -> Settings:
    return Settings(database_url=TEST_DATABASE_URL, preload_embedder=False)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    model = Embedder()
    model.load()
    return model
