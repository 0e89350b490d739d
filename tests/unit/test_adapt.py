"""Adapting the embedding model to a catalogue's titles (indexer/adapt.py): the training data,
and a real (tiny) training run whose folder the product then reads."""

from __future__ import annotations

import json
import random
import types
from pathlib import Path

from indexer import adapt
from search_api.core.embeddings import METADATA, Embedder, model_metadata
from search_api.search.fusion import NAMES, SENTENCES
from search_api.search.service import DEFAULT_FUSION, fusion_for


def career(cid: str, name: str, aliases: list[str], hinglish: list[str]) -> types.SimpleNamespace:
    return types.SimpleNamespace(
        id=cid,
        name=name,
        aliases=aliases,
        hinglish=hinglish,
        description=f"{name}s do one thing. They also do another.",
        skills=[],
        interests=[],
    )


CAREERS = [
    career("doctor", "Doctor", ["Physician", "MBBS doctor", "Doctor"], ["daktar"]),
    career("lawyer", "Lawyer", ["Advocate"], ["vakeel", "wakil"]),
    career("pilot", "Pilot", [], []),
]


def test_pairs_hold_a_careers_own_titles_against_its_name_and_first_sentence() -> None:
    recipe = adapt.Recipe(per_career=2)
    pairs = adapt.training_pairs(CAREERS, recipe, random.Random(1))

    by_career: dict[str, list[tuple[str, str, str]]] = {}
    for pair in pairs:
        by_career.setdefault(pair[2], []).append(pair)
    assert {k: len(v) for k, v in by_career.items()} == {"doctor": 2, "lawyer": 2}
    for title, positive, cid in pairs:
        source = next(c for c in CAREERS if c.id == cid)
        assert title in {*source.aliases, *source.hinglish} - {source.name}
        assert positive == f"{source.name}\n{source.name}s do one thing."
    assert adapt.training_pairs(CAREERS, recipe, random.Random(1)) == pairs


def test_sentence_pairs_come_from_the_description_after_its_first_sentence() -> None:
    recipe = adapt.Recipe(per_career=0, sentences=1)

    pairs = adapt.training_pairs(CAREERS, recipe, random.Random(2))

    assert pairs == [
        ("They also do another.", f"{c.name}\n{c.name}s do one thing.", c.id) for c in CAREERS
    ]


def test_abbreviations_are_left_out_unless_asked_for() -> None:
    doctor = career("doctor", "Doctor", ["MBBS", "B.Sc", "CA", "Physician", "HGV driver"], [])

    def titles(abbreviations: bool) -> set[str]:
        recipe = adapt.Recipe(per_career=9, abbreviations=abbreviations)
        return {p[0] for p in adapt.training_pairs([doctor], recipe, random.Random(4))}

    assert titles(False) == {"Physician", "HGV driver"}
    assert titles(True) == {"MBBS", "B.Sc", "CA", "Physician", "HGV driver"}
    assert not adapt.is_abbreviation("Vet")
    assert not adapt.is_abbreviation("daktar")


def test_a_held_out_title_is_never_learned() -> None:
    recipe = adapt.Recipe()
    held = adapt.hold_out(CAREERS, recipe, random.Random(6))

    pairs = adapt.training_pairs(CAREERS, recipe, random.Random(6), held)

    assert set(held) == {"doctor", "lawyer"}  # pilot has no title, lawyer and doctor three
    for cid, title in held.items():
        assert title in adapt.titles(next(c for c in CAREERS if c.id == cid), recipe)
        assert (cid, title) not in {(p[2], p[0]) for p in pairs}
    assert len(pairs) == 4


def test_the_check_finds_a_career_by_a_title_it_no_longer_holds() -> None:
    from sentence_transformers import SentenceTransformer

    from search_api.core.embeddings import bundled_model_path

    model = SentenceTransformer(str(bundled_model_path()), device="cpu")
    many = [*CAREERS, *(career(f"c{i}", f"Career {i}", [], []) for i in range(6))]

    assert adapt.held_out_hit5(model, many, {"lawyer": "Advocate"}) == 1.0
    assert adapt.held_out_hit5(model, many, {}) == 0.0


def test_no_batch_holds_two_pairs_of_one_career_and_none_is_lost() -> None:
    pairs = adapt.training_pairs(CAREERS, adapt.Recipe(per_career=5), random.Random(3))

    batches = adapt.batches(pairs, 2, random.Random(3))

    assert sorted(p for b in batches for p in b) == sorted(pairs)
    for batch in batches:
        assert 1 <= len(batch) <= 2
        assert len({p[2] for p in batch}) == len(batch)


def test_the_model_name_changes_with_the_pairs_and_the_recipe() -> None:
    pairs = adapt.training_pairs(CAREERS, adapt.Recipe(), random.Random(5))

    name = adapt.model_name(pairs, adapt.Recipe())

    assert name.startswith("all-MiniLM-L6-v2-adapted-")
    assert adapt.model_name(pairs[1:], adapt.Recipe()) != name
    assert adapt.model_name(pairs, adapt.Recipe(seed=8)) != name


def test_fusion_follows_the_model() -> None:
    assert fusion_for({}) is DEFAULT_FUSION

    fusion = fusion_for({"fusion": {"names_bm25_weight": 0.3}})

    for shape in NAMES:
        assert fusion.weights(shape) == (0.3, 0.7)
    for shape in SENTENCES:
        assert fusion.weights(shape) == DEFAULT_FUSION.weights(shape)
    assert fusion.weights("other") == (DEFAULT_FUSION.bm25_weight, DEFAULT_FUSION.dense_weight)


def test_a_trained_folder_is_a_model_the_product_loads_under_its_own_name(tmp_path: Path) -> None:
    steps: list[tuple[int, int]] = []

    result = adapt.adapt(CAREERS, tmp_path, adapt.Recipe(), lambda d, t: steps.append((d, t)))

    metadata = json.loads((tmp_path / METADATA).read_text())
    assert metadata == model_metadata(tmp_path)
    assert metadata["name"] == result.name
    # doctor and lawyer have three titles each: one of each is held out for the check
    assert metadata["pairs"] == result.pairs == 4
    assert result.held_out == metadata["held_out_titles"]["count"] == 2
    assert 0.0 <= result.before <= 1.0
    assert 0.0 <= result.after <= 1.0
    assert steps[-1] == (result.steps, result.steps)
    embedder = Embedder(str(tmp_path), name="all-MiniLM-L6-v2", query_runtime="torch")
    assert embedder.name == result.name  # not the bundled model's: the vectors cache apart
    assert fusion_for(embedder.metadata).weights("name") == (adapt.NAMES_BM25_WEIGHT, 0.7)
    [vector] = embedder.encode(["Physician"])
    assert len(vector) == 384
    assert abs(sum(v * v for v in vector) - 1.0) < 1e-4


def test_a_folder_without_metadata_is_not_adapted(tmp_path: Path) -> None:
    assert model_metadata(tmp_path) == {}
