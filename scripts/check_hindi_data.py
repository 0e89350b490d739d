"""Check the Hindi names, Hinglish spellings and prominence in data/ (needs only PyYAML).

Usage: python scripts/check_hindi_data.py [DATA_DIR] [--judgments FILE]

Checks every career in DATA_DIR/careers/*.yaml for `hindi_name`, `hindi_aliases`, `hinglish`
and `prominence`, and DATA_DIR/categories.yaml against the categories the careers use. With a
judged set (default tests/relevance/judgments.yaml when it exists), also checks that every
query of kind `hindi` is an alias or Hinglish spelling of a career it expects and of no other.
Prints every problem and exits 1, or prints a summary and exits 0. Hinglish items shared by two
careers are listed but are not errors: a few words truly name two careers.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# Devanagari block plus what names legitimately contain: spaces, brackets, hyphens, digits.
# Deliberately excludes zero-width joiners, which look identical on screen but break matching.
_DEVANAGARI_TEXT = re.compile(r"^[\u0900-\u097F0-9 ()\-]+$")
_DEVANAGARI_LETTER = re.compile(r"[\u0904-\u0939\u0958-\u0961\u0972-\u097F]")
_HINGLISH = re.compile(r"^[a-z]+(?:[ -][a-z]+)*$")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

MAX_HINGLISH = 6
MAX_HINDI_ALIASES = 4
PROMINENCE_LEVELS = range(1, 6)


def _key(text: str) -> str:
    """How search sees a name: case, dots and hyphen-versus-space do not tell words apart."""
    return " ".join(text.casefold().replace(".", "").replace("-", " ").split())


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    shared: dict[str, list[str]] = field(default_factory=dict)
    shared_hindi: dict[str, list[str]] = field(default_factory=dict)
    prominence: Counter[int] = field(default_factory=Counter)
    careers: int = 0
    categories: int = 0
    judged: int = 0

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")


def _load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _is_devanagari(value: str) -> bool:
    return bool(_DEVANAGARI_TEXT.match(value)) and bool(_DEVANAGARI_LETTER.search(value))


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _check_career(record: dict[str, Any], where: str, report: Report) -> list[str]:
    """Check one career's new keys; return its Hinglish items (empty when they are unusable)."""
    name = record.get("name")
    aliases = _str_list(record.get("aliases")) or []
    own_names = {_key(a) for a in aliases}
    if isinstance(name, str):
        own_names.add(_key(name))

    hindi_name = record.get("hindi_name")
    if not isinstance(hindi_name, str) or not hindi_name.strip():
        report.problem(where, "hindi_name missing or not a string")
    elif not _is_devanagari(hindi_name):
        report.problem(where, f"hindi_name {hindi_name!r} is not Devanagari")

    hindi_aliases = _str_list(record.get("hindi_aliases"))
    if hindi_aliases is None:
        report.problem(where, "hindi_aliases missing or not a list of strings")
    else:
        if len(hindi_aliases) > MAX_HINDI_ALIASES:
            report.problem(where, f"hindi_aliases has {len(hindi_aliases)} items, at most 4")
        seen = {hindi_name} if isinstance(hindi_name, str) else set()
        for alias in hindi_aliases:
            if not _is_devanagari(alias):
                report.problem(where, f"hindi_aliases item {alias!r} is not Devanagari")
            if alias in seen:
                report.problem(where, f"hindi_aliases repeats {alias!r}")
            seen.add(alias)

    hinglish = _str_list(record.get("hinglish"))
    if hinglish is None:
        report.problem(where, "hinglish missing or not a list of strings")
        hinglish = []
    elif not 1 <= len(hinglish) <= MAX_HINGLISH:
        report.problem(where, f"hinglish has {len(hinglish)} items, 1-{MAX_HINGLISH} expected")
    keys: set[str] = set()
    for item in hinglish:
        if not _HINGLISH.match(item):
            report.problem(where, f"hinglish item {item!r} is not lowercase ASCII words")
        key = _key(item)
        if key in own_names:
            report.problem(where, f"hinglish item {item!r} repeats the name or an alias")
        if key in keys:
            report.problem(where, f"hinglish item {item!r} is listed twice")
        keys.add(key)

    prominence = record.get("prominence")
    # bool is an int subclass; `prominence: true` is a typo, not a level.
    if isinstance(prominence, bool) or not isinstance(prominence, int):
        report.problem(where, "prominence missing or not an integer")
    elif prominence not in PROMINENCE_LEVELS:
        report.problem(where, f"prominence {prominence} outside 1-5")
    else:
        report.prominence[prominence] += 1
    return hinglish


