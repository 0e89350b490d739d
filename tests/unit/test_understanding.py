"""Query understanding on the real catalogue (data/), plus a tiny one for Hindi-name fields."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from search_api.search.evaluation import load_judgments, understanding_accuracy
from search_api.search.understanding import (
    FACET_VOCABULARY,
    GOVERNMENT_CATEGORIES,
    Lexicon,
    Understanding,
    _constraint_phrases,
    understand,
)
from tests.fixtures.relevance import JUDGMENTS

ROOT = Path(__file__).resolve().parents[2]


def _rows(folder: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / folder).glob("*.yaml")):
        rows.extend(yaml.safe_load(path.read_text(encoding="utf-8")))
    return rows


@pytest.fixture(scope="module")
def careers() -> list[dict[str, Any]]:
    return _rows("careers")


@pytest.fixture(scope="module")
def lexicon(careers: list[dict[str, Any]]) -> Lexicon:
    categories = yaml.safe_load((ROOT / "data" / "categories.yaml").read_text(encoding="utf-8"))
    return Lexicon.build(careers, _rows("exams"), [c["name"] for c in categories])


def read(text: str, lexicon: Lexicon) -> Understanding:
    return understand(text, lexicon)


# ---- streams and grades --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "stream"),
    [
        ("PCMB", "PCMB"),
        ("pcmb careers", "PCMB"),
        ("PCM", "PCM"),
        ("PCB student", "PCB"),
        ("science with bio", "PCB"),
        ("science with maths", "PCM"),
        ("maths and bio", "PCMB"),
        ("PCM with biology", "PCMB"),
        ("pcb + maths", "PCMB"),
        ("non medical", "PCM"),
        ("non-medical student", "PCM"),
        ("medical stream", "PCB"),
        ("arts", "Humanities"),
        ("humanities", "Humanities"),
        ("humanties stream", "Humanities"),  # typo of a constraint word
        ("after 12th commerce", "Commerce"),
        ("commerse without maths", "Commerce"),
        ("12th science", "Science"),
        ("after science", "Science"),
    ],
)
def test_stream(query: str, stream: str, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.stream == stream
    assert next(c for c in u.constraints if c.kind == "stream").hard


def test_pcmb_is_not_pcm(lexicon: Lexicon) -> None:
    assert read("PCMB", lexicon).streams == ("PCMB",)
    assert read("PCM", lexicon).streams == ("PCM",)
    assert read("12th science", lexicon).streams == ("PCM", "PCB", "PCMB")


@pytest.mark.parametrize(
    "query",
    [
        "fine arts",
        "performing arts",
        "e-commerce manager",
        "computer science",
        "careers in science",
        "data science",
        "martial arts coach",
    ],
)
def test_stream_words_inside_other_names_are_not_streams(query: str, lexicon: Lexicon) -> None:
    assert read(query, lexicon).stream is None


@pytest.mark.parametrize(
    ("query", "grade"),
    [
        ("class 11", 11),
        ("class 12 pcb", 12),
        ("12th", 12),
        ("11th commerce", 11),
        ("XII", 12),
        ("class XI", 11),
        ("12th ke baad", 12),
        ("12vi ke baad kya kare", 12),
        ("after 10th", 10),
        ("10+2 ke baad", 12),
        ("what after +2", 12),
        ("std 12", 12),
        ("2nd PUC", 12),
    ],
)
def test_grade(query: str, grade: int, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.grade == grade
    assert not next(c for c in u.constraints if c.kind == "grade").hard


# ---- subjects ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "excluded"),
    [
        ("without maths", ("Mathematics",)),
        ("no biology", ("Biology",)),
        ("bina maths ke", ("Mathematics",)),
        ("maths ke bina", ("Mathematics",)),
        ("maths nahi", ("Mathematics",)),
        ("I hate maths", ("Mathematics",)),
        ("not good at maths", ("Mathematics",)),
        ("maths free careers", ("Mathematics",)),
        ("without maths and physics", ("Mathematics", "Physics")),
        ("no maths or biology", ("Mathematics", "Biology")),
        ("without any chemistry", ("Chemistry",)),
        ("बिना गणित", ("Mathematics",)),
    ],
)
def test_excluded_subjects(query: str, excluded: tuple[str, ...], lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.excluded_subjects == excluded
    assert all(c.hard for c in u.constraints if c.kind == "excluded_subject")


def test_required_and_excluded_together(lexicon: Lexicon) -> None:
    u = read("careers with biology but no maths", lexicon)
    assert u.required_subjects == ("Biology",)
    assert u.excluded_subjects == ("Mathematics",)
    required = next(c for c in u.constraints if c.kind == "required_subject")
    assert not required.hard  # a boost, not a filter


def test_commerce_with_maths_is_a_stream_and_a_wish(lexicon: Lexicon) -> None:
    u = read("commerce with maths", lexicon)
    assert (u.stream, u.required_subjects, u.excluded_subjects) == (
        "Commerce",
        ("Mathematics",),
        (),
    )


def test_liking_a_subject_is_not_a_constraint(lexicon: Lexicon) -> None:
    u = read("good at maths", lexicon)
    assert u.summary() == {}
    assert u.remaining_text == "good at maths"


def test_excluded_exams(lexicon: Lexicon) -> None:
    assert read("without neet", lexicon).excluded_exams == ("neet-ug",)
    u = read("bina neet ke doctor", lexicon)
    assert u.excluded_exams == ("neet-ug",)
    assert u.careers == ("doctor-mbbs",)
    assert u.remaining_text == "doctor"


@pytest.mark.parametrize(
    "text",
    [
        "want to work in a hospital but not as a doctor",
        "hospital jobs other than doctor",
        "hospital mein kaam, doctor nahi",
        "hospital mein kaam, डॉक्टर नहीं",
    ],
)
def test_a_career_named_to_rule_it_out(text: str, lexicon: Lexicon) -> None:
    u = read(text, lexicon)
    assert "doctor-mbbs" in u.excluded_careers
    assert u.careers == ()  # no wish to find it
    assert "doctor" not in u.remaining_text.split()
    assert "hospital" in u.remaining_text
    (ruled_out,) = [c for c in u.constraints if c.kind == "excluded_career"]
    assert read(text, lexicon).without(ruled_out.key).excluded_careers == ()
    # a plain mention is still a mention
    assert read("doctor in a hospital", lexicon).careers[:1] == ("doctor-mbbs",)
    assert read("doctor in a hospital", lexicon).excluded_careers == ()


# ---- salary --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "low", "high"),
    [
        ("10 LPA", 1_000_000, None),
        ("10lpa job", 1_000_000, None),
        ("above 8 lakh", 800_000, None),
        ("more than 8 lakhs per annum", 800_000, None),
        ("1.2 crore", 12_000_000, None),
        ("50k per month", 600_000, None),
        ("50,000 per month", 600_000, None),
        ("50 thousand a month", 600_000, None),
        ("salary 30000", 360_000, None),  # a bare thousands figure is monthly in India
        ("salary above 800000", 800_000, None),
        ("₹8 lakh", 800_000, None),
        ("15+ LPA", 1_500_000, None),
        ("12 lpa wali job", 1_200_000, None),
        ("10 lakh se zyada", 1_000_000, None),
        ("under 5 lpa", None, 500_000),
        ("upto 6 lakh", None, 600_000),
        ("5-10 LPA", 500_000, 1_000_000),
        ("between 6 and 12 lakh", 600_000, 1_200_000),
        ("salery above 10 lakh", 1_000_000, None),
    ],
)
def test_salary(query: str, low: int | None, high: int | None, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert (u.salary_min, u.salary_max) == (low, high)
    assert all(c.hard for c in u.constraints if c.kind in ("salary_min", "salary_max"))
    assert u.remaining_text in ("", "job")


@pytest.mark.parametrize(
    "query", ["high salary", "well paid jobs", "zyada salary wali job", "highest paying careers"]
)
def test_high_salary_is_a_soft_preference(query: str, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.salary_preference == "high"
    assert (u.salary_min, u.salary_max) == (None, None)
    assert not any(c.hard for c in u.constraints)
    assert any(b.field == "mid_salary" for b in u.plan().boosts)


def test_numbers_are_never_grades_or_salaries_by_accident(lexicon: Lexicon) -> None:
    assert read("12 lakh", lexicon).grade is None
    assert read("class 12", lexicon).salary_min is None
    assert read("top 10 careers", lexicon).summary() == {}


# ---- work preferences ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "levels"),
    [
        ("low stress", ("Low",)),
        ("stress free job", ("Low",)),
        ("stress-free job", ("Low",)),
        ("tension free naukri", ("Low",)),
        ("stres free", ("Low",)),  # typo
        ("less pressure", ("Low", "Medium")),
        ("kam stress wali job", ("Low", "Medium")),
        ("jobs without much stress", ("Low", "Medium")),
        ("zyada tension nahi wali job", ("Low", "Medium")),
    ],
)
def test_stress(query: str, levels: tuple[str, ...], lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.stress_levels == levels
    assert u.plan().facets["stress_level"] == levels


@pytest.mark.parametrize(
    ("query", "levels"),
    [
        ("good work life balance", ("Good", "Excellent")),
        ("work-life balance", ("Good", "Excellent")),
        ("9 to 5 job", ("Good", "Excellent")),
        ("fixed hours", ("Good", "Excellent")),
        ("excellent work life balance", ("Excellent",)),
    ],
)
def test_work_life_balance(query: str, levels: tuple[str, ...], lexicon: Lexicon) -> None:
    assert read(query, lexicon).work_life_balance == levels


@pytest.mark.parametrize(
    ("query", "levels"),
    [
        ("work from home", ("Partial", "Full")),
        ("WFH", ("Partial", "Full")),
        ("remote job", ("Partial", "Full")),
        ("ghar se kaam", ("Partial", "Full")),
        ("fully remote", ("Full",)),
    ],
)
def test_remote(query: str, levels: tuple[str, ...], lexicon: Lexicon) -> None:
    assert read(query, lexicon).remote_work == levels


def test_remote_in_other_senses_is_not_remote_work(lexicon: Lexicon) -> None:
    assert read("doctor in remote areas", lexicon).remote_work == ()
    u = read("remote pilot", lexicon)  # an alias of drone-pilot
    assert (u.remote_work, u.careers) == ((), ("drone-pilot",))


def test_travel(lexicon: Lexicon) -> None:
    no = read("no travel", lexicon)
    assert no.travel_required == ("Rare",)
    assert no.constraints[0].hard
    assert read("less travel", lexicon).travel_required == ("Rare", "Occasional")
    more = read("want to travel the world", lexicon)
    assert more.travel_required == ("Frequent",)
    assert not more.constraints[0].hard  # a wish: boosted, and its words stay for the legs
    assert more.remaining_text == "want to travel the world"
    assert "travel_required" not in more.plan().facets


@pytest.mark.parametrize(
    ("query", "sector"),
    [
        ("sarkari naukri", "government"),
        ("government job", "government"),
        ("govt jobs", "government"),
        ("goverment job", "government"),
        ("private sector", "private"),
        ("PSU", "psu"),
    ],
)
def test_sector(query: str, sector: str, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.sector == sector
    assert not any(c.hard for c in u.constraints)


def test_government_is_boosted_through_its_categories(lexicon: Lexicon) -> None:
    plan = read("sarkari naukri", lexicon).plan()
    assert any(b.field == "category" and b.values == GOVERNMENT_CATEGORIES for b in plan.boosts)
    assert plan.text == "sarkari naukri"  # kept for BM25: aliases such as "sarkari clerk"


# ---- exams, careers, states ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "exam"),
    [
        ("neet", "neet-ug"),
        ("NEET UG", "neet-ug"),
        ("jee mains", "jee-main"),
        ("JEE Main", "jee-main"),
        ("cuet", "cuet-ug"),
        ("clat", "clat"),
        ("CLAT preparation", "clat"),
        ("CA Foundation", "ca-foundation"),
        ("GATE", "gate"),
        ("cat exam", "cat"),
    ],
)
def test_exams(query: str, exam: str, lexicon: Lexicon) -> None:
    assert read(query, lexicon).exams == (exam,)


def test_exam_names_that_are_english_words_need_capitals_or_context(lexicon: Lexicon) -> None:
    assert read("I love my cat", lexicon).exams == ()
    assert read("the gate of the college", lexicon).exams == ()
    assert read("CAT", lexicon).exams == ("cat",)


@pytest.mark.parametrize(
    ("query", "career"),
    [
        ("doctor", "doctor-mbbs"),
        ("docter", "doctor-mbbs"),
        ("docters", "doctor-mbbs"),
        ("daktar", "doctor-mbbs"),
        ("डॉक्टर", "doctor-mbbs"),
        ("वकील", "lawyer"),
        ("vakeel", "lawyer"),
        ("wakeel", "lawyer"),
        ("अध्यापक", "school-teacher"),
        ("sikshak", "school-teacher"),
        ("charterd acountant", "chartered-accountant"),
        ("buisness analyst", "business-analyst"),
        ("fotographer", "photographer"),
        ("nyaydhish", "judge"),
        ("dant chikitsak", "dentist"),
        ("CA", "chartered-accountant"),
        ("ca", "chartered-accountant"),
        ("IAS", "ias-officer"),
        ("IPS", "ips-officer"),
        ("CS", "company-secretary"),
        ("BSc nursing", "nurse"),
        ("B.Sc. Nursing", "nurse"),
        ("teachers", "school-teacher"),
    ],
)
def test_career_mentions(query: str, career: str, lexicon: Lexicon) -> None:
    u = read(query, lexicon)
    assert u.careers[:1] == (career,)
    # a career name is what the student wants to find: its words stay
    assert u.remaining_text == " ".join(query.split())


def test_short_acronyms_match_exactly(lexicon: Lexicon) -> None:
    assert read("CAD", lexicon).careers == ()  # never fuzzed into CA
    assert read("CAD", lexicon).corrections == ()
    assert read("IT", lexicon).careers == ()
    # a short everyday word is not an acronym unless typed in capitals
    assert read("it is good", lexicon).careers == ()
    assert read("jobs in up", lexicon).states == ()
    assert read("jobs in UP", lexicon).states == ("Uttar Pradesh",)


def test_numbers_are_never_fuzzed(lexicon: Lexicon) -> None:
    u = read("12th 108 ambulance", lexicon)
    assert all(c.original.isalpha() for c in u.corrections)
    assert read("11", lexicon).corrections == ()


def test_typo_distance_grows_with_length(lexicon: Lexicon) -> None:
    assert lexicon.correct("lawer") == ("lawyer", "fuzzy")  # 5 letters, 1 edit
    assert lexicon.correct("nurce") is not None
    assert lexicon.correct("dentis") is not None
    # two edits are allowed only from 8 letters
    assert lexicon.correct("architekt") is not None
    assert lexicon.correct("nrsx") is None


def test_english_words_are_not_typos(careers: list[dict[str, Any]]) -> None:
    everyday = Lexicon.build(careers, _rows("exams"))
    bare = Lexicon.build(careers, _rows("exams"), english=frozenset())
    # words our catalogue never uses are still words: without the English list they were
    # "corrected" into a catalogue word a letter or a sound away
    for word in ("sleep", "courtesy", "soar"):
        assert bare.correct(word) is not None
        assert everyday.correct(word) is None
    assert read("sleep technician", everyday).search_text == "sleep technician"
    # real typos are still corrected
    assert everyday.correct("lawer") == ("lawyer", "fuzzy")
    assert everyday.correct("architekt") is not None


def test_a_neighbouring_word_chooses_between_equally_near_corrections(lexicon: Lexicon) -> None:
    # "mechanicle" is two edits from both "mechanic" and "mechanical"
    chosen = lexicon.correct("mechanicle")
    assert chosen is not None
    assert {"mechanic", "mechanical"} <= {chosen[0], *lexicon.equally_near("mechanicle", chosen[0])}
    u = read("mechanicle engineer", lexicon)
    assert u.search_text == "mechanical engineer"
    assert [(c.original, c.corrected) for c in u.corrections] == [("mechanicle", "mechanical")]


def test_states(lexicon: Lexicon) -> None:
    u = read("engineering colleges in Maharashtra", lexicon)
    assert u.states == ("Maharashtra",)
    assert u.remaining_text == "engineering colleges"
    assert read("jobs in orissa", lexicon).states == ("Odisha",)
    assert read("tamil nadu", lexicon).states == ("Tamil Nadu",)


def test_categories_are_soft(lexicon: Lexicon) -> None:
    u = read("medical without neet", lexicon)
    assert u.categories == ("Medicine",)
    assert not next(c for c in u.constraints if c.kind == "category").hard
    assert u.remaining_text == "medical"


# ---- spans, undo, remaining text, plan -----------------------------------------------


def test_spans_are_the_words_they_came_from(lexicon: Lexicon) -> None:
    query = "12th commerce without maths, salary above 8 lakh, low stress"
    u = read(query, lexicon)
    for c in u.constraints:
        assert query[c.span.start : c.span.end] == c.span.text
    by_kind = {c.kind: c.span.text for c in u.constraints}
    assert by_kind["grade"] == "12th"
    assert by_kind["stream"] == "commerce"
    assert by_kind["excluded_subject"] == "without maths"
    assert by_kind["salary_min"] == "salary above 8 lakh"
    assert by_kind["stress_level"] == "low stress"


def test_undo_puts_the_words_back(lexicon: Lexicon) -> None:
    u = read("doctor with low stress", lexicon)
    assert u.remaining_text == "doctor"
    assert set(u.undo_keys()) == {"career:doctor-mbbs", "stress_level"}
    dropped = u.without("stress_level")
    assert dropped.stress_levels == ()
    assert dropped.remaining_text == "doctor with low stress"
    assert u.without("no-such-key") is u


def test_multi_valued_constraints_undo_one_at_a_time(lexicon: Lexicon) -> None:
    u = read("without maths and physics", lexicon)
    keys = u.undo_keys()
    assert keys == ("excluded_subject:Mathematics", "excluded_subject:Physics")
    assert u.without(keys[0]).excluded_subjects == ("Physics",)


def test_remaining_text(lexicon: Lexicon) -> None:
    assert read("12th commerce without maths", lexicon).remaining_text == ""
    assert read("high salary low stress", lexicon).remaining_text == ""
    assert read("engineering jobs with high salary", lexicon).remaining_text == "engineering jobs"
    assert read("I enjoy solving puzzles", lexicon).remaining_text == "I enjoy solving puzzles"
    # Devanagari stays as typed; search_text is what the Latin index understands
    u = read("डॉक्टर", lexicon)
    assert (u.remaining_text, u.script) == ("डॉक्टर", "devanagari")
    # a spelling the Latin index holds: the English name or the catalogue's Hinglish one
    assert u.search_text in {"doctor", "doktar"}


def test_empty_and_odd_input(lexicon: Lexicon) -> None:
    for text in ("", "   ", "???", "।", "+ + +"):
        u = read(text, lexicon)
        assert u.constraints == ()
        assert u.summary() == {}


def test_plan_maps_to_the_facet_vocabulary(lexicon: Lexicon, careers: list[dict[str, Any]]) -> None:
    u = read("12th commerce without maths, good work life balance, work from home", lexicon)
    plan = u.plan()
    assert plan.facets == {
        "stream": ("Commerce",),
        "work_life_balance": ("Good", "Excellent"),
        "remote_work": ("Partial", "Full"),
    }
    assert plan.excluded_subjects == ("Mathematics",)
    filters = plan.filters()
    assert filters.matching_values("stream") == ("Commerce",)
    allowed = [c for c in careers if plan.allows(c)]
    assert allowed
    for career in allowed:
        assert "Commerce" in career["streams"]
        assert "Mathematics" not in career["subjects"]
        assert career["work_life_balance"] in ("Good", "Excellent")
        assert career["remote_work"] in ("Partial", "Full")
    refused = [c for c in careers if not plan.allows(c)]
    assert any(c["id"] == "chartered-accountant" for c in refused)  # lists Mathematics


def test_pcmb_plan_admits_pcm_and_pcb_careers(
    lexicon: Lexicon, careers: list[dict[str, Any]]
) -> None:
    plan = read("PCMB low stress", lexicon).plan()
    admitted = {c["id"] for c in careers if plan.allows(c)}
    assert {c["id"] for c in careers if c["stress_level"] == "Low"} == admitted


# ---- Hindi-name fields (what the catalogue gains: hindi_name, hindi_aliases, hinglish) --


def _tiny() -> Lexicon:
    base = {"category": "Medicine", "aliases": []}
    return Lexicon.build(
        [
            {
                **base,
                "id": "doctor-mbbs",
                "name": "Doctor (MBBS)",
                "aliases": ["doctor", "MBBS"],
                "hindi_name": "डॉक्टर",
                "hindi_aliases": ["चिकित्सक"],
                "hinglish": ["daktar", "doktar"],
                "prominence": 5,
            },
            {
                **base,
                "id": "unani-doctor",
                "name": "Unani Doctor",
                "hindi_name": "यूनानी डॉक्टर",
                "hinglish": ["hakeem sahab"],
                "prominence": 2,
            },
            {
                **base,
                "id": "software-engineer",
                "category": "Technology",
                "name": "Software Engineer",
                "hindi_name": "सॉफ्टवेयर इंजीनियर",
                "hindi_aliases": ["इंजीनियर"],
                "hinglish": ["injiniyar"],
                "prominence": 5,
            },
        ],
        [
            {
                "id": "neet-ug",
                "name": "NEET-UG",
                "full_name": "National Eligibility cum Entrance Test",
            }
        ],
    )


def test_hindi_names_match_exactly_and_by_reading() -> None:
    lex = _tiny()
    hindi = understand("इंजीनियर", lex)
    assert hindi.careers == ("software-engineer",)
    assert hindi.career_mentions[0].via == "hindi"
    # the nasal written with a virama is the same word
    assert understand("इन्जीनियर", lex).careers == ("software-engineer",)
    assert understand("injiniyar", lex).careers == ("software-engineer",)
    assert understand("injiniar", lex).careers == ("software-engineer",)  # one edit
    assert understand("यूनानी डॉक्टर", lex).careers == ("unani-doctor",)
    assert understand("hakim sahab", lex).careers == ("unani-doctor",)


def test_hinglish_spellings_are_searchable() -> None:
    lex = _tiny()
    assert understand("daktar", lex).career_mentions[0].via in ("hinglish", "exact")
    assert understand("daktar chahiye", lex).careers == ("doctor-mbbs",)


# ---- the judged constraint phrases --------------------------------------------------


def test_judged_constraint_phrases_tune_half(lexicon: Lexicon) -> None:
    judgments = load_judgments(JUDGMENTS, split="tune")
    accuracy, n, misses = understanding_accuracy(judgments, lambda q: read(q, lexicon).summary())
    assert n >= 30
    assert accuracy >= 0.90, misses


def test_constraint_values_are_facet_values() -> None:
    # every value a phrase can produce exists in records.py (a rename there fails here)
    for _, entry in _constraint_phrases():
        if entry.kind in FACET_VOCABULARY:
            assert set(entry.value) <= set(FACET_VOCABULARY[entry.kind]), entry


# ---- a query that only names a group ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "groups"),
    [
        ("NEET", [("exam", "neet-ug")]),
        ("careers after NEET", [("exam", "neet-ug")]),
        ("jee main colleges", [("exam", "jee-main")]),
        ("medical", [("category", "Medicine")]),
        ("design careers for PCB students", [("category", "Design")]),
    ],
)
def test_only_groups(query: str, groups: list[tuple[str, str]], lexicon: Lexicon) -> None:
    assert [(c.kind, c.value) for c in read(query, lexicon).only_groups()] == groups


@pytest.mark.parametrize(
    "query",
    [
        "IBPS PO",  # names a career (Bank PO) as well: the career leads
        "NEET topper biography",  # other words are left
        "12th commerce without maths",  # no exam or category at all
    ],
)
def test_not_only_groups(query: str, lexicon: Lexicon) -> None:
    assert read(query, lexicon).only_groups() == ()


def test_a_required_subject_leaves_the_text(lexicon: Lexicon) -> None:
    u = read("maths related careers with low stress", lexicon)
    assert u.required_subjects == ("Mathematics",)
    assert "maths" not in u.search_text
    assert u.plan().boosts[0].field == "subjects"
