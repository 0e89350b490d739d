"""The grounding check on replies written by hand: what it must accept and what it must catch."""

from __future__ import annotations

import pytest

from search_api.agent.catalogue import Catalogue, build_catalogue
from search_api.agent.grounding import Facts, check_reply

CAREERS = [
    {
        "id": "software-engineer",
        "name": "Software Engineer",
        "aliases": ["SDE", "software developer"],
        "category": "Engineering & Technology",
        "streams": ["PCM", "PCMB"],
        "subjects": ["Mathematics"],
        "entrance_exams": ["jee-main"],
        "mid_salary": 1800000,
    },
    {
        "id": "data-scientist",
        "name": "Data Scientist",
        "aliases": [],
        "category": "Engineering & Technology",
        "streams": ["PCM"],
        "subjects": ["Mathematics"],
        "entrance_exams": [],
        "mid_salary": 2000000,
    },
    {
        "id": "ias-officer",
        "name": "IAS Officer",
        "aliases": ["UPSC"],
        "category": "Civil Services",
        "streams": ["Humanities"],
        "subjects": [],
        "entrance_exams": ["upsc-cse"],
        "mid_salary": 1500000,
    },
    {
        "id": "chartered-accountant",
        "name": "Chartered Accountant",
        "aliases": ["CA"],
        "category": "Commerce & Finance",
        "streams": ["Commerce"],
        "subjects": [],
        "entrance_exams": ["ca-foundation"],
        "mid_salary": 2000000,
    },
]
EXAMS = [
    {"id": "jee-main", "name": "JEE Main", "full_name": "Joint Entrance Examination Main",
     "month": "January and April", "eligibility": "Class 12"},
    {"id": "neet-ug", "name": "NEET-UG", "full_name": "National Eligibility cum Entrance Test",
     "month": "May", "eligibility": "Class 12"},
    {"id": "upsc-cse", "name": "UPSC CSE", "full_name": "Civil Services Examination",
     "month": "May", "eligibility": "Bachelor's degree"},
    {"id": "ca-foundation", "name": "CA Foundation", "full_name": "CA Foundation",
     "month": "January, May and September", "eligibility": "Class 12"},
]  # fmt: skip


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return build_catalogue(CAREERS, EXAMS, ["Engineering & Technology", "Commerce & Finance"])


@pytest.fixture
def facts() -> Facts:
    f = Facts()
    f.add_career("software-engineer", "Software Engineer")
    f.add_exam("jee-main", "JEE Main")
    for amount in (450000, 1800000, 4500000):
        f.add_amount(amount)
    f.add_text("4 years (B.Tech) or 3 + 2 years (BCA + MCA)")
    return f


def kinds(reply: str, facts: Facts, catalogue: Catalogue) -> list[str]:
    return [v.kind for v in check_reply(reply, facts, catalogue)]


@pytest.mark.parametrize(
    "reply",
    [
        "Software Engineer pays about ₹18 lakh a year mid-career.",
        "A software developer earns 18 LPA mid-career and 45 lakh when senior.",
        "Software Engineer: entry pay 450000 INR, JEE Main in January, 4 years of B.Tech.",
        "After class 12, Software Engineer takes 3 + 2 years through BCA and MCA.",
    ],
)
def test_grounded_replies_pass(reply: str, facts: Facts, catalogue: Catalogue) -> None:
    assert check_reply(reply, facts, catalogue) == []


def test_a_catalogue_career_not_retrieved_is_caught(facts: Facts, catalogue: Catalogue) -> None:
    assert kinds("Try Data Scientist instead.", facts, catalogue) == ["career"]


def test_an_acronym_alias_names_its_career(facts: Facts, catalogue: Catalogue) -> None:
    assert kinds("You could also do CA.", facts, catalogue) == ["career"]


def test_a_career_outside_the_catalogue_is_caught(facts: Facts, catalogue: Catalogue) -> None:
    assert "unknown_career" in kinds("Become a Space Tourism Pilot!", facts, catalogue)


def test_an_exam_not_retrieved_is_caught(facts: Facts, catalogue: Catalogue) -> None:
    assert kinds("Software Engineer needs NEET-UG.", facts, catalogue) == ["exam"]


def test_an_exam_outside_the_catalogue_is_caught(facts: Facts, catalogue: Catalogue) -> None:
    assert kinds("Sit the ZYX entrance in May.", facts, catalogue) == ["unknown_exam"]


@pytest.mark.parametrize(
    "reply",
    [
        "Software Engineer pays ₹90 lakh at entry.",
        "Software Engineer pays 1.2 crore.",
        "Software Engineer pays 2500000 a year.",
        "The B.Tech takes 7 years.",
        "Start on 2031-08-01.",
    ],
)
def test_numbers_not_in_the_facts_are_caught(
    reply: str, facts: Facts, catalogue: Catalogue
) -> None:
    assert kinds(reply, facts, catalogue) == ["number"]


def test_school_grades_are_not_catalogue_figures(facts: Facts, catalogue: Catalogue) -> None:
    assert (
        check_reply("After class 12, or from class 11, Software Engineer.", facts, catalogue) == []
    )


def test_an_ordinary_word_is_not_a_career(catalogue: Catalogue) -> None:
    # "developer" alone is not the alias "software developer"
    assert check_reply("Every developer learns by building things.", Facts(), catalogue) == []


def test_facts_survive_a_round_trip(facts: Facts) -> None:
    assert Facts.from_json(facts.to_json()) == facts


def test_the_longest_name_wins(catalogue: Catalogue) -> None:
    # "UPSC CSE" is the exam; "UPSC" alone would be the IAS Officer's alias
    facts = Facts()
    facts.add_exam("upsc-cse", "UPSC CSE")
    assert check_reply("Sit UPSC CSE after your degree.", facts, catalogue) == []
    assert kinds("Become UPSC.", facts, catalogue) == ["career"]


def test_a_name_quoted_from_a_retrieved_record_is_grounded(catalogue: Catalogue) -> None:
    facts = Facts()
    facts.add_text("Degree: B.Com alongside CA")
    assert check_reply("Study B.Com alongside CA.", facts, catalogue) == []
