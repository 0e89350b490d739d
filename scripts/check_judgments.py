"""Check the judged queries against the catalogue and print their counts.

Usage: python scripts/check_judgments.py [--data data] [--judgments tests/relevance/judgments.yaml]

Fails (exit 1) when a judgment names a career id the catalogue does not have, when a
constraint phrase lists a relevant career that breaks one of its own hard constraints, when an
`understood` block uses an unknown key, or when a stored split is not the query's hashed one.
Reads the YAML files directly, so it works whatever fields the catalogue rows carry.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from search_api.search.evaluation import (
    KINDS,
    SPLITS,
    Judgment,
    judgment_problems,
    load_judgments,
    read_career_rows,
)

ROOT = Path(__file__).resolve().parents[1]
JUDGMENTS_PATH = ROOT / "tests" / "relevance" / "judgments.yaml"


def counts(judgments: Sequence[Judgment]) -> str:
    table = Counter((j.kind, j.split) for j in judgments)
    lines = [f"  {'kind':<13}{'tune':>6}{'test':>6}{'all':>6}"]
    for kind in KINDS:
        row = [table[(kind, s)] for s in SPLITS]
        lines.append(f"  {kind:<13}{row[0]:>6}{row[1]:>6}{sum(row):>6}")
    total = [sum(table[(k, s)] for k in KINDS) for s in SPLITS]
    lines.append(f"  {'all':<13}{total[0]:>6}{total[1]:>6}{sum(total):>6}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS_PATH)
    args = parser.parse_args()
    judgments = load_judgments(args.judgments)
    found = judgment_problems(judgments, read_career_rows(args.data))
    print(f"{len(judgments)} judged queries\n{counts(judgments)}")
    for problem in found:
        print(f"PROBLEM {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
