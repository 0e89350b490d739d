"""The student pages: explore, career detail, compare, for you, quiz; and their static files.

Handlers call the same services as the JSON endpoints, in-process, and render templates.
Every page works as plain HTML forms and links; static/app.js only makes it smoother.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from opensearchpy.exceptions import TransportError
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException

from search_api.careers.records import (
    SLUG_PATTERN,
    STREAMS,
    STRESS_LEVELS,
    TRAVEL_LEVELS,
    WORK_LIFE_BALANCES,
)
from search_api.core.crypto import DecryptionFailed
from search_api.core.deps import UseCacheDep
from search_api.core.errors import AppError, DependencyUnavailable, NotFoundError
from search_api.pages.deps import PagesDep, PageServices
from search_api.pages.session import (
    CSRF_FIELD,
    SESSION_COOKIE,
    SIGNED_IN_COOKIE,
    PageAccountsDep,
    PageSession,
    PageSessionDep,
    csrf_ok,
    csrf_token,
    read_page_session,
    set_csrf_cookie,
)
from search_api.pages.strings import LANG_COOKIE, Lang, Translator, pick_lang
from search_api.pages.templating import assets, templates
from search_api.pages.view import (
    ProfileForm,
    chips,
    compare_url,
    facet_groups,
    first,
    form_from_saved,
    pagination,
    parse_explore,
    parse_ids,
    parse_profile,
    relaxations,
    saved_profile_fields,
)
from search_api.profiles.deps import ProfileRepositoryDep
from search_api.profiles.schemas import Profile, ProfileQuery, StudentProfile
from search_api.profiles.scoring import WEIGHTS
from search_api.profiles.service import effective_profile
from search_api.quiz.items import CHOICES, ITEMS, TYPES
from search_api.quiz.scoring import score_answers
from search_api.recommendations.schemas import RecommendationData
from search_api.search.schemas import SearchParams

# Every page knows whether a student is signed in (the nav, For you, explore).
router = APIRouter(include_in_schema=False, dependencies=[Depends(read_page_session)])

# A page shows "unavailable" for these instead of failing: a backing service is down or slow.
UNAVAILABLE: tuple[type[BaseException], ...] = (
    DependencyUnavailable,
    DBAPIError,
    OSError,
    TimeoutError,
    TransportError,
)
NICE_TO_HAVE: tuple[type[BaseException], ...] = (*UNAVAILABLE, AppError)
PROFILE_UNAVAILABLE: tuple[type[BaseException], ...] = (*UNAVAILABLE, DecryptionFailed)
RIASEC_WORDS = {letter: t.name for letter, t in TYPES.items()}
PART_KEYS = ("stream", "interest", "skill", "salary")


def query_lists(request: Request) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        out.setdefault(key, []).append(value)
    return out


def lang_of(request: Request) -> Lang:
    return pick_lang(request.cookies.get(LANG_COOKIE))


def render(
    request: Request,
    template: str,
    page_id: str,
    context: dict[str, Any],
    status: int = 200,
    url: str | None = None,
) -> HTMLResponse:
    """url: the canonical address of what is shown; the script puts it in the address bar."""
    lang = lang_of(request)
    current = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    session: PageSession = getattr(request.state, "page_session", None) or PageSession()
    csrf, new_csrf = csrf_token(request)
    response = templates.TemplateResponse(
        request,
        template,
        {
            "t": Translator(lang),
            "lang": lang,
            "other_lang": "en" if lang == "hi" else "hi",
            "current": current,
            "canonical": url or current,
            "page_id": page_id,
            "session": session,
            # the access token ran out; one click on "Sign in" renews it without a password
            "can_renew": not session.signed_in
            and SIGNED_IN_COOKIE in request.cookies
            and SESSION_COOKIE not in request.cookies,
            "csrf": csrf,
            **context,
        },
        status_code=status,
    )
    response.headers["Content-Language"] = lang
    # The same address renders in either language, chosen by a cookie.
    response.headers["Vary"] = "Cookie"
    response.headers["Cache-Control"] = "private, no-cache"
    if new_csrf:
        set_csrf_cookie(request, response, csrf)
    if session.stale:
        # only the dead access token: the sign-in itself may still be renewable
        response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def problem_page(request: Request, status: int, message_key: str) -> HTMLResponse:
    title = "not_found_title" if status == 404 else "unavailable_title"
    context = {"title_key": title, "message_key": message_key}
    return render(request, "problem.html", "problem", context, status)


# ---- explore ------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
@router.get("/explore", response_class=HTMLResponse)
async def explore_page(
    request: Request,
    pages: PagesDep,
    use_cache: UseCacheDep,
    session: PageSessionDep,
    profiles: ProfileRepositoryDep,
) -> HTMLResponse:
    state = parse_explore(query_lists(request))
    t = Translator(lang_of(request))
    outcome = None
    problem = None
    profile = None
    has_saved = False
    if session.principal is not None:
        # the API's own choice of profile (saved, skipped when Postgres is down, none when
        # personalise=false or empty), so the page and GET /careers/search rank alike
        profile = await effective_profile(ProfileQuery(), session.principal, profiles)
        has_saved = profile is not None
        if not state.personalise:
            profile = None
    try:
        try:
            outcome = await pages.search.search(
                state.search_params(), use_cache=use_cache, profile=profile
            )
        except AppError as exc:
            named = (
                {d.get("field") for d in exc.details} if isinstance(exc.details, list) else set()
            )
            stale = [p for p in ("exam", "category") if p in named and state.filters.get(p)]
            if exc.status != 422 or not stale:
                raise
            # an exam or category the catalogue does not know (an old shared link): drop it
            dropped = tuple(f"{p}={v}" for p in stale for v in state.filters[p])
            filters = {k: v for k, v in state.filters.items() if k not in stale}
            state = replace(state, filters=filters, ignored=(*state.ignored, *dropped))
            outcome = await pages.search.search(
                state.search_params(), use_cache=use_cache, profile=profile
            )
    except UNAVAILABLE:
        await pages.reset()
        problem = "error_service_down"
    except AppError as exc:
        invalid = {"state": state, "problem": "error_invalid", "details": exc.message}
        return render(request, "explore.html", "explore", invalid, 400)
    exam_ids: list[str] = []
    if outcome is not None:
        exam_ids = [f.value for f in outcome.data.facets.get("exam", [])]
    names = await pages.exam_names(sorted({*exam_ids, *state.filters.get("exam", ())}))

    def label(param: str, value: str) -> str:
        if param == "exam":
            return names.get(value, value.upper())
        return t.value(value)

    context: dict[str, Any] = {
        "state": state,
        "problem": problem,
        "data": None,
        "has_saved_profile": has_saved,
        "personalised": profile is not None,
        "part_keys": PART_KEYS,
        "weights": WEIGHTS,
        "signed_out": "signed_out" in request.query_params,
    }
    if outcome is not None:
        data = outcome.data
        context.update(
            data=data,
            degraded=outcome.degraded,
            groups=facet_groups(state, data.facets, label),
            chips=chips(state, label),
            pages=pagination(state, data.total),
            relaxed=(
                relaxations(state, data.zero_results.relaxations, label)
                if data.zero_results
                else []
            ),
            first_result=(state.page - 1) * data.size + 1,
            last_result=(state.page - 1) * data.size + len(data.results),
        )
    return render(
        request,
        "explore.html",
        "explore",
        context,
        503 if problem else 200,
        url=state.url(),
    )


# ---- career detail ------------------------------------------------------------------------


@router.get("/careers/{career_id}", response_class=HTMLResponse)
async def career_page(
    request: Request,
    career_id: Annotated[str, Path(max_length=80)],
    pages: PagesDep,
    use_cache: UseCacheDep,
) -> HTMLResponse:
    if not re.fullmatch(SLUG_PATTERN, career_id):
        return problem_page(request, 404, "not_found_text")
    try:
        career = await pages.careers.detail(career_id)
    except NotFoundError:
        return problem_page(request, 404, "not_found_text")
    except UNAVAILABLE:
        await pages.reset()
        return problem_page(request, 503, "error_service_down")
    related = []
    skip = {career.id, *(a.id for a in career.alternatives)}
    try:
        outcome = await pages.search.search(
            SearchParams(category=[career.category], size=12, sort="name"), use_cache=use_cache
        )
        related = [r for r in outcome.data.results if r.id not in skip][:6]
    except NICE_TO_HAVE:
        # related careers are a nicety; the page stands without them
        await pages.reset()
    compare_ids = [career.id, *(a.id for a in career.alternatives[:1])]
    letters = [i for i in career.interests if len(i) == 1]
    return render(
        request,
        "career.html",
        "career",
        {
            "career": career,
            "related": related,
            "compare_href": compare_url(compare_ids),
            "types": [TYPES[x] for x in letters if x in TYPES],
            "tags": [i for i in career.interests if len(i) > 1],
        },
    )


# ---- compare ------------------------------------------------------------------------------


async def resolve_addition(pages: PageServices, text: str, add_id: str) -> str | None:
    """The career a student picked (the suggestion's id) or typed (the best suggestion)."""
    ids, _ = parse_ids(add_id)
    if ids:
        return ids[0]
    if not text.strip():
        return None
    try:
        found = await pages.suggest(text, 1)
    except UNAVAILABLE:
        return None
    return found.suggestions[0].id if found.suggestions else None


@router.get("/compare", response_class=HTMLResponse, response_model=None)
async def compare_page(
    request: Request,
    pages: PagesDep,
    ids: Annotated[str, Query(max_length=300)] = "",
    add: Annotated[str, Query(max_length=100)] = "",
    add_id: Annotated[str, Query(max_length=60)] = "",
    missing: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    chosen, dropped = parse_ids(ids)
    if add or add_id:
        new = await resolve_addition(pages, add, add_id)
        if new and new not in chosen and len(chosen) < 4:
            chosen.append(new)
        target = compare_url(chosen)
        if not new:
            target += ("&" if "?" in target else "?") + urlencode({"missing": add.strip()[:100]})
        return RedirectResponse(target, status_code=303)
    data = None
    single = None
    problem = None
    try:
        while len(chosen) >= 2 and data is None:
            try:
                data = await pages.careers.compare(chosen)
            except NotFoundError as exc:
                unknown = list((exc.details or {}).get("unknown", [])) or chosen[-1:]
                dropped += unknown
                chosen = [c for c in chosen if c not in unknown]
        if len(chosen) == 1:
            try:
                single = await pages.careers.detail(chosen[0])
            except NotFoundError:
                dropped.append(chosen[0])
                chosen = []
    except UNAVAILABLE:
        await pages.reset()
        problem = "error_service_down"
    rows = []
    if data is not None:
        rows = [
            ("salary_entry", "entry_salary"),
            ("salary_mid", "mid_salary"),
            ("salary_senior", "senior_salary"),
            ("streams", "streams"),
            ("exams_short", "exams"),
            ("duration", "duration"),
            ("stress", "stress_level"),
            ("wlb", "work_life_balance"),
            ("outlook", "job_outlook"),
            ("remote", "remote_work"),
            ("travel", "travel_required"),
            ("skills", "skills"),
        ]
    return render(
        request,
        "compare.html",
        "compare",
        {
            "data": data,
            "single": single,
            "chosen": chosen,
            "dropped": dropped,
            "missing": missing,
            "rows": rows,
            "problem": problem,
            "remove_href": {c: compare_url([x for x in chosen if x != c]) for c in chosen},
        },
        503 if problem else 200,
        url=compare_url(chosen),
    )


# ---- for you ------------------------------------------------------------------------------


def bar_parts(data: RecommendationData) -> list[list[dict[str, Any]]]:
    """Per recommendation, the four parts as drawn: value (0..1), weight, points."""
    return [
        [
            {
                "key": key,
                "value": getattr(r.breakdown, key),
                "weight": WEIGHTS[key],
                "points": round(getattr(r.breakdown, key) * WEIGHTS[key], 3),
            }
            for key in PART_KEYS
        ]
        for r in data.recommendations
    ]


@router.get("/for-you", response_class=HTMLResponse)
async def for_you_page(
    request: Request,
    pages: PagesDep,
    use_cache: UseCacheDep,
    session: PageSessionDep,
    profiles: ProfileRepositoryDep,
) -> HTMLResponse:
    query = query_lists(request)
    form = parse_profile(query)
    from_url = bool(form.items())
    load_problem = None
    if session.principal is not None and session.principal.user_id and not from_url:
        # signed in: the saved profile, unless the URL brings one (from the quiz, a link)
        try:
            saved = await profiles.load(session.principal.user_id)
        except PROFILE_UNAVAILABLE:
            await profiles.session.rollback()
            load_problem = "error_profile_unavailable"
        else:
            if saved is not None:
                form = form_from_saved(saved, RIASEC_WORDS)
    return await for_you_response(
        request,
        pages,
        use_cache,
        session,
        form,
        saved_now="saved" in query,
        problem=load_problem,
        in_url=from_url,
    )


async def for_you_response(
    request: Request,
    pages: PagesDep,
    use_cache: bool,
    session: PageSession,
    form: ProfileForm,
    *,
    saved_now: bool = False,
    problem: str | None = None,
    status: int = 200,
    in_url: bool = False,
) -> HTMLResponse:
    """in_url: the profile came in the address (anonymous, or a link from the quiz), so the
    address keeps it; a signed-in student's saved profile is not put there."""
    problems = form.problems() if form.submitted else []
    data = None
    degraded = False
    if form.submitted and not problems:
        try:
            profile = Profile.model_validate(form.profile_body(RIASEC_WORDS))
            outcome = await pages.recommendations.recommend(profile, use_cache)
            data, degraded = outcome.data, outcome.degraded
        except ValidationError:
            problems = ["error_invalid_profile"]
        except UNAVAILABLE:
            await pages.reset()
            problem = "error_service_down"
    return render(
        request,
        "for_you.html",
        "for_you",
        {
            "form": form,
            "problems": problems,
            "data": data,
            "parts": bar_parts(data) if data else [],
            "problem": problem,
            "degraded": degraded,
            "types": [TYPES[x] for x in form.letters()],
            "streams": STREAMS,
            "travel_levels": TRAVEL_LEVELS,
            "wlb_levels": WORK_LIFE_BALANCES,
            "stress_levels": STRESS_LEVELS,
            "quiz_href": "/quiz?" + replace(form, riasec="").query() if form.items() else "/quiz",
            "saved_now": saved_now,
        },
        503 if problem == "error_service_down" else status,
        url="/for-you?" + form.query() if in_url and form.items() else "/for-you",
    )


@router.post("/for-you", response_class=HTMLResponse, response_model=None)
async def save_profile(
    request: Request,
    pages: PagesDep,
    use_cache: UseCacheDep,
    session: PageSessionDep,
    accounts: PageAccountsDep,
) -> Response:
    """A signed-in student's form: save the profile, then show it (post, redirect, get)."""
    fields = await request.form()
    items: dict[str, list[str]] = {}
    for key, value in fields.multi_items():
        if isinstance(value, str):
            items.setdefault(key, []).append(value[:2000])
    form = parse_profile(items)
    if session.principal is None:
        # signed out meanwhile: nothing to save to, so keep it in the address as for anyone
        return RedirectResponse("/for-you?" + form.query(), status_code=303)
    if not csrf_ok(request, first(items, CSRF_FIELD)):
        return await for_you_response(
            request, pages, use_cache, session, form, problem="error_form_expired", status=403
        )
    problems = form.problems() if form.submitted else ["error_grade", "error_stream"]
    if problems:
        return await for_you_response(request, pages, use_cache, session, form, status=422)
    try:
        current = await accounts.profile(session.principal)
        # state and language are kept as they were: this form does not ask for them
        profile = StudentProfile.model_validate(
            {
                **saved_profile_fields(form, RIASEC_WORDS),
                "state": current.state,
                "preferred_language": current.preferred_language,
            }
        )
        await accounts.save_profile(session.principal, profile)
    except ValidationError:
        return await for_you_response(
            request, pages, use_cache, session, form, problem="error_invalid_profile", status=422
        )
    except NICE_TO_HAVE:
        return await for_you_response(
            request, pages, use_cache, session, form, problem="error_service_down"
        )
    return RedirectResponse("/for-you?saved=1", status_code=303)


# ---- quiz ---------------------------------------------------------------------------------


@router.get("/quiz", response_class=HTMLResponse)
async def quiz_page(request: Request) -> HTMLResponse:
    query = query_lists(request)
    answers = {
        item.id: int(value)
        for item in ITEMS
        if (value := first(query, item.id)) in {str(c.value) for c in CHOICES}
    }
    profile = replace(parse_profile(query), riasec="")
    result = score_answers(answers) if answers else None
    for_you_href = None
    if result is not None and result.interests:
        letters = "".join(x for x in result.ranked if TYPES[x].name in result.interests)
        for_you_href = "/for-you?" + replace(profile, riasec=letters).query()
    return render(
        request,
        "quiz.html",
        "quiz",
        {
            "items": ITEMS,
            "choices": CHOICES,
            "types": TYPES,
            "answers": answers,
            "result": result,
            "submitted": "done" in query,
            "profile_items": profile.items(),
            "for_you_href": for_you_href,
        },
    )


# ---- language and static files --------------------------------------------------------------


def local_path(target: str) -> str:
    """Only paths on this site: never redirect elsewhere from a crafted link."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/lang/{code}")
async def switch_language(
    code: str, next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/"
) -> RedirectResponse:
    response = RedirectResponse(local_path(next_url), status_code=303)
    response.set_cookie(
        LANG_COOKIE, pick_lang(code), max_age=365 * 24 * 3600, samesite="lax", httponly=True
    )
    return response


@router.get("/static/{name}")
async def static_asset(request: Request, name: str) -> Response:
    asset = assets().get(name)
    if asset is None:
        raise HTTPException(404, f"no static file {name!r}")
    fresh = request.query_params.get("v") == asset.version
    headers = {
        # versioned URLs never change; an unversioned one may, so it is revalidated
        "Cache-Control": "public, max-age=31536000, immutable" if fresh else "no-cache",
        "ETag": f'"{asset.version}"',
        "Vary": "Accept-Encoding",
    }
    if request.headers.get("if-none-match") == headers["ETag"]:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)
