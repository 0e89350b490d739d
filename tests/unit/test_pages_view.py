"""The pages' pure helpers: URL state, chips, pagination, highlights, the profile form."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from search_api.pages.view import (
    ExploreState,
    band_token,
    chips,
    compare_url,
    facet_groups,
    pagination,
    parse_band,
    parse_explore,
    parse_ids,
    parse_profile,
    phrases,
    relaxations,
    safe_highlight,
)
from search_api.profiles.schemas import Profile
from search_api.quiz.items import TYPES
from search_api.search.schemas import FacetCount, Relaxation

WORDS = {letter: t.name for letter, t in TYPES.items()}


def label(param: str, value: str) -> str:
    return f"<{value}>"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_explore_url_round_trips_in_one_canonical_order() -> None:
    state = parse_explore(
        {
            "stream": ["PCB", "PCM", "PCB"],
            "category": ["Medicine"],
            "q": ["  docter   mbbs "],
            "salary": ["600000-1000000"],
            "sort": ["salary_desc"],
            "page": ["3"],
        }
    )
    assert state.q == "docter mbbs"
    assert state.filters["stream"] == ("PCM", "PCB")  # the vocabulary's order, no repeat
    assert state.salary == (600_000, 1_000_000)
    url = state.url()
    assert url == (
        "/explore?q=docter+mbbs&category=Medicine&stream=PCM&stream=PCB"
        "&salary=600000-1000000&sort=salary_desc&page=3"
    )
    assert parse_explore(query_of(url)) == state


def test_unknown_values_are_dropped_and_reported() -> None:
    state = parse_explore(
        {"category": ["Medicine", "<b>"], "exam": ["neet-ug", "DROP TABLE"], "sort": ["x"]}
    )
    # a well-formed but unknown category is the search service's to reject (the page then
    # drops it); a malformed one never leaves the page
    assert state.filters == {"category": ("Medicine",), "exam": ("neet-ug",)}
    assert state.sort == "relevance"
    assert set(state.ignored) == {"category=<b>", "exam=DROP TABLE", "sort=x"}
    assert parse_explore({"page": ["0"]}).page == 1
    assert parse_explore({"page": ["abc"]}).ignored == ("page=abc",)


def test_search_params_turn_a_half_open_band_into_an_inclusive_range() -> None:
    params = ExploreState(salary=(300_000, 600_000)).search_params()
    assert (params.salary_min, params.salary_max) == (300_000, 599_999)
    params = ExploreState(salary=(2_000_000, None)).search_params()
    assert (params.salary_min, params.salary_max) == (2_000_000, None)
    assert parse_band("-300000") == (None, 300_000)
    assert parse_band(band_token(None, 300_000)) == (None, 300_000)
    assert parse_band("5-2") is None
    assert parse_band("-") is None


def test_toggle_and_remove_reset_the_page() -> None:
    state = ExploreState(q="doctor", filters={"stream": ("PCB",)}, page=4)
    added = query_of(state.toggle("stream", "PCM"))
    assert added["stream"] == ["PCM", "PCB"]
    assert "page" not in added
    removed = query_of(state.toggle("stream", "PCB"))
    assert "stream" not in removed
    assert removed["q"] == ["doctor"]
    cleared = ExploreState(q="x", sort="name", filters={"stream": ("PCB",)}, salary=(1, 2))
    assert cleared.cleared() == "/explore?q=x&sort=name"


def test_chips_remove_one_value_each() -> None:
    state = ExploreState(
        filters={"category": ("Medicine", "Nursing"), "stream": ("PCB",)},
        salary=(300_000, 600_000),
    )
    got = chips(state, label)
    assert [(c.param, c.label) for c in got] == [
        ("category", "<Medicine>"),
        ("category", "<Nursing>"),
        ("stream", "<PCB>"),
        ("salary", "<3-6 lakh>"),
    ]
    first = query_of(got[0].url)
    assert first["category"] == ["Nursing"]
    assert first["salary"] == ["300000-600000"]
    assert "salary" not in query_of(got[3].url)


def test_facet_groups_keep_a_selected_value_whose_count_fell_to_zero() -> None:
    state = ExploreState(filters={"stress_level": ("Low",)})
    facets = {
        "stress_level": [FacetCount(value="High", count=4)],
        "exam": [FacetCount(value=f"exam-{i}", count=20 - i) for i in range(12)],
        "salary_band": [FacetCount(value="3-6 lakh", count=7, min=300_000, max=600_000)],
    }
    groups = {g.param: g for g in facet_groups(state, facets, label)}
    stress = groups["stress_level"].options
    assert [(o.value, o.count, o.selected) for o in stress] == [
        ("High", 4, False),
        ("Low", 0, True),
    ]
    assert len(groups["exam"].options) == 8
    assert len(groups["exam"].more) == 4
    salary = groups["salary"]
    assert salary.kind == "radio"
    assert salary.options[0].selected
    assert [o.count for o in salary.options if o.value == "300000-600000"] == [7]
    assert "category" not in groups  # nothing to show


def test_relaxations_link_to_the_page_without_that_filter() -> None:
    state = ExploreState(q="doctor", filters={"category": ("Law",), "stream": ("PCB",)})
    options = [
        Relaxation(parameter="stream", value=["PCB"], results_without_it=0),
        Relaxation(parameter="category", value=["Law"], results_without_it=9),
    ]
    got = relaxations(state, options, label)
    assert [(r.param, r.values, r.count) for r in got] == [("category", "<Law>", 9)]
    assert query_of(got[0].url) == {"q": ["doctor"], "stream": ["PCB"]}


def test_pagination_marks_gaps_and_the_current_page() -> None:
    links = pagination(ExploreState(page=6), total=200)
    numbers = [p.number for p in links]
    assert numbers == [1, None, 4, 5, 6, 7, 8, None, 20]
    assert [p.number for p in links if p.current] == [6]
    assert pagination(ExploreState(), total=10) == []


def test_highlights_keep_only_the_match_marks() -> None:
    fragment = "An <em>MBBS</em> doctor <script>alert(1)</script> & <b>more</b> <em>x"
    html = str(safe_highlight(fragment))
    assert html.startswith("An <mark>MBBS</mark> doctor &lt;script&gt;")
    assert "&amp;" in html
    assert "&lt;b&gt;" in html
    assert html.endswith("<mark>x</mark>")
    assert "<script>" not in html
    assert "<em>" not in html


def test_compare_ids_keep_order_and_at_most_four() -> None:
    ids, dropped = parse_ids("a-1, b-2,a-1,,Bad Id,c,d,e")
    assert ids == ["a-1", "b-2", "c", "d"]
    assert dropped == ["a-1", "Bad Id", "e"]
    assert compare_url(["a-1", "b-2"]) == "/compare?ids=a-1,b-2"
    assert compare_url([]) == "/compare"


def test_profile_form_makes_a_valid_recommendation_profile() -> None:
    form = parse_profile(
        {
            "grade": ["12"],
            "stream": ["PCB"],
            "interests": ["biology, Biology; helping people"],
            "skills": ["patience"],
            "salary_min": ["6"],
            "salary_max": ["20.5"],
            "remote": ["1"],
            "max_stress": ["Medium"],
            "max_travel": ["Sometimes"],
            "riasec": ["sia"],
        }
    )
    assert form.problems() == []
    assert form.letters() == ["S", "I", "A"]
    body = form.profile_body(WORDS)
    profile = Profile.model_validate(body)
    assert profile.interests == ["biology", "helping people", "social", "investigative", "artistic"]
    assert (profile.salary_min, profile.salary_max) == (600_000, 2_050_000)
    assert profile.work_preferences.remote is True
    assert profile.work_preferences.max_stress == "Medium"
    assert profile.work_preferences.max_travel is None  # not a level: ignored
    assert parse_profile(query_of("/for-you?" + form.query())) == form


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ({"stream": "PCB"}, "error_grade"),
        ({"grade": "12"}, "error_stream"),
        ({"grade": "12", "stream": "PCB", "salary_min": "six"}, "error_salary_number"),
        (
            {"grade": "12", "stream": "PCB", "salary_min": "9", "salary_max": "3"},
            "error_salary_order",
        ),
    ],
)
def test_profile_form_names_what_is_wrong(values: dict[str, str], problem: str) -> None:
    assert problem in parse_profile({k: [v] for k, v in values.items()}).problems()


def test_phrases_split_trim_and_deduplicate() -> None:
    assert phrases(" a ,b;; A\nc  d ") == ["a", "b", "c d"]
    assert phrases("x" * 100) == ["x" * 80]
