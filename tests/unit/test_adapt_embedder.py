"""The adaptation experiment's training data (scripts/adapt_embedder.py): pure list work."""

from __future__ import annotations

import random
import sys
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import adapt_embedder


def career(cid: str, name: str, aliases: list[str], hinglish: list[str]) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        id=cid,
        name=name,
        aliases=aliases,
        hinglish=hinglish,
        description=f"{name}s do one thing. They also do another.",
    )


CAREERS = [
    career("doctor", "Doctor", ["Physician", "MBBS doctor", "Doctor"], ["daktar"]),
    career("lawyer", "Lawyer", ["Advocate"], ["vakeel", "wakil"]),
    career("pilot", "Pilot", [], []),
]


def test_pairs_hold_a_careers_own_titles_against_its_name_and_first_sentence() -> None:
    pairs = adapt_embedder.training_pairs(CAREERS, 2, random.Random(1))

    by_career: dict[str, list[tuple[str, str, str]]] = {}
    for pair in pairs:
        by_career.setdefault(pair[2], []).append(pair)
    assert {k: len(v) for k, v in by_career.items()} == {"doctor": 2, "lawyer": 2}
    for title, positive, cid in pairs:
        source = next(c for c in CAREERS if c.id == cid)
        assert title in {*source.aliases, *source.hinglish} - {source.name}
        assert positive == f"{source.name}\n{source.name}s do one thing."
    assert adapt_embedder.training_pairs(CAREERS, 2, random.Random(1)) == pairs


def test_no_batch_holds_two_pairs_of_one_career_and_none_is_lost() -> None:
    pairs = adapt_embedder.training_pairs(CAREERS, 5, random.Random(3))

    batches = adapt_embedder.batches(pairs, 2, random.Random(3))

    assert sorted(p for b in batches for p in b) == sorted(pairs)
    for batch in batches:
        assert 1 <= len(batch) <= 2
        assert len({p[2] for p in batch}) == len(batch)
