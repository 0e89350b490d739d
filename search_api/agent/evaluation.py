"""Intent accuracy and entity F1 of the agent's message reading on a judged set.

Used by scripts/eval_agent.py (prints) and tests/unit/test_agent_nlu.py (asserts), both on
the test half only; the tune half is what the cue lists were written against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from search_api.agent.intents import Entities, classify, entities_of
from search_api.search.understanding import Lexicon, understand


@dataclass
class NluScore:
    messages: int
    intent_accuracy: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    misses: list[str] = field(default_factory=list)


def expected_entities(judged: Mapping[str, Any]) -> Entities:
    e = judged.get("entities") or {}
    return Entities(
        careers=list(e.get("careers", [])),
        exams=list(e.get("exams", [])),
        stream=e.get("stream"),
        grade=e.get("grade"),
        excluded_subjects=list(e.get("excluded_subjects", [])),
        required_subjects=list(e.get("required_subjects", [])),
        salary_min=e.get("salary_min"),
        salary_max=e.get("salary_max"),
        states=list(e.get("states", [])),
        categories=list(e.get("categories", [])),
    )


def score_messages(
    messages: Sequence[Mapping[str, Any]], lexicon: Lexicon, split: str | None = "test"
) -> NluScore:
    chosen = [m for m in messages if split is None or m["split"] == split]
    right = tp = fp = fn = 0
    misses: list[str] = []
    for judged in chosen:
        understood = understand(str(judged["text"]), lexicon)
        intent = classify(str(judged["text"]), understood, judged.get("previous"))
        if intent == judged["intent"]:
            right += 1
        else:
            misses.append(f"intent {judged['text']!r}: {intent} (judged {judged['intent']})")
        got = entities_of(understood).pairs()
        want = expected_entities(judged).pairs()
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            misses.append(
                f"entities {judged['text']!r}: extra {sorted(got - want)}, "
                f"missing {sorted(want - got)}"
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return NluScore(
        messages=len(chosen),
        intent_accuracy=right / len(chosen) if chosen else 0.0,
        entity_precision=precision,
        entity_recall=recall,
        entity_f1=f1,
        misses=misses,
    )
