"""Vectors cached in Postgres by sha256(model name + text).

An unchanged career is never re-encoded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import Engine, select
from sqlalchemy.dialects.postgresql import insert

from indexer.models import EmbeddingCacheEntry
from search_api.core.embeddings import Embedder

Vector = npt.NDArray[np.float32]


def cache_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


@dataclass
class EmbedStats:
    computed: int = 0
    cached: int = 0


class CachedEmbedder:
    def __init__(self, engine: Engine, embedder: Embedder, encode_batch: int = 64) -> None:
        self.engine = engine
        self.embedder = embedder
        self.encode_batch = encode_batch
        self.stats = EmbedStats()

    def vectors(self, texts: Sequence[str]) -> list[Vector]:
        """Unit vectors as float32 arrays (the OpenSearch serializer writes them directly)."""
        keys = [cache_key(self.embedder.name, t) for t in texts]
        found: dict[str, Vector] = {}
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(EmbeddingCacheEntry.key, EmbeddingCacheEntry.vector).where(
                    EmbeddingCacheEntry.key.in_(set(keys)),
                    EmbeddingCacheEntry.dimensions == self.embedder.dimensions,
                )
            )
            for row in rows:
                found[row.key] = np.frombuffer(row.vector, dtype="<f4")
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            encoded = self.embedder.encode([t for _, t in missing], batch_size=self.encode_batch)
            new_rows = []
            for (key, _), values in zip(missing, encoded, strict=True):
                vector = np.asarray(values, dtype="<f4")
                found[key] = vector
                new_rows.append(
                    {
                        "key": key,
                        "model": self.embedder.name,
                        "dimensions": len(vector),
                        "vector": vector.tobytes(),
                    }
                )
            with self.engine.begin() as conn:
                conn.execute(insert(EmbeddingCacheEntry).values(new_rows).on_conflict_do_nothing())
        self.stats.computed += len(missing)
        self.stats.cached += len(texts) - len(missing)
        return [found[k] for k in keys]
