"""Intent accuracy and entity F1 of the chat agent on its judged messages.

    python scripts/eval_agent.py            # the test half (what the note reports)
    python scripts/eval_agent.py --split tune
    python scripts/eval_agent.py --split all --misses

Reads the catalogue from data/ (no services needed).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import yaml

from search_api.agent.evaluation import score_messages
from search_api.search.understanding import Lexicon

ROOT = Path(__file__).resolve().parents[1]
JUDGED = ROOT / "tests" / "unit" / "agent_messages.yaml"


def rows(folder: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        out.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["test", "tune", "all"], default="test")
    parser.add_argument("--misses", action="store_true", help="list every wrong reading")
    args = parser.parse_args()
    categories = yaml.safe_load((ROOT / "data" / "categories.yaml").read_text(encoding="utf-8"))
    lexicon = Lexicon.build(rows("careers"), rows("exams"), [c["name"] for c in categories])
    messages = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["messages"]
    score = score_messages(messages, lexicon, None if args.split == "all" else args.split)
    print(f"split={args.split} messages={score.messages}")
    print(f"intent accuracy {score.intent_accuracy:.3f}")
    print(
        f"entity precision {score.entity_precision:.3f} recall {score.entity_recall:.3f} "
        f"F1 {score.entity_f1:.3f}"
    )
    if args.misses:
        for miss in score.misses:
            print("  " + miss)


if __name__ == "__main__":
    main()
