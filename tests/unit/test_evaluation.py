from __future__ import annotations

import math

import pytest

from search_api.search.evaluation import Judgment, score_ranking

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
