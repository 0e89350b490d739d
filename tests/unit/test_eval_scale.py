"""The scale check's own-taxonomy reading (scripts/eval_scale.py): pure list work."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import eval_scale

from search_api.core.embeddings import Embedder
from search_api.search.evaluation import Judgment


def judged(query: str, relevant: str, source: str) -> eval_scale.Judged:
    return eval_scale.Judged(Judgment(query, "alt_title", (relevant,)), "test", source)


def test_own_taxonomy_drops_the_other_taxonomys_careers_per_query() -> None:
    items = [judged("marine broker", "shipbrokers", "uk"), judged("nurse", "rn", "onet")]
    sources = {"shipbrokers": "uk", "brokers": "uk", "rn": "onet", "nurses": "uk"}
    ranking = ["nurses", "brokers", "rn", "shipbrokers", "unknown"]
    run = eval_scale.Run({"product": [ranking, ranking]})

    own = eval_scale.own_taxonomy(items, run, sources)

    assert own.rankings["product"] == [["nurses", "brokers", "shipbrokers"], ["rn"]]
    assert run.rankings["product"] == [ranking, ranking]  # the run itself is left as it was


def test_a_judged_career_behind_the_other_taxonomys_equivalents_counts_within_its_own() -> None:
    item = judged("marine broker", "shipbrokers", "uk")
    others = [f"onet-{n}" for n in range(5)]
    sources = {"shipbrokers": "uk", **dict.fromkeys(others, "onet")}
    run = eval_scale.Run({"product": [[*others, "shipbrokers"]]})

    mixed = eval_scale.metrics([item], run.rankings["product"])
    own = eval_scale.metrics(
        [item], eval_scale.own_taxonomy([item], run, sources).rankings["product"]
    )

    assert (mixed["hit@5"], mixed["hit@10"]) == (0.0, 1.0)
    assert (own["hit@1"], own["hit@5"]) == (1.0, 1.0)


def test_another_models_vectors_go_to_a_file_of_their_own() -> None:
    bundled = eval_scale.vectors_file(Embedder())
    adapted = eval_scale.vectors_file(Embedder(name="minilm-adapted"))

    assert bundled == eval_scale.VECTORS
    assert adapted.parent == bundled.parent
    assert adapted != bundled
    assert "minilm-adapted" in adapted.name
