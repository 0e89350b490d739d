"""Query vectors: a batch of queries gets the vectors each would get alone, and remembered
queries are answered from memory (the real model, loaded offline)."""

from __future__ import annotations

import numpy as np
import pytest

from search_api.core.embeddings import Embedder


def test_a_batch_gives_each_query_its_own_vector(embedder: Embedder) -> None:
    texts = ["doctor", "Interests: coding, music, helping people"]
    fresh = Embedder(embedder.model_path)
    batch = fresh.encode_queries(texts)
    for text, vector in zip(texts, batch, strict=True):
        alone = Embedder(embedder.model_path).encode([text])[0]
        assert np.dot(vector, alone) > 0.9999, text


async def test_remembered_queries_do_not_reach_the_model(
    embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = Embedder(embedder.model_path)
    first = await fresh.aencode_queries(["pilot", "chartered accountant"])
    calls: list[list[str]] = []
    real = fresh.encode

    def counting(texts: list[str], batch_size: int = 16) -> list[list[float]]:
        calls.append(list(texts))
        return real(texts, batch_size)

    monkeypatch.setattr(fresh, "encode", counting)
    assert await fresh.aencode_query("pilot") == first[0]
    assert await fresh.aencode_queries(["chartered accountant", "pilot"]) == [first[1], first[0]]
    assert calls == []
    await fresh.aencode_queries(["pilot", "nurse"])
    assert calls == [["nurse"]]  # only what was not remembered
