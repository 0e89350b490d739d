from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from search_api.careers.records import CareerRecord
from search_api.careers.style import career_style
from tests.fixtures.catalogue import career


def errors(record: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as caught:
        CareerRecord.model_validate(record)
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in caught.value.errors()]


def test_valid_record_passes() -> None:
    record = CareerRecord.model_validate(career("civil-engineer", "Civil Engineer"))
    assert record.riasec == ["R", "I"]
    assert record.interest_tags == ["building things"]


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"id": "Bad Slug"}, "id", "pattern"),
        ({"id": "x" * 51}, "id", "at most 50"),
        ({"entry_salary": 100_000}, "entry_salary", "greater than or equal to 150000"),
        ({"senior_salary": 30_000_000}, "senior_salary", "less than or equal to 20000000"),
        ({"interests": ["R", "X", "maths"]}, "interests", "unknown RIASEC"),
        ({"category": "Medicine; DROP"}, "category", "pattern"),
        ({"prominence": 6}, "prominence", "less than or equal to 5"),
        ({"skills": ["Maths", "maths", "Physics"]}, "skills", "twice"),
        ({"work_life_balance": "Great"}, "work_life_balance", "Input should be"),
        ({"unexpected": 1}, "unexpected", "Extra inputs"),
    ],
)
def test_bad_fields_are_named(overrides: dict[str, Any], field: str, fragment: str) -> None:
    found = errors(career("civil-engineer", "Civil Engineer", **overrides))
    assert any(loc == field and fragment in msg for loc, msg in found), found


def test_cross_field_rules() -> None:
    found = errors(career("civil-engineer", "Civil Engineer", mid_salary=200_000))
    assert any("salaries out of order" in msg for _, msg in found)
    found = errors(career("civil-engineer", "Civil Engineer", alternatives=["civil-engineer"]))
    assert any("own alternative" in msg for _, msg in found)


def test_house_style_is_not_a_load_error() -> None:
    """Another catalogue may be written differently: these load, and style.py flags them."""
    record = CareerRecord.model_validate(
        career(
            "civil-engineer",
            "Civil Engineer",
            description="Builds bridges.",
            interests=["Building Things"],
            skills=["Maths"],
            streams=["PCM"],
            top_institutions=[],
        )
    )
    flagged = {name for name, _ in career_style(record)}
    assert {
        "description",
        "interests",
        "skills",
        "streams",
        "top_institutions",
        "hindi_name",
        "prominence",
    } <= flagged


def test_house_style_passes_a_complete_record() -> None:
    record = CareerRecord.model_validate(
        career(
            "civil-engineer",
            "Civil Engineer",
            hindi_name="सिविल इंजीनियर",
            hinglish=["sivil injiniyar"],
            prominence=4,
        )
    )
    assert career_style(record) == []
