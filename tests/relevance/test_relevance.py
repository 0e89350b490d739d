"""The shipped fusion meets the relevance targets on the judged queries, and beats both legs.

Builds its own index (own alias, own schema) from the real catalogue in data/, so the test
measures what students get, not a fixture.
"""

from __future__ import annotations

import pytest

from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from search_api.search.evaluation import KINDS, Scores, evaluate, load_judgments
from search_api.search.schemas import SearchParams
from search_api.search.service import Mode, standalone_search_service
from tests.fixtures.relevance import JUDGMENTS

BASELINE_KINDS = frozenset({"exact", "abbreviation", "typo", "interest", "hindi", "exam"})


@pytest.fixture(scope="module")
async def scores(catalogue_settings: Settings, embedder: Embedder) -> dict[str, dict[str, Scores]]:
    # The kinds search answers without query understanding. Devanagari, Hinglish, constraint
    # and ambiguous queries join these targets when search applies search/understanding.py.
    # The test half only: the fusion's constants were chosen on the tune half
    # (scripts/tune_fusion.py), and a floor read on the queries they were tuned on says
    # nothing about the next query.
    judgments = [j for j in load_judgments(JUDGMENTS, "test") if j.kind in BASELINE_KINDS]
    out: dict[str, dict[str, Scores]] = {}
    async with standalone_search_service(catalogue_settings, embedder) as service:
        for mode in ("bm25", "dense", "hybrid"):

            async def rank(query: str, mode: Mode = mode) -> list[str]:
                outcome = await service.search(
                    SearchParams(q=query, size=10), use_cache=False, mode=mode
                )
                assert not outcome.degraded
                return [r.id for r in outcome.data.results]

            out[mode], _ = await evaluate(judgments, rank)
    return out


def test_judgments_are_broad_enough() -> None:
    judgments = load_judgments(JUDGMENTS)
    assert len(judgments) >= 400
    kinds = {j.kind for j in judgments}
    assert kinds == set(KINDS)
    assert BASELINE_KINDS < kinds


async def test_fusion_meets_targets(scores: dict[str, dict[str, Scores]]) -> None:
    # Floors a little under what the test half measured (scripts/tune_fusion.py on the
    # collected legs, issue 11: overall hit@5 0.974, MRR 0.872, typo 0.966, interest
    # 1.000): one more miss among the typos or the interests fails.
    hybrid = scores["hybrid"]
    assert hybrid["overall"].mean()["hit@5"] >= 0.95
    assert hybrid["overall"].mean()["MRR"] >= 0.85
    assert hybrid["typo"].mean()["hit@5"] >= 0.93
    assert hybrid["interest"].mean()["hit@5"] >= 0.94


# Floors on the test half of every kind with query understanding on: measured with
# `scripts/eval_relevance.py --hybrid-only --split test` on 2026-12-03 (hit@5 overall 0.978,
# devanagari 0.970, hinglish 0.960, constraint 0.927, ambiguous 1.000; hit@1 overall 0.888
# once a sentence's BM25 clauses dropped the words about the student, 0.879 before), a few
# misses under that so a near-tie does not fail the suite while a real regression (five more
# misses overall, three more constraint phrases, four more first places) does.
TEST_HALF_HIT5 = {
    "overall": 0.96,
    "devanagari": 0.93,
    "hinglish": 0.92,
    "constraint": 0.87,
    "ambiguous": 0.94,
}
TEST_HALF_HIT1_OVERALL = 0.87


@pytest.fixture(scope="module")
async def test_half(catalogue_settings: Settings, embedder: Embedder) -> dict[str, Scores]:
    judgments = load_judgments(JUDGMENTS, split="test")
    async with standalone_search_service(catalogue_settings, embedder) as service:

        async def rank(query: str) -> list[str]:
            outcome = await service.search(SearchParams(q=query, size=10), use_cache=False)
            assert not outcome.degraded
            return [r.id for r in outcome.data.results]

        scores, _ = await evaluate(judgments, rank)
    return scores


@pytest.mark.parametrize("kind", sorted(TEST_HALF_HIT5))
async def test_understood_search_holds_its_test_half(
    test_half: dict[str, Scores], kind: str
) -> None:
    assert test_half[kind].mean()["hit@5"] >= TEST_HALF_HIT5[kind]


async def test_understood_search_hit_at_1(test_half: dict[str, Scores]) -> None:
    assert test_half["overall"].mean()["hit@1"] >= TEST_HALF_HIT1_OVERALL


async def test_fusion_beats_both_legs(scores: dict[str, dict[str, Scores]]) -> None:
    fused = scores["hybrid"]["overall"].mean()
    for leg in ("bm25", "dense"):
        alone = scores[leg]["overall"].mean()
        assert fused["hit@5"] > alone["hit@5"], leg
        assert fused["MRR"] > alone["MRR"], leg
        # On the test half the fusion ties the BM25 leg on NDCG@10 (0.8110 vs 0.8110 since
        # the sentence clause; 0.817 vs 0.813 before it): kept as a floor, not a win.
        assert fused["NDCG@10"] >= alone["NDCG@10"] - 0.005, leg
