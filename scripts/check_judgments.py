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
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from search_api.search.evaluation import (
    JUDGMENTS_PATH,
    KINDS,
    SPLITS,
    UNDERSTOOD_KEYS,
    Judgment,
    hard_violations,
    load_judgments,
    split_for,
)

ROOT = Path(__file__).resolve().parents[1]


def read_careers(data: Path) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted((data / "careers").glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rows[str(row["id"])] = row
    return rows


def problems(judgments: Sequence[Judgment], careers: Mapping[str, Mapping[str, Any]]) -> list[str]:
    out: list[str] = []
    seen: dict[str, str] = {}
    for j in judgments:
        where = f"{j.kind} {j.query!r}"
        folded = " ".join(j.query.split()).casefold()
        if folded in seen:
            out.append(f"{where}: same query as {seen[folded]}")
        seen[folded] = where
        if j.kind not in KINDS:
            out.append(f"{where}: unknown kind")
        if j.split != split_for(j.query):
            out.append(f"{where}: split {j.split}, but the hash gives {split_for(j.query)}")
        if not j.relevant:
            out.append(f"{where}: no relevant careers")
        for cid in j.relevant:
            if cid not in careers:
                out.append(f"{where}: unknown career id {cid!r}")
        if j.kind == "constraint" and not j.understood:
            out.append(f"{where}: a constraint phrase needs an `understood` block")
        if j.understood is None:
            continue
        unknown = sorted(set(j.understood) - set(UNDERSTOOD_KEYS))
        if unknown:
            out.append(f"{where}: unknown understood key(s) {unknown}")
        for cid in j.relevant:
            if cid in careers:
                for violation in hard_violations(j.understood, careers[cid]):
                    out.append(f"{where}: relevant {cid} breaks {violation}")
    return out


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
    found = problems(judgments, read_careers(args.data))
    print(f"{len(judgments)} judged queries\n{counts(judgments)}")
    for problem in found:
        print(f"PROBLEM {problem}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
