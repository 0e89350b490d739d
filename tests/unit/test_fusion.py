from __future__ import annotations

import pytest

from search_api.search.fusion import (
    content_words,
    min_max,
    query_shape,
    reciprocal_rank,
    weighted_sum,
)
from search_api.search.index import CareerHit
from search_api.search.query import DESCRIPTION_CLAUSE
from search_api.search.service import DEFAULT_FUSION, FusionConfig, fuse
from tests.unit.test_planning import career


def hit(cid: str, score: float, matched: tuple[str, ...] = ()) -> CareerHit:
    return CareerHit(cid, score, career(cid), {}, matched)


def test_a_sentence_no_description_holds_leans_on_the_dense_leg() -> None:
    # BM25 likes "a", the dense leg "b": which wins depends on whether a description holds
    # the sentence (the named description clause matched)
    dense = [hit("b", 0.9), hit("a", 0.7)]
    unquoted = fuse([hit("a", 9.0), hit("b", 3.0)], dense, DEFAULT_FUSION, shape="sentence")
    quoted = fuse(
        [hit("a", 9.0, (DESCRIPTION_CLAUSE,)), hit("b", 3.0)],
        dense,
        DEFAULT_FUSION,
        "hybrid",
        "sentence",
    )
    assert [f.id for f in unquoted] == ["b", "a"]
    assert [f.id for f in quoted] == ["a", "b"]
    # names and phrases keep their weight whatever matched
    assert [
        f.id for f in fuse([hit("a", 9.0), hit("b", 3.0)], dense, DEFAULT_FUSION, shape="name")
    ] == ["a", "b"]


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


VOCABULARY = {"data", "scientist", "civil", "site", "engineer", "repairs", "machines"}


@pytest.mark.parametrize(
    ("query", "shape"),
    [
        ("engineer", "name"),
        ("data scientist", "name"),
        ("data scintist", "name-unknown"),
        ("civil site engineer", "phrase"),
        ("civil sight engineer", "phrase-unknown"),
        ("repairs machines in factories", "sentence-unknown"),
        ("i like machines", "sentence"),  # a function word makes it a sentence
        ("repairs data machines site engineer", "sentence"),  # five words
        ("डॉक्टर", "other"),
        ("", "other"),
    ],
)
def test_query_shape(query: str, shape: str) -> None:
    assert query_shape(query, VOCABULARY) == shape


def test_shape_weights_fall_back_to_the_fixed_weight() -> None:
    config = FusionConfig(bm25_weight=0.6, dense_weight=0.4, shape_weights={"sentence": 0.25})
    assert config.weights("sentence") == (0.25, 0.75)
    assert config.weights("name") == (0.6, 0.4)
    assert config.weights(None) == (0.6, 0.4)


@pytest.mark.parametrize(
    ("query", "content"),
    [
        ("I love dancing", "dancing"),
        ("want to help sick people", "to help sick people"),
        ("works machines in a factory", "works machines in a factory"),
        ("Data Scientist", "Data Scientist"),
        ("डॉक्टर बनना है", "डॉक्टर बनना है"),  # other scripts are left to their own analysers
        ("I, want!", ""),
    ],
)
def test_content_words(query: str, content: str) -> None:
    assert content_words(query) == content
