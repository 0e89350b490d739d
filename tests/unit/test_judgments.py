"""The judged queries themselves: real career ids, honest constraint judgments, stable splits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from search_api.search.evaluation import SPLITS, judgment_problems, load_judgments, read_career_rows
from tests.fixtures.relevance import JUDGMENTS

ROOT = Path(__file__).resolve().parents[2]


def test_judgments_agree_with_the_catalogue() -> None:
    found = judgment_problems(load_judgments(JUDGMENTS), read_career_rows(ROOT / "data"))
    assert found == []


def test_judged_set_is_broad_enough() -> None:
    judgments = load_judgments(JUDGMENTS)
    kinds = Counter(j.kind for j in judgments)
    assert len(judgments) >= 400
    assert kinds["devanagari"] >= 40
    assert kinds["hinglish"] >= 40
    assert kinds["constraint"] >= 60
    assert kinds["ambiguous"] >= 30
    assert all(j.understood for j in judgments if j.kind == "constraint")


def test_every_kind_is_split_roughly_in_half() -> None:
    judgments = load_judgments(JUDGMENTS)
    for kind in {j.kind for j in judgments}:
        counts = Counter(j.split for j in judgments if j.kind == kind)
        total = sum(counts.values())
        for split in SPLITS:
            assert counts[split] >= total * 0.3, (kind, dict(counts))
