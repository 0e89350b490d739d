"""Vectors cached in Postgres by sha256(model name + text).

An unchanged career is never re-encoded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.repository import IndexerRepository
from search_api.core.embeddings import Embedder

Vector = npt.NDArray[np.float32]


def cache_key(model_name: str, text: str) -> str:
    return hashlib.sha256(f"{model_name}\x00{text}".encode()).hexdigest()


@dataclass
class EmbedStats:
    computed: int = 0
    cached: int = 0


class CachedEmbedder:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        encode_batch: int = 64,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.embedder = embedder
        self.encode_batch = encode_batch
        self.stats = EmbedStats()

    async def vectors(self, texts: Sequence[str]) -> list[Vector]:
        """Unit vectors as float32 arrays (the OpenSearch serializer writes them directly).

        Encoding runs in a worker thread, so a bulk request in flight keeps going meanwhile.
        """
        keys = [cache_key(self.embedder.name, t) for t in texts]
        async with self.sessionmaker() as session:
            stored = await IndexerRepository(session).cached_vectors(keys, self.embedder.dimensions)
        found: dict[str, Vector] = {k: np.frombuffer(v, dtype="<f4") for k, v in stored.items()}
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        if missing:
            encoded = await self.embedder.aencode(
                [t for _, t in missing], batch_size=self.encode_batch
            )
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
            async with self.sessionmaker() as session, session.begin():
                await IndexerRepository(session).store_vectors(new_rows)
        self.stats.computed += len(missing)
        self.stats.cached += len(texts) - len(missing)
        return [found[k] for k in keys]
