"""How much adapting the embedding model to a catalogue's titles helps (indexer/adapt.py).

Usage: python scripts/adapt_embedder.py --catalogue scale|ours [--out DIR] [--per-career 20]
                                        [--sentences 0] [--abbreviations] [--seed 7]

Trains the model careers-admin adapt-model trains, but from the catalogue files rather than
PostgreSQL (the scale catalogue is built on the fly), and prints the dense leg alone (exact
cosine over every career's embedding text) per kind and split for the bundled and the adapted
model. The judged queries are never seen: the scale set's alternative titles are held out of
every alias, and ours are written apart from the catalogue.

The whole product is then judged with the saved model on its own schema and alias (the model
folder names itself, so its vectors are cached apart, and sets its fusion weight):

    CC_EMBEDDING_MODEL_PATH=DIR python scripts/eval_scale.py --schema scale_adapted \
        --alias scale_adapted --cold --keep
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import types
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parents[1]


def load(catalogue: str) -> tuple[list[Any], list[tuple[str, str, set[str], str]]]:
    """Careers (attribute access) and judged queries as (query, kind, relevant, split)."""
    if catalogue == "scale":
        import build_scale_catalogue as scale

        # the scale records have no Hinglish spellings; the product's rows have the column
        careers = [types.SimpleNamespace(**{"hinglish": [], **c}) for c in scale.build().careers]
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
    from indexer.adapt import nearest

    hits: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    tops = nearest(model, careers, [q for q, *_ in judged])
    for (_, kind, relevant, split), top in zip(judged, tops, strict=True):
        for key in ((split, kind), (split, "all")):
            hits[key][0] += 1
            hits[key][1] += int(bool(relevant & top))
    for split in ("tune", "test"):
        kinds = [*sorted(k for s, k in hits if s == split and k != "all"), "all"]
        cells = "  ".join(f"{k} {hits[split, k][1] / hits[split, k][0]:.3f}" for k in kinds)
        print(f"dense leg alone, hit@5, {label}, {split}: {cells}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--catalogue", choices=("scale", "ours"), required=True)
    parser.add_argument("--out", type=Path, help="save the adapted model here")
    parser.add_argument("--per-career", type=int, default=20, help="titles per career")
    parser.add_argument(
        "--sentences", type=int, default=0, help="other description sentences per career"
    )
    parser.add_argument(
        "--abbreviations",
        action="store_true",
        help="learn one-word abbreviations (CA, MBBS) too",
    )
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from rich.progress import Progress
    from sentence_transformers import SentenceTransformer

    from indexer.adapt import Recipe, adapt
    from search_api.core.embeddings import bundled_model_path

    careers, judged = load(args.catalogue)
    dense_hit5(
        SentenceTransformer(str(bundled_model_path()), device="cpu"), careers, judged, "bundled"
    )
    recipe = Recipe(
        per_career=args.per_career,
        sentences=args.sentences,
        abbreviations=args.abbreviations,
        epochs=args.epochs,
        lr=args.lr,
        seed=args.seed,
    )
    with tempfile.TemporaryDirectory() as scratch:
        out = args.out or Path(scratch)
        with Progress() as bar:
            task = bar.add_task("training", total=None)
            result = adapt(
                careers,
                out,
                recipe,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
        print(
            f"{result.pairs} pairs from {result.careers} careers, {result.steps} steps, "
            f"trained in {result.seconds:.0f} s; model {result.name}"
        )
        dense_hit5(SentenceTransformer(str(out), device="cpu"), careers, judged, "adapted")
        if args.out:
            print(f"saved to {args.out}")


if __name__ == "__main__":
    main()
