"""Reading and checking the authored catalogue under data/.

Every problem is collected (not just the first) so an author fixes a whole batch in one go.
A problem names the file, the record id and the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from search_api.careers.records import CareerRecord, CategoryRecord, ExamRecord, InstitutionRecord

RecordT = TypeVar("RecordT", bound=BaseModel)
# libyaml's loader when PyYAML was built with it: the same safe subset, about five times faster
# on a large catalogue.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Identity(Protocol):
    """What names a career: its id, its name and its aliases."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> list[str]: ...


@dataclass(frozen=True)
class StoredIdentity:
    id: str
    name: str
    aliases: list[str]


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


@dataclass
class Catalogue:
    careers: list[CareerRecord] = field(default_factory=list)
    categories: list[CategoryRecord] = field(default_factory=list)
    exams: list[ExamRecord] = field(default_factory=list)
    institutions: list[InstitutionRecord] = field(default_factory=list)
    # where each record came from, for error messages after parsing
    sources: dict[tuple[str, str], str] = field(default_factory=dict)


class CatalogueInvalid(Exception):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the catalogue")
        self.problems = list(problems)


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])


def _read_records(path: Path, root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    rel = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    try:
        loaded = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, "-", "-", f"not valid YAML: {exc}"))
        return []
    if loaded is None:
        return []
    if not isinstance(loaded, list):
        problems.append(Problem(rel, "-", "-", "the file must hold a YAML list of records"))
        return []
    records: list[dict[str, Any]] = []
    for position, item in enumerate(loaded, start=1):
        if not isinstance(item, dict):
            problems.append(Problem(rel, f"#{position}", "-", "each record must be a mapping"))
            continue
        item["__file__"] = rel
        item["__position__"] = position
        records.append(item)
    return records


def _record_name(raw: dict[str, Any]) -> str:
    # careers, exams and institutions are named by id, categories by name
    value = raw.get("id") or raw.get("name")
    return str(value) if value else f"#{raw['__position__']}"


def validation_problems(error: ValidationError, file: str, record: str) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = ".".join(str(part) for part in err["loc"]) or "-"
        message = err["msg"].removeprefix("Value error, ")
        problems.append(Problem(file, record, loc, message))
    return problems


def parse_records(
    model: type[RecordT], raws: Iterable[dict[str, Any]], problems: list[Problem]
) -> list[tuple[RecordT, str]]:
    parsed: list[tuple[RecordT, str]] = []
    for raw in raws:
        file = raw.pop("__file__")
        record = _record_name(raw)
        raw.pop("__position__")
        try:
            parsed.append((model.model_validate(raw), file))
        except ValidationError as exc:
            problems.extend(validation_problems(exc, file, record))
    return parsed


def _check_unique(
    items: Iterable[tuple[str, str, str]], field_name: str, what: str, problems: list[Problem]
) -> None:
    """items are (key, file, record id); any key seen twice is a problem."""
    first: dict[str, tuple[str, str]] = {}
    for key, file, record in items:
        norm = key.casefold()
        if norm in first:
            other_file, other_record = first[norm]
            problems.append(
                Problem(
                    file,
                    record,
                    field_name,
                    f"duplicate {what} {key!r} (also in {other_file}: {other_record})",
                )
            )
        else:
            first[norm] = (file, record)


def check_references(
    careers: Sequence[CareerRecord],
    exam_ids: set[str],
    institution_ids: set[str],
    career_ids: set[str],
    sources: dict[str, str],
    categories: set[str] | None = None,
) -> list[Problem]:
    """Every category, exam, institution and alternative a career names must exist.

    categories None: not checked here (the database's foreign key checks it).
    """
    problems: list[Problem] = []
    for career in careers:
        file = sources.get(career.id, "-")
        if categories is not None and career.category not in categories:
            problems.append(
                Problem(file, career.id, "category", f"unknown category {career.category!r}")
            )
        for exam in career.entrance_exams:
            if exam not in exam_ids:
                problems.append(
                    Problem(file, career.id, "entrance_exams", f"unknown exam id {exam!r}")
                )
        for inst in career.top_institutions:
            if inst not in institution_ids:
                problems.append(
                    Problem(file, career.id, "top_institutions", f"unknown institution id {inst!r}")
                )
        for alt in career.alternatives:
            if alt not in career_ids:
                problems.append(
                    Problem(file, career.id, "alternatives", f"unknown career id {alt!r}")
                )
    return problems


def check_unique_names(careers: Sequence[tuple[Identity, str]], problems: list[Problem]) -> None:
    """Ids, names and aliases identify a career: none may point at two careers."""
    _check_unique(((c.id, f, c.id) for c, f in careers), "id", "career id", problems)
    _check_unique(((c.name, f, c.id) for c, f in careers), "name", "career name", problems)
    names = {c.name.casefold(): c.id for c, _ in careers}
    seen_alias: dict[str, str] = {}
    for career, file in careers:
        for alias in career.aliases:
            key = alias.casefold()
            owner = names.get(key)
            if owner is not None and owner != career.id:
                problems.append(
                    Problem(file, career.id, "aliases", f"alias {alias!r} is the name of {owner}")
                )
            other = seen_alias.get(key)
            if other is not None and other != career.id:
                problems.append(
                    Problem(
                        file, career.id, "aliases", f"duplicate alias {alias!r} (also on {other})"
                    )
                )
            seen_alias.setdefault(key, career.id)


def _categories(root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    path = root / "categories.yaml"
    if not path.is_file():
        problems.append(Problem(str(path), "-", "-", "categories.yaml not found"))
        return []
    return _read_records(path, root, problems)


def read_catalogue(root: Path) -> Catalogue:
    """Parse and check everything under root (data/). Raises CatalogueInvalid with all problems."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise CatalogueInvalid([Problem(str(root), "-", "-", "catalogue folder not found")])

    def gather(sub: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for path in _yaml_files(root / sub):
            out.extend(_read_records(path, root, problems))
        return out

    categories = parse_records(CategoryRecord, _categories(root, problems), problems)
    exams = parse_records(ExamRecord, gather("exams"), problems)
    institutions = parse_records(InstitutionRecord, gather("institutions"), problems)
    careers = parse_records(CareerRecord, gather("careers"), problems)
    if not careers and not problems:
        problems.append(Problem(str(root / "careers"), "-", "-", "no careers found"))

    _check_unique(((c.name, f, c.name) for c, f in categories), "name", "category", problems)
    _check_unique(((c.slug, f, c.name) for c, f in categories), "slug", "category slug", problems)
    _check_unique(((e.id, f, e.id) for e, f in exams), "id", "exam id", problems)
    _check_unique(((i.id, f, i.id) for i, f in institutions), "id", "institution id", problems)
    check_unique_names(careers, problems)

    sources = {c.id: f for c, f in careers}
    problems.extend(
        check_references(
            [c for c, _ in careers],
            {e.id for e, _ in exams},
            {i.id for i, _ in institutions},
            set(sources),
            sources,
            {c.name for c, _ in categories},
        )
    )
    if problems:
        raise CatalogueInvalid(problems)
    catalogue = Catalogue(
        careers=[c for c, _ in careers],
        categories=[c for c, _ in categories],
        exams=[e for e, _ in exams],
        institutions=[i for i, _ in institutions],
    )
    catalogue.sources = {("career", c.id): f for c, f in careers}
    return catalogue
