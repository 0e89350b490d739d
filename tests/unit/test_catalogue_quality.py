"""The shipped catalogue: complete, consistent, plausible, and current for India."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from search_api.careers.files import Catalogue, read_catalogue
from search_api.careers.records import CareerRecord
from search_api.careers.style import style_problems

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return read_catalogue(ROOT / "data")


def test_size_and_breadth(catalogue: Catalogue) -> None:
    categories = Counter(c.category for c in catalogue.careers)
    assert len(catalogue.careers) >= 250
    assert len(categories) >= 18
    assert min(categories.values()) >= 5
    assert len(catalogue.exams) >= 40
    assert len(catalogue.institutions) >= 80


def test_house_style(catalogue: Catalogue) -> None:
    """Sentence counts, list sizes, RIASEC types, Hindi names: careers/style.py."""
    problems = [str(p) for p in style_problems(catalogue)]
    assert problems == []


def test_every_field_is_filled(catalogue: Catalogue) -> None:
    for career in catalogue.careers:
        for name in CareerRecord.model_fields:
            value = getattr(career, name)
            if name in {"entrance_exams", "aliases", "hindi_aliases"}:
                # a trade may have no entrance exam; aliases are optional; a few careers have
                # no common second Hindi name
                continue
            assert value not in (None, "", []), f"{career.id}.{name} is empty"


def test_salaries_plausible(catalogue: Catalogue) -> None:
    for career in catalogue.careers:
        assert (
            150_000
            <= career.entry_salary
            <= career.mid_salary
            <= career.senior_salary
            <= 20_000_000
        )


def test_no_duplicate_names_or_aliases(catalogue: Catalogue) -> None:
    seen: dict[str, str] = {}
    for career in catalogue.careers:
        for label in [career.name, *career.aliases]:
            key = label.casefold()
            assert seen.setdefault(key, career.id) == career.id, f"{label!r} names two careers"


def test_references_resolve(catalogue: Catalogue) -> None:
    exams = {e.id for e in catalogue.exams}
    institutions = {i.id for i in catalogue.institutions}
    careers = {c.id for c in catalogue.careers}
    for career in catalogue.careers:
        assert set(career.entrance_exams) <= exams
        assert set(career.top_institutions) <= institutions
        assert set(career.alternatives) <= careers


def test_current_exam_names() -> None:
    """Retired exams (AIIMS MBBS, JIPMER MBBS, AIPMT, LSAT India) must not reappear."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "data").rglob("*.yaml"))
    lowered = text.lower()
    for retired in ("aiims mbbs", "jipmer mbbs", "aipmt", "lsat india", "lsat-india"):
        assert retired not in lowered, retired
    assert "NEET-UG" in text
    assert "CUET-UG" in text


def test_key_careers_present(catalogue: Catalogue) -> None:
    ids = {c.id for c in catalogue.careers}
    for cid in (
        "doctor-mbbs",
        "software-engineer",
        "chartered-accountant",
        "lawyer",
        "ias-officer",
        "nurse",
        "pharmacist",
        "architect",
        "commercial-pilot",
        "army-officer",
    ):
        assert cid in ids


def test_files_are_plain_yaml_lists() -> None:
    for path in (ROOT / "data").rglob("*.yaml"):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(loaded, list), path
