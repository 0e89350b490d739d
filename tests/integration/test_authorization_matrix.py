"""Every route x every kind of caller, with the expected status of each cell written below.

The route list comes from the app itself (app.routes, with included routers expanded), so a
new route without a row here fails `test_every_route_has_a_row`, whether it is in OpenAPI or
not. Cells that change state (deleting an account, revoking
a key, spending a refresh token) are run with a fresh principal or resource of the column's
kind, so each cell is independent of the order they run in.
"""

from __future__ import annotations

import itertools
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from opensearchpy import AsyncOpenSearch
from sqlalchemy import text

from search_api.core.db import make_sync_engine
from search_api.core.embeddings import Embedder
from search_api.core.settings import Settings
from search_api.main import create_app
from tests.fixtures.api import api_client
from tests.fixtures.auth import Account, create_api_key, new_account, register, sign_in
from tests.fixtures.catalogue import career, write_catalogue
from tests.fixtures.database import sessionmaker_for
from tests.fixtures.indexing import load_and_index

COLUMNS = (
    "anonymous",
    "student_a",
    "student_b",
    "admin",
    "read_key",
    "admin_key",
    "revoked_key",
    "expired_token",
    "tampered_token",
    "wrong_audience",
)
# A public read: anyone, but a credential that is sent must be valid.
PUBLIC = (200, 200, 200, 200, 200, 200, 401, 401, 401, 401)
# The auth endpoints do not read access credentials at all (an expired token sent along
# must not stop a refresh).
NOT_READ_200 = (200,) * 10
NOT_READ_201 = (201,) * 10
ADMIN_ONLY = (401, 403, 403, 200, 403, 200, 401, 401, 401, 401)
ADMIN_CREATES = (401, 403, 403, 201, 403, 201, 401, 401, 401, 401)
SIGNED_IN = (401, 200, 200, 200, 403, 403, 401, 401, 401, 401)
PAGE_PATHS = {
    "/account/sign-up", "/account/sign-in", "/account/sign-out", "/account/delete", "/for-you",
    "/chat",
}  # fmt: skip
# a page that needs the page session (cookie) sends the caller to sign in
NO_PAGE_SESSION = (303,) * 6 + (401,) * 4
# a page form posted without its CSRF token changes nothing
NO_CSRF = (403,) * 6 + (401,) * 4

EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "/health"): (200,) * 10,  # probes: no credentials read, never limited
    ("GET", "/metrics"): (200,) * 10,  # scraped by Prometheus, like the probes
    # the docs and static files: never limited, no credentials read
    ("GET", "/openapi.json"): (200,) * 10,
    ("GET", "/docs"): (200,) * 10,
    ("GET", "/docs/oauth2-redirect"): (200,) * 10,
    ("GET", "/redoc"): (200,) * 10,
    ("GET", "/static/{name}"): (200,) * 10,
    # the student pages: public like the API they show
    ("GET", "/"): PUBLIC,
    ("GET", "/explore"): PUBLIC,
    ("GET", "/careers/{career_id}"): PUBLIC,
    ("GET", "/compare"): PUBLIC,
    ("GET", "/for-you"): PUBLIC,
    ("GET", "/quiz"): PUBLIC,
    ("GET", "/lang/{code}"): (303, 303, 303, 303, 303, 303, 401, 401, 401, 401),
    ("GET", "/api/v1/careers/suggest"): PUBLIC,
    ("GET", "/api/v1/quiz/items"): PUBLIC,
    ("POST", "/api/v1/quiz/score"): PUBLIC,
    ("GET", "/api/v1/careers/search"): PUBLIC,
    ("GET", "/api/v1/careers"): PUBLIC,
    ("GET", "/api/v1/careers/compare"): PUBLIC,
    ("GET", "/api/v1/careers/{career_id}"): PUBLIC,
    ("GET", "/api/v1/categories"): PUBLIC,
    ("POST", "/api/v1/careers"): ADMIN_CREATES,
    ("PUT", "/api/v1/careers/{career_id}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/careers/{career_id}"): ADMIN_ONLY,
    ("POST", "/api/v1/recommendations"): PUBLIC,
    # student A's own recommendations: B and keys without admin may not read them
    ("GET", "/api/v1/recommendations/{user_id}"): (
        401,
        200,
        403,
        200,
        403,
        200,
        401,
        401,
        401,
        401,
    ),
    ("POST", "/api/v1/auth/token"): NOT_READ_200,
    ("POST", "/api/v1/auth/refresh"): NOT_READ_200,
    ("POST", "/api/v1/auth/logout"): NOT_READ_200,
    ("POST", "/api/v1/users/register"): NOT_READ_201,
    ("GET", "/api/v1/users/me"): SIGNED_IN,
    ("DELETE", "/api/v1/users/me"): SIGNED_IN,
    ("GET", "/api/v1/users/profile"): SIGNED_IN,
    ("PUT", "/api/v1/users/profile"): SIGNED_IN,
    ("POST", "/api/v1/api-keys"): ADMIN_CREATES,
    ("GET", "/api/v1/api-keys"): ADMIN_ONLY,
    ("DELETE", "/api/v1/api-keys/{key_id}"): ADMIN_ONLY,
    ("GET", "/api/v1/admin/audit"): ADMIN_ONLY,
    ("POST", "/api/v1/interactions"): (202, 202, 202, 202, 202, 202, 401, 401, 401, 401),
    ("GET", "/api/v1/analytics/careers/popular"): PUBLIC,
    ("GET", "/api/v1/analytics/trends"): PUBLIC,
    # counts for counsellors: admins and read keys, not students
    ("GET", "/api/v1/analytics/insights/{career_id}"): (
        401,
        403,
        403,
        200,
        200,
        200,
        401,
        401,
        401,
        401,
    ),
}

# the chat agent: anyone may start a conversation; student A's conversation and plan are A's
# alone (404 to everyone else, admins included for a conversation; admins may read plans)
AGENT_OWN_SESSION = (404, 200, 404, 404, 404, 404, 401, 401, 401, 401)
AGENT_OWN_PLAN = (404, 200, 404, 200, 404, 200, 401, 401, 401, 401)
EXPECTED |= {
    ("POST", "/api/v1/agent/session"): (201, 201, 201, 201, 201, 201, 401, 401, 401, 401),
    # Pages read the signed-in student from their own cookie, never from these headers; a bad
    # credential sent along is still refused. Their POSTs need the form's CSRF token first.
    ("GET", "/account/sign-up"): PUBLIC,
    ("GET", "/account/sign-in"): PUBLIC,
    ("GET", "/account/deleted"): PUBLIC,
    ("GET", "/chat"): PUBLIC,
    ("GET", "/account"): NO_PAGE_SESSION,
    ("GET", "/account/renew"): NO_PAGE_SESSION,
    # the page's own agent routes speak for the signed-in student of the cookie only
    ("GET", "/chat/agent/career-plan/{plan_id}"): (401,) * 10,
    ("POST", "/account/sign-up"): NO_CSRF,
    ("POST", "/account/sign-in"): NO_CSRF,
    ("POST", "/account/sign-out"): NO_CSRF,
    ("POST", "/account/delete"): NO_PAGE_SESSION,  # nobody signed in: nothing to delete
    ("POST", "/for-you"): NO_PAGE_SESSION,  # saving a profile needs a signed-in student
    ("POST", "/chat"): NO_CSRF,
    ("POST", "/chat/agent/session"): NO_CSRF,
    ("POST", "/chat/agent/chat"): NO_CSRF,
    ("POST", "/api/v1/agent/chat"): AGENT_OWN_SESSION,
    # a plan needs an owner: an account, or (not sent here) an anonymous conversation
    ("POST", "/api/v1/agent/career-plan"): (422, 201, 201, 201, 422, 422, 401, 401, 401, 401),
    ("GET", "/api/v1/agent/career-plan/{plan_id}"): AGENT_OWN_PLAN,
    ("PUT", "/api/v1/agent/career-plan/{plan_id}"): AGENT_OWN_PLAN,
}

