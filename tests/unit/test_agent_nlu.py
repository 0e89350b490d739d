"""The agent's message reading on its judged messages: intent accuracy and entity F1 on the
test half (the cue lists were written against the tune half), and single cases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from search_api.agent.evaluation import score_messages
from search_api.agent.intents import classify, ordinal_picks, words
from search_api.search.understanding import Lexicon, understand

ROOT = Path(__file__).resolve().parents[2]
JUDGED = Path(__file__).with_name("agent_messages.yaml")


def _rows(folder: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return rows


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    categories = yaml.safe_load((ROOT / "data" / "categories.yaml").read_text(encoding="utf-8"))
    return Lexicon.build(_rows("careers"), _rows("exams"), [c["name"] for c in categories])


@pytest.fixture(scope="module")
def messages() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["messages"]
    return loaded


def test_the_judged_set_is_large_and_split(messages: list[dict[str, Any]]) -> None:
    assert len(messages) >= 80
    splits = {m["split"] for m in messages}
    assert splits == {"tune", "test"}
    test_half = [m for m in messages if m["split"] == "test"]
    assert len(test_half) >= 40
    # every intent is judged in the held-out half
    assert {m["intent"] for m in test_half} == {m["intent"] for m in messages}


def test_intent_accuracy_on_the_test_half(messages: list[dict[str, Any]], lexicon: Lexicon) -> None:
    score = score_messages(messages, lexicon, "test")
    assert score.intent_accuracy >= 0.95, score.misses


def test_entity_f1_on_the_test_half(messages: list[dict[str, Any]], lexicon: Lexicon) -> None:
    score = score_messages(messages, lexicon, "test")
    assert score.entity_f1 >= 0.90, score.misses


@pytest.mark.parametrize(
    ("message", "previous", "intent"),
    [
        ("and for PCB?", "eligibility", "eligibility"),
        ("what about its salary?", "career_details", "salary"),
        ("compare the first two", "search", "compare"),
        ("I am in Commerce", "recommend", "recommend"),
        ("careers with 12 LPA", None, "search"),  # an amount is a filter, not a salary question
        ("salary of a pilot", None, "salary"),
        ("hi", None, "greeting"),
        ("write my essay on pollution", None, "out_of_scope"),
    ],
)
def test_context_and_cues(
    message: str, previous: str | None, intent: str, lexicon: Lexicon
) -> None:
    assert classify(message, understand(message, lexicon), previous) == intent


@pytest.mark.parametrize(
    ("message", "picks"),
    [
        ("compare the first two", [0, 1]),
        ("tell me about the second one", [1]),
        ("the first and the third", [0, 2]),
        ("compare them", []),
    ],
)
def test_pointing_back_at_a_list(message: str, picks: list[int]) -> None:
    assert ordinal_picks(words(message)) == picks