def check_careers(data_dir: Path, report: Report) -> tuple[set[str], dict[str, set[str]]]:
    """Check all careers; return the categories used and, per lookup key, the careers it names."""
    used: set[str] = set()
    names_of: dict[str, set[str]] = defaultdict(set)
    hinglish_keys: set[str] = set()
    hindi_names: dict[str, str] = {}
    devanagari_of: dict[str, set[str]] = defaultdict(set)
    files = sorted((data_dir / "careers").glob("*.yaml"))
    if not files:
        report.problem(str(data_dir / "careers"), "no career files")
    for path in files:
        records = _load_yaml(path)
        if not isinstance(records, list):
            report.problem(str(path), "not a YAML list")
            continue
        for record in records:
            if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                report.problem(str(path), "record without an id")
                continue
            career_id = record["id"]
            where = f"{path.name} {career_id}"
            report.careers += 1
            category = record.get("category")
            if isinstance(category, str):
                used.add(category)
            items = _check_career(record, where, report)
            for item in items:
                hinglish_keys.add(_key(item))
                names_of[_key(item)].add(career_id)
            name = record.get("name")
            for alias in [name, *(_str_list(record.get("aliases")) or [])]:
                if isinstance(alias, str):
                    names_of[_key(alias)].add(career_id)
            hindi_name = record.get("hindi_name")
            for devanagari in [hindi_name, *(_str_list(record.get("hindi_aliases")) or [])]:
                if isinstance(devanagari, str):
                    devanagari_of[devanagari].add(career_id)
            if isinstance(hindi_name, str):
                other = hindi_names.setdefault(hindi_name, career_id)
                if other != career_id:
                    report.problem(where, f"hindi_name {hindi_name!r} is also {other}'s")
    # A Hinglish item that is another career's alias points at two careers just as surely as
    # one listed twice, so both count as shared.
    for key in sorted(hinglish_keys):
        if len(names_of[key]) > 1:
            report.shared[key] = sorted(names_of[key])
    for text, owners in devanagari_of.items():
        if len(owners) > 1:
            report.shared_hindi[text] = sorted(owners)
    return used, names_of


def check_categories(data_dir: Path, used: set[str], report: Report) -> None:
    path = data_dir / "categories.yaml"
    if not path.exists():
        report.problem(str(path), "missing")
        return
    records = _load_yaml(path)
    if not isinstance(records, list):
        report.problem(str(path), "not a YAML list")
        return
    names: set[str] = set()
    slugs: set[str] = set()
    for index, record in enumerate(records):
        where = f"{path.name} #{index + 1}"
        if not isinstance(record, dict):
            report.problem(where, "not a mapping")
            continue
        name, slug = record.get("name"), record.get("slug")
        hindi_name, description = record.get("hindi_name"), record.get("description")
        if set(record) != {"name", "slug", "hindi_name", "description"}:
            expected = "name, slug, hindi_name, description"
            report.problem(where, f"keys {sorted(record)}, expected {expected}")
        if not isinstance(name, str):
            report.problem(where, "name missing")
            continue
        where = f"{path.name} {name!r}"
        if name in names:
            report.problem(where, "listed twice")
        names.add(name)
        if not isinstance(slug, str) or not _SLUG.match(slug):
            report.problem(where, f"slug {slug!r} is not a lowercase-hyphen id")
        elif slug in slugs:
            report.problem(where, f"slug {slug!r} listed twice")
        else:
            slugs.add(slug)
        if not isinstance(hindi_name, str) or not _is_devanagari(hindi_name):
            report.problem(where, f"hindi_name {hindi_name!r} is not Devanagari")
        if not isinstance(description, str) or len(description.split()) < 8:
            report.problem(where, "description missing or shorter than a sentence")
        report.categories += 1
    for missing in sorted(used - names):
        report.problem(str(path), f"category {missing!r} is used by careers but not listed")
    for unused in sorted(names - used):
        report.problem(str(path), f"category {unused!r} is listed but no career uses it")


def check_judgments(path: Path, names_of: dict[str, set[str]], report: Report) -> None:
    """Each `hindi` query must be a name of an expected career and of no unexpected one."""
    entries = _load_yaml(path)
    if not isinstance(entries, list):
        report.problem(str(path), "not a YAML list")
        return
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("kind") != "hindi":
            continue
        query, relevant = entry.get("query"), _str_list(entry.get("relevant")) or []
        if not isinstance(query, str):
            continue
        report.judged += 1
        owners = names_of.get(_key(query), set())
        where = f"{path.name} {query!r}"
        if not owners & set(relevant):
            report.problem(where, f"names none of {relevant} (alias or hinglish)")
        stray = sorted(owners - set(relevant))
        if stray:
            report.problem(where, f"also names {stray}, which the judgment does not expect")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("data_dir", nargs="?", default="data", type=Path)
    parser.add_argument("--judgments", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir: Path = args.data_dir
    judgments: Path | None = args.judgments
    if judgments is None:
        default = Path("tests/relevance/judgments.yaml")
        judgments = default if default.exists() else None

    report = Report()
    used, names_of = check_careers(data_dir, report)
    check_categories(data_dir, used, report)
    if judgments is not None:
        check_judgments(judgments, names_of, report)

    if report.shared:
        print(f"{len(report.shared)} hinglish item(s) name more than one career:")
        for item, owners in sorted(report.shared.items()):
            print(f"  {item!r}: {', '.join(owners)}")
    if report.shared_hindi:
        print(f"{len(report.shared_hindi)} Devanagari name(s) name more than one career:")
        for text, owners in sorted(report.shared_hindi.items()):
            print(f"  {text}: {', '.join(owners)}")
    if report.problems:
        for problem in report.problems:
            print(problem)
        print(f"{len(report.problems)} problem(s)")
        return 1
    levels = ", ".join(f"{level}: {report.prominence[level]}" for level in PROMINENCE_LEVELS)
    print(f"{report.careers} careers, {report.categories} categories; prominence {levels}")
    print(
        f"hinglish items shared by careers: {len(report.shared)}; Devanagari names shared: "
        f"{len(report.shared_hindi)}"
    )
    if judgments is not None:
        print(f"{report.judged} judged hindi queries each name an expected career")
    return 0


if __name__ == "__main__":
    sys.exit(main())
