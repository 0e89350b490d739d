from __future__ import annotations

import math
from pathlib import Path

import pytest

from search_api.search.evaluation import (
    Judgment,
    hard_violations,
    load_judgments,
    score_ranking,
    split_for,
    understanding_accuracy,
    understood_matches,
)

J = Judgment("q", "typo", ("best", "good"))


def test_perfect_ranking() -> None:
    s = score_ranking(J, ["best", "good", "x"])
    assert (s.hit1, s.hit5, s.mrr) == (1.0, 1.0, 1.0)
    assert s.ndcg10 == pytest.approx(1.0)


def test_second_place_and_misses() -> None:
    s = score_ranking(J, ["x", "good", "best"])
    assert (s.hit1, s.hit5, s.mrr) == (0.0, 1.0, 0.5)
    dcg = 1 / math.log2(3) + 2 / math.log2(4)
    idcg = 2 + 1 / math.log2(3)
    assert s.ndcg10 == pytest.approx(dcg / idcg)
    missed = score_ranking(J, ["a", "b", "c", "d", "e", "best"])
    assert missed.hit5 == 0.0
    assert missed.mrr == pytest.approx(1 / 6)


def test_old_style_judgments_still_construct() -> None:
    assert (J.split, J.understood) == ("tune", None)


def test_split_is_a_stable_hash_of_the_query() -> None:
    assert split_for("CA") == split_for("  ca ")  # case and spacing do not move a query
    splits = {split_for(f"query number {i}") for i in range(40)}
    assert splits == {"tune", "test"}


def test_load_judgments_filters_by_split(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "- {query: a, kind: exact, relevant: [x], split: tune}\n"
        "- {query: b, kind: exact, relevant: [y], split: test}\n"
        "- query: c\n  kind: constraint\n  relevant: [z]\n  understood: {stream: PCB}\n",
        encoding="utf-8",
    )
    everything = load_judgments(path)
    assert [j.query for j in everything] == ["a", "b", "c"]
    assert everything[2].split == split_for("c")  # no stored split: the hashed one
    assert everything[2].understood == {"stream": "PCB"}
    assert [j.query for j in load_judgments(path, split="test")] == [
        j.query for j in everything if j.split == "test"
    ]


def test_understood_matches_exactly() -> None:
    expected = {"stream": "Commerce", "excluded_subjects": ["Mathematics"]}
    assert understood_matches(
        expected, {"excluded_subjects": ["Mathematics"], "stream": "Commerce"}
    )
    assert not understood_matches(expected, {"stream": "Commerce"})  # one missing
    assert not understood_matches(expected, {**expected, "grade": 12})  # one extra
    assert understood_matches(
        {"remote_work": ["Partial", "Full"]}, {"remote_work": ["Full", "Partial"]}
    )


def test_hard_violations() -> None:
    career = {
        "streams": ["PCM", "PCMB"],
        "subjects": ["Mathematics", "Physics"],
        "stress_level": "Medium",
        "work_life_balance": "Good",
        "remote_work": "None",
        "travel_required": "Frequent",
        "mid_salary": 1_000_000,
        "entrance_exams": ["jee-main"],
    }
    assert hard_violations({"stream": "PCMB"}, career) == []
    assert hard_violations({"stream": "Science"}, career) == []
    assert hard_violations({"travel_required": ["Frequent"]}, career) == []
    assert len(hard_violations({"stream": "PCB"}, career)) == 1
    assert len(hard_violations({"excluded_subjects": ["Mathematics"]}, career)) == 1
    assert len(hard_violations({"excluded_exams": ["jee-main"]}, career)) == 1
    assert len(hard_violations({"salary_min": 1_500_000, "stress_level": ["Low"]}, career)) == 2
    assert len(hard_violations({"travel_required": ["Rare"]}, career)) == 1


def test_understanding_accuracy_counts_misses() -> None:
    judged = [
        Judgment("x", "constraint", ("a",), "tune", {"stream": "PCB"}),
        Judgment("y", "constraint", ("a",), "tune", {"grade": 12}),
        Judgment("z", "typo", ("a",)),
    ]
    accuracy, n, misses = understanding_accuracy(judged, lambda q: {"stream": "PCB"})
    assert (accuracy, n) == (0.5, 2)
    assert [q for q, _ in misses] == ["y"]
