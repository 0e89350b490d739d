"""Query vectors: a batch of queries gets the vectors each would get alone, remembered
queries are answered from memory, and ONNX Runtime gives the vectors torch gives (the real
model, loaded offline)."""

from __future__ import annotations

from pathlib import Path

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
    real = fresh.encode_short

    def counting(texts: list[str]) -> list[list[float]]:
        calls.append(list(texts))
        return real(texts)

    monkeypatch.setattr(fresh, "encode_short", counting)
    assert await fresh.aencode_query("pilot") == first[0]
    assert await fresh.aencode_queries(["chartered accountant", "pilot"]) == [first[1], first[0]]
    assert calls == []
    await fresh.aencode_queries(["pilot", "nurse"])
    assert calls == [["nurse"]]  # only what was not remembered


QUERIES = ["doctor", "docter", "I love animals and want to work outdoors", "CA", "वकील"]


def test_onnx_queries_get_the_vectors_torch_gives(embedder: Embedder, tmp_path: Path) -> None:
    onnx = Embedder(embedder.model_path, cache_dir=str(tmp_path))
    torch_fp32 = Embedder(embedder.model_path, query_runtime="torch", bf16=False)
    onnx.load(queries=True)
    assert onnx.runtime == "onnx"
    assert list(tmp_path.glob("minilm-*.onnx")), "the export is kept for the next start"
    batch = onnx.encode_short(QUERIES)
    for text, vector, expected in zip(
        QUERIES, batch, torch_fp32.encode_short(QUERIES), strict=True
    ):
        assert np.dot(vector, expected) > 0.99999, text
        assert abs(np.linalg.norm(vector) - 1.0) < 1e-5, text
    # padding in a batch changes nothing: each text alone gets the same vector
    for text, vector in zip(QUERIES, batch, strict=True):
        assert np.dot(vector, onnx.encode_short([text])[0]) > 0.99999, text


def test_an_export_that_cannot_be_written_leaves_queries_in_torch(
    embedder: Embedder, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be", encoding="utf-8")
    fallback = Embedder(embedder.model_path, cache_dir=str(blocked / "models"))
    vector = fallback.encode_short(["doctor"])[0]
    assert fallback.runtime == "torch"
    assert np.dot(vector, embedder.encode_short(["doctor"])[0]) > 0.9999
