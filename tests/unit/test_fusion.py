from __future__ import annotations

import pytest

from search_api.search.fusion import min_max, reciprocal_rank, weighted_sum


def test_min_max_scales_to_unit_range() -> None:
    assert min_max([2.0, 4.0, 3.0]) == [0.0, 1.0, 0.5]
    assert min_max([7.0]) == [1.0]
    assert min_max([]) == []


def test_weighted_sum_combines_and_orders() -> None:
    bm25 = [("a", 10.0), ("b", 5.0), ("c", 0.0)]
    dense = [("b", 0.8), ("d", 0.2)]
    fused = weighted_sum(bm25, dense, 0.5, 0.5, dense_floor=0.2)
    by_id = {f.id: f for f in fused}
    assert by_id["a"].score == pytest.approx(0.5)
    assert by_id["b"].score == pytest.approx(0.5 * 0.5 + 0.5 * 1.0)
    assert by_id["d"].score == pytest.approx(0.0)  # at the floor: in the set, no boost
    assert [f.id for f in fused][:2] == ["b", "a"]
    assert by_id["b"].legs == ["bm25", "dense"]
    assert by_id["d"].bm25 is None


def test_dense_floor_keeps_lone_weak_hit_weak() -> None:
    fused = weighted_sum([], [("x", 0.25)], 0.5, 0.5, dense_floor=0.2)
    assert fused[0].score == pytest.approx(0.5 * 1.0)
    fused = weighted_sum([], [("x", 0.25), ("y", 0.6)], 0.5, 0.5, dense_floor=0.2)
    assert {f.id: round(f.score, 4) for f in fused} == {"y": 0.5, "x": 0.0625}


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank([("a", 9.0), ("b", 8.0)], [("b", 0.9), ("c", 0.8)], k=60)
    assert [f.id for f in fused] == ["b", "a", "c"]
    assert fused[0].score <= 1.0
    single = reciprocal_rank([("a", 1.0)], [("a", 1.0)], k=60)
    assert single[0].score == pytest.approx(1.0)