PROFILE = {"grade": 12, "stream": "PCM", "interests": ["building things"], "skills": ["maths"]}
COUNTER = itertools.count()


def app_routes() -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, documented in OpenAPI or not."""
    found: set[tuple[str, str]] = set()
    for route in create_app(Settings(_env_file=None)).routes:
        # FastAPI keeps an included router as one entry that knows its effective routes
        contexts = getattr(route, "effective_route_contexts", None)
        members = list(contexts()) if contexts is not None else [route]
        for member in members:
            for method in set(getattr(member, "methods", None) or ()) - {"HEAD"}:
                found.add((method, str(getattr(member, "path", ""))))
    return found


def test_every_route_has_a_row() -> None:
    routes = app_routes()
    assert routes - set(EXPECTED) == set(), "routes without a row in EXPECTED"
    assert set(EXPECTED) - routes == set(), "rows for routes that do not exist"


@dataclass
class World:
    api: httpx.AsyncClient
    database_url: str
    a: Account
    b: Account
    admin: Account
    admin_key: str
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    def fresh_career(self, n: int) -> dict[str, Any]:
        return career(f"matrix-career-{n}", f"Matrix Career {n}", alternatives=["civil-engineer"])

    async def add_career(self, n: int) -> str:
        record = self.fresh_career(n)
        response = await self.api.post(
            "/api/v1/careers", json=record, headers={"X-API-Key": self.admin_key}
        )
        assert response.status_code == 201, response.text
        return str(record["id"])


def forge(settings: Settings, user_id: str, **changes: Any) -> str:
    now = int(time.time())
    claims = {
        "sub": user_id,
        "role": "student",
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "jti": uuid.uuid4().hex,
        "sid": str(uuid.uuid4()),
    } | changes
    return jwt.encode(claims, settings.jwt_secret, algorithm="HS256")


def tamper(token: str) -> str:
    header, payload, signature = token.split(".")
    body = jwt.utils.base64url_decode(payload).replace(b'"student"', b'"admin"')
    return f"{header}.{jwt.utils.base64url_encode(body).decode()}.{signature}"


Request = tuple[str, dict[str, Any]]  # (url, httpx request kwargs)
Builder = Callable[[World, str, dict[str, str]], Awaitable[Request]]


async def fresh_signed_in(world: World, column: str, headers: dict[str, str]) -> dict[str, str]:
    """For cells that destroy the caller: a new principal of the same kind."""
    if column in ("student_a", "student_b"):
        return (await new_account(world.api)).headers
    if column == "admin":
        return (await new_account(world.api, admin_in=world.database_url)).headers
    return headers


async def fresh_refresh_token(world: World) -> str:
    signed = await sign_in(world.api, world.a.email)
    return str(signed.json()["data"]["refresh_token"])


async def get(url: str, **params: Any) -> Request:
    return url, {"params": params}


def builders() -> dict[tuple[str, str], Builder]:
    async def search(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/careers/search", q="engineer")

    async def browse(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/careers")

    async def compare(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/careers/compare", ids="civil-engineer,mechanical-engineer")

    async def detail(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/careers/civil-engineer")

    async def categories(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/categories")

    async def create_career(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/careers", {"json": w.fresh_career(next(COUNTER))}

    async def replace_career(w: World, c: str, h: dict[str, str]) -> Request:
        body = career("mechanical-engineer", "Mechanical Engineer", alternatives=["civil-engineer"])
        return "/api/v1/careers/mechanical-engineer", {"json": body}

    async def delete_career(w: World, c: str, h: dict[str, str]) -> Request:
        return f"/api/v1/careers/{await w.add_career(next(COUNTER))}", {}

    async def recommend(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/recommendations", {"json": PROFILE}

    async def recommend_saved(w: World, c: str, h: dict[str, str]) -> Request:
        return await get(f"/api/v1/recommendations/{w.a.user_id}")

    async def token(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/auth/token", {"data": {"username": w.a.email, "password": w.a.password}}

    async def refresh(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/auth/refresh", {"json": {"refresh_token": await fresh_refresh_token(w)}}

    async def logout(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/auth/logout", {"json": {"refresh_token": await fresh_refresh_token(w)}}

    async def register_one(w: World, c: str, h: dict[str, str]) -> Request:
        email = f"matrix-{uuid.uuid4().hex[:10]}@example.in"
        body = {"email": email, "password": w.a.password, "display_name": "Matrix"}
        return "/api/v1/users/register", {"json": body}

    async def me(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/users/me", {}

    async def delete_me(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/users/me", {"headers": await fresh_signed_in(w, c, h)}

    async def profile(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/users/profile", {}

    async def put_profile(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/users/profile", {"json": PROFILE}

    async def create_key(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/api-keys", {"json": {"name": f"matrix {next(COUNTER)}"}}

    async def list_keys(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/api-keys", {}

    async def revoke_key(w: World, c: str, h: dict[str, str]) -> Request:
        _, key_id = create_api_key(w.database_url, ("read",), "to revoke")
        return f"/api/v1/api-keys/{key_id}", {}

    async def audit(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/admin/audit", {}

    async def click(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/interactions", {"json": {"career_id": "civil-engineer", "query": "civil"}}

    async def popular(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/analytics/careers/popular")

    async def trends(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/analytics/trends", career_id="civil-engineer")

    async def insights(w: World, c: str, h: dict[str, str]) -> Request:
        return await get("/api/v1/analytics/insights/civil-engineer")

    async def health(w: World, c: str, h: dict[str, str]) -> Request:
        return "/health", {}

    def page(url: str, **params: Any) -> Builder:
        async def build(w: World, c: str, h: dict[str, str]) -> Request:
            return await get(url, **params)

        return build

    def form(url: str, **fields: Any) -> Builder:
        async def build(w: World, c: str, h: dict[str, str]) -> Request:
            # a forged token: the form's CSRF check must refuse it
            return url, {"data": {"csrf": "forged", **fields}}

        return build

    async def page_chat(w: World, c: str, h: dict[str, str]) -> Request:
        return "/chat/agent/chat", {"json": {"session_id": str(uuid.uuid4()), "message": "hi"}}

    async def quiz_score(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/quiz/score", {"json": {"answers": {"r1": 2, "i1": 1, "a1": 0}}}

    async def agent_session(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/agent/session", {}

    async def a_session(w: World) -> str:
        made = await w.api.post("/api/v1/agent/session", headers=w.a.headers)
        assert made.status_code == 201, made.text
        return str(made.json()["data"]["session_id"])

    async def a_plan(w: World) -> str:
        made = await w.api.post(
            "/api/v1/agent/career-plan",
            json={"career_id": "civil-engineer", "profile": {"grade": 12}},
            headers=w.a.headers,
        )
        assert made.status_code == 201, made.text
        return str(made.json()["data"]["id"])

    async def agent_chat(w: World, c: str, h: dict[str, str]) -> Request:
        return "/api/v1/agent/chat", {"json": {"session_id": await a_session(w), "message": "hi"}}

    async def agent_plan(w: World, c: str, h: dict[str, str]) -> Request:
        body = {"career_id": "civil-engineer", "profile": {"grade": 11}}
        return "/api/v1/agent/career-plan", {"json": body}

    async def agent_read_plan(w: World, c: str, h: dict[str, str]) -> Request:
        return f"/api/v1/agent/career-plan/{await a_plan(w)}", {}

    async def agent_update_plan(w: World, c: str, h: dict[str, str]) -> Request:
        body = {"milestones": [{"id": "class-12-boards", "status": "done"}]}
        return f"/api/v1/agent/career-plan/{await a_plan(w)}", {"json": body}

    return {
        ("GET", "/account/sign-up"): page("/account/sign-up"),
        ("GET", "/account/sign-in"): page("/account/sign-in"),
        ("GET", "/account/deleted"): page("/account/deleted"),
        ("GET", "/chat"): page("/chat"),
        ("GET", "/account"): page("/account"),
        ("GET", "/account/renew"): page("/account/renew"),
        ("GET", "/chat/agent/career-plan/{plan_id}"): page(
            f"/chat/agent/career-plan/{uuid.uuid4()}"
        ),
        ("POST", "/account/sign-up"): form(
            "/account/sign-up", email="x@example.org", password="long enough pass", display_name="X"
        ),
        ("POST", "/account/sign-in"): form(
            "/account/sign-in", username="x@example.org", password="p"
        ),
        ("POST", "/account/sign-out"): form("/account/sign-out"),
        ("POST", "/account/delete"): form("/account/delete", confirm="yes"),
        ("POST", "/for-you"): form("/for-you", grade="12", stream="PCB"),
        ("POST", "/chat"): form("/chat", message="hi"),
        ("POST", "/chat/agent/session"): form("/chat/agent/session"),
        ("POST", "/chat/agent/chat"): page_chat,
        ("POST", "/api/v1/agent/session"): agent_session,
        ("POST", "/api/v1/agent/chat"): agent_chat,
        ("POST", "/api/v1/agent/career-plan"): agent_plan,
        ("GET", "/api/v1/agent/career-plan/{plan_id}"): agent_read_plan,
        ("PUT", "/api/v1/agent/career-plan/{plan_id}"): agent_update_plan,
        ("GET", "/openapi.json"): page("/openapi.json"),
        ("GET", "/docs"): page("/docs"),
        ("GET", "/docs/oauth2-redirect"): page("/docs/oauth2-redirect"),
        ("GET", "/redoc"): page("/redoc"),
        ("GET", "/static/{name}"): page("/static/app.css"),
        ("GET", "/"): page("/"),
        ("GET", "/explore"): page("/explore", q="engineer"),
        ("GET", "/careers/{career_id}"): page("/careers/civil-engineer"),
        ("GET", "/compare"): page("/compare", ids="civil-engineer,mechanical-engineer"),
        ("GET", "/for-you"): page("/for-you"),
        ("GET", "/quiz"): page("/quiz"),
        ("GET", "/lang/{code}"): page("/lang/hi", next="/explore"),
        ("GET", "/api/v1/careers/suggest"): page("/api/v1/careers/suggest", q="engi"),
        ("GET", "/api/v1/quiz/items"): page("/api/v1/quiz/items"),
        ("POST", "/api/v1/quiz/score"): quiz_score,
        ("GET", "/health"): health,
        ("GET", "/metrics"): page("/metrics"),
        ("GET", "/api/v1/careers/search"): search,
        ("GET", "/api/v1/careers"): browse,
        ("GET", "/api/v1/careers/compare"): compare,
        ("GET", "/api/v1/careers/{career_id}"): detail,
        ("GET", "/api/v1/categories"): categories,
        ("POST", "/api/v1/careers"): create_career,
        ("PUT", "/api/v1/careers/{career_id}"): replace_career,
        ("DELETE", "/api/v1/careers/{career_id}"): delete_career,
        ("POST", "/api/v1/recommendations"): recommend,
        ("GET", "/api/v1/recommendations/{user_id}"): recommend_saved,
        ("POST", "/api/v1/auth/token"): token,
        ("POST", "/api/v1/auth/refresh"): refresh,
        ("POST", "/api/v1/auth/logout"): logout,
        ("POST", "/api/v1/users/register"): register_one,
        ("GET", "/api/v1/users/me"): me,
        ("DELETE", "/api/v1/users/me"): delete_me,
        ("GET", "/api/v1/users/profile"): profile,
        ("PUT", "/api/v1/users/profile"): put_profile,
        ("POST", "/api/v1/api-keys"): create_key,
        ("GET", "/api/v1/api-keys"): list_keys,
        ("DELETE", "/api/v1/api-keys/{key_id}"): revoke_key,
        ("GET", "/api/v1/admin/audit"): audit,
        ("POST", "/api/v1/interactions"): click,
        ("GET", "/api/v1/analytics/careers/popular"): popular,
        ("GET", "/api/v1/analytics/trends"): trends,
        ("GET", "/api/v1/analytics/insights/{career_id}"): insights,
    }


@pytest.fixture
async def world(
    settings: Settings,
    index_name: str,
    async_opensearch: AsyncOpenSearch,
    embedder: Embedder,
    tmp_path: Path,
) -> AsyncIterator[World]:
    settings = settings.model_copy(update={"opensearch_alias": index_name})
    async with sessionmaker_for(settings.database_url) as sessionmaker:
        await load_and_index(
            sessionmaker,
            async_opensearch,
            embedder,
            settings,
            write_catalogue(tmp_path),
            index_name,
        )
    async with api_client(settings) as api:
        a = await new_account(api, name="Asha")
        b = await new_account(api, name="Bilal")
        admin = await new_account(api, admin_in=settings.database_url, name="Admin")
        saved = await api.put("/api/v1/users/profile", json=PROFILE, headers=a.headers)
        assert saved.status_code == 200, saved.text
        read_key, _ = create_api_key(settings.database_url, ("read",), "read")
        admin_key, _ = create_api_key(settings.database_url, ("admin", "read"), "admin")
        revoked_key, revoked_id = create_api_key(settings.database_url, ("admin",), "revoked")
        engine = make_sync_engine(settings.database_url)
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE api_keys SET revoked_at = now() WHERE id = :id"), {"id": revoked_id}
            )
        engine.dispose()
        expired = forge(
            settings, a.user_id, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600
        )
        wrong_audience = forge(settings, a.user_id, aud="some-other-api")
        world = World(api, settings.database_url, a, b, admin, admin_key)
        world.headers = {
            "anonymous": {},
            "student_a": a.headers,
            "student_b": b.headers,
            "admin": admin.headers,
            "read_key": {"X-API-Key": read_key},
            "admin_key": {"X-API-Key": admin_key},
            "revoked_key": {"X-API-Key": revoked_key},
            "expired_token": {"Authorization": f"Bearer {expired}"},
            "tampered_token": {"Authorization": f"Bearer {tamper(a.access_token)}"},
            "wrong_audience": {"Authorization": f"Bearer {wrong_audience}"},
        }
        yield world


async def test_authorization_matrix(world: World) -> None:
    build = builders()
    assert set(build) == set(EXPECTED)
    wrong: list[str] = []
    for (method, path), expected in EXPECTED.items():
        for column, status in zip(COLUMNS, expected, strict=True):
            headers = world.headers[column]
            url, kwargs = await build[method, path](world, column, headers)
            kwargs.setdefault("headers", headers)
            response = await world.api.request(method, url, **kwargs)
            if response.status_code != status:
                wrong.append(
                    f"{method} {path} as {column}: {response.status_code}, expected {status}: "
                    f"{response.text[:200]}"
                )
            elif status >= 400 and response.headers["content-type"].startswith("text/html"):
                # a page answers a person: an HTML page that says what went wrong
                assert path in PAGE_PATHS, (method, path)
                assert "<main" in response.text, (method, path)
            elif status >= 400:
                body = response.json()
                assert body["success"] is False, body
                assert body["error"]["code"], body
    assert not wrong, "\n".join(wrong)


async def test_a_registered_student_cannot_read_another_students_data(world: World) -> None:
    response = await world.api.get(
        f"/api/v1/recommendations/{world.a.user_id}", headers=world.b.headers
    )
    assert (response.status_code, response.json()["error"]["code"]) == (403, "FORBIDDEN")
    # the profile endpoints only ever speak of the caller's own account
    mine = await world.api.get("/api/v1/users/profile", headers=world.b.headers)
    assert mine.json()["data"]["stream"] is None
    registered = await register(world.api)
    assert registered.status_code == 201
