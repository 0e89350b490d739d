"""The pages' account helpers: the personalise switch in the explore URL, the saved profile
<-> For you form round trip, and the CSRF double-submit check."""

from __future__ import annotations

from starlette.requests import Request

from search_api.pages.endpoints import RIASEC_WORDS
from search_api.pages.session import CSRF_COOKIE, csrf_ok, csrf_token
from search_api.pages.strings import STRINGS
from search_api.pages.view import (
    ProfileForm,
    form_from_saved,
    parse_explore,
    saved_profile_fields,
)
from search_api.profiles.schemas import StudentProfile


def request_with(cookie: str | None) -> Request:
    headers = [(b"cookie", f"{CSRF_COOKIE}={cookie}".encode())] if cookie else []
    return Request({"type": "http", "method": "POST", "path": "/", "headers": headers})


def test_personalise_false_is_kept_in_every_link_of_the_page() -> None:
    state = parse_explore({"q": ["doctor"], "stream": ["PCB"], "personalise": ["false"]})
    assert state.personalise is False
    assert state.url() == "/explore?q=doctor&stream=PCB&personalise=false"
    assert "personalise=false" in state.toggle("stream", "PCM")
    assert "personalise=false" in state.cleared()
    assert state.personalised(True) == "/explore?q=doctor&stream=PCB"


def test_personalise_is_on_unless_the_url_turns_it_off() -> None:
    assert parse_explore({}).personalise is True
    assert parse_explore({"personalise": ["maybe"]}).personalise is True
    assert parse_explore({}).personalised(False) == "/explore?personalise=false"


def test_a_saved_profile_fills_the_form_it_was_saved_from() -> None:
    form = ProfileForm(
        grade="12",
        stream="PCB",
        interests="animals, caring for pets",
        skills="patience, observation",
        salary_min="3.5",
        salary_max="12",
        remote=True,
        max_travel="Occasional",
        min_wlb="Good",
        max_stress="Medium",
        riasec="IS",
    )
    saved = StudentProfile.model_validate(saved_profile_fields(form, RIASEC_WORDS))
    assert saved.salary_min == 350_000
    assert RIASEC_WORDS["I"] in saved.interests
    assert form_from_saved(saved, RIASEC_WORDS) == form


def test_an_empty_saved_profile_is_an_unsubmitted_form() -> None:
    form = form_from_saved(StudentProfile(), RIASEC_WORDS)
    assert form == ProfileForm()
    assert not form.submitted


def test_csrf_needs_the_cookie_and_the_field_to_match() -> None:
    token, new = csrf_token(request_with(None))
    assert new
    assert len(token) >= 40
    assert csrf_token(request_with(token)) == (token, False)
    assert csrf_ok(request_with(token), token)
    assert not csrf_ok(request_with(token), token[:-1] + "A" if token[-1] != "A" else "B")
    assert not csrf_ok(request_with(None), "")
    assert not csrf_ok(request_with(None), token)


def test_every_account_string_has_hindi() -> None:
    keys = [k for k in STRINGS if k.startswith(("sign", "delete", "personal", "account"))]
    assert len(keys) > 15
    assert all(STRINGS[k][1] and STRINGS[k][1] != STRINGS[k][0] for k in keys)
