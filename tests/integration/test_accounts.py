"""Sign-up, sign-in, tokens, profiles, encryption at rest, deletion, API keys, the audit log and
create-admin, against the real Postgres and Redis."""

from __future__ import annotations

import asyncio
import statistics
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from typer.testing import CliRunner

from indexer.cli import app as cli
from search_api.core.cache import make_redis
from search_api.core.crypto import new_key
from search_api.core.settings import Settings
from search_api.users.authenticator import Revocations
from search_api.users.service import AccountKit, AccountService
from tests.fixtures.api import api_client
from tests.fixtures.auth import (
    PASSWORD,
    admin_headers,
    create_api_key,
    new_account,
    register,
    sign_in,
)

PROFILE: dict[str, Any] = {
    "grade": 12,
    "stream": "PCB",
    "interests": ["caring for animals", "biology"],
    "skills": ["patience"],
    "salary_min": 400_000,
    "salary_max": 2_000_000,
    "work_preferences": {"remote": False, "max_stress": "Medium", "strict": True},
    "state": "Kerala",
    "preferred_language": "hi",
}


async def test_register_then_sign_in(api: httpx.AsyncClient, settings: Settings) -> None:
    created = await register(api, "Meera.Iyer@Example.in", name="Meera")
    assert created.status_code == 201, created.text
    user = created.json()["data"]
    assert (user["email"], user["display_name"], user["role"]) == (
        "Meera.Iyer@Example.in",
        "Meera",
        "student",
    )
    signed = await sign_in(api, "meera.iyer@example.in")  # case does not matter
    assert signed.status_code == 200, signed.text
    body = signed.json()
    # the envelope, and the OAuth2 fields at the top for /docs "Authorize"
    assert body["success"] is True
    assert body["access_token"] == body["data"]["access_token"]
    assert body["token_type"] == "bearer"
    claims = jwt.decode(
        body["access_token"],
        settings.jwt_secret,
        algorithms=["HS256"],
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
    )
    assert claims["sub"] == user["id"]
    assert claims["role"] == "student"
    assert 29 * 60 <= claims["exp"] - claims["iat"] <= 30 * 60
    me = await api.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["data"]["id"] == user["id"]


async def test_duplicate_email_is_409_and_weak_password_422(api: httpx.AsyncClient) -> None:
    email = f"dup-{uuid.uuid4().hex[:6]}@example.in"
    assert (await register(api, email)).status_code == 201
    again = await register(api, email.upper())
    assert (again.status_code, again.json()["error"]["code"]) == (409, "EMAIL_TAKEN")
    weak = await register(api, f"w-{uuid.uuid4().hex[:6]}@example.in", password="password123")
    assert weak.status_code == 422
    error = weak.json()["error"]
    assert error["details"][0]["field"] == "password"
    assert "too easy to guess" in error["message"]
    short = await register(api, f"s-{uuid.uuid4().hex[:6]}@example.in", password="ab1!")
    assert "at least 10 characters" in short.json()["error"]["message"]
    bad_email = await register(api, "not-an-email")
    assert bad_email.status_code == 422


async def test_no_user_enumeration(api: httpx.AsyncClient) -> None:
    account = await new_account(api)
    wrong = await sign_in(api, account.email, "Wrong&Password-99")
    unknown = await sign_in(api, f"nobody-{uuid.uuid4().hex[:6]}@example.in", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
    assert wrong.json()["error"] == unknown.json()["error"]

    async def timed(email: str, password: str) -> float:
        started = time.perf_counter()
        await sign_in(api, email, password)
        return time.perf_counter() - started

    wrong_times = [await timed(account.email, "Wrong&Password-99") for _ in range(5)]
    unknown_times = [await timed(f"x{n}@example.in", PASSWORD) for n in range(5)]
    a, b = statistics.median(wrong_times), statistics.median(unknown_times)
    # both verify one Argon2 hash: the medians are of the same size
    assert abs(a - b) / max(a, b) < 0.5, (wrong_times, unknown_times)


async def test_refresh_rotates_and_a_reused_token_revokes_the_family(
    api: httpx.AsyncClient,
) -> None:
    account = await new_account(api)
    first = await api.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert first.status_code == 200, first.text
    rotated = first.json()["data"]
    assert rotated["refresh_token"] != account.refresh_token
    new_headers = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert (await api.get("/api/v1/users/me", headers=new_headers)).status_code == 200

    reused = await api.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert (reused.status_code, reused.json()["error"]["code"]) == (401, "REFRESH_TOKEN_REUSED")
    # the thief's (or the victim's) newer token is dead too, and so are the access tokens
    later = await api.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert (later.status_code, later.json()["error"]["code"]) == (401, "REFRESH_TOKEN_REUSED")
    denied = await api.get("/api/v1/users/me", headers=new_headers)
    assert (denied.status_code, denied.json()["error"]["code"]) == (401, "TOKEN_REVOKED")
    # another sign-in is another family, untouched
    other = await sign_in(api, account.email)
    assert other.status_code == 200


async def test_refresh_works_with_an_expired_access_token_sent_along(
    api: httpx.AsyncClient, settings: Settings
) -> None:
    account = await new_account(api)
    now = int(time.time()) - 7200
    expired = jwt.encode(
        {
            "sub": account.user_id,
            "role": "student",
            "iss": settings.jwt_issuer,
            "aud": settings.jwt_audience,
            "iat": now,
            "exp": now + 60,
            "jti": "old",
            "sid": str(uuid.uuid4()),
        },
        settings.jwt_secret,
        algorithm="HS256",
    )
    headers = {"Authorization": f"Bearer {expired}"}
    assert (await api.get("/api/v1/users/me", headers=headers)).json()["error"][
        "code"
    ] == "TOKEN_EXPIRED"
    refreshed = await api.post(
        "/api/v1/auth/refresh", json={"refresh_token": account.refresh_token}, headers=headers
    )
    assert refreshed.status_code == 200, refreshed.text


async def test_logout_ends_the_session(api: httpx.AsyncClient) -> None:
    account = await new_account(api)
    out = await api.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
    assert out.status_code == 200
    assert (await api.get("/api/v1/users/me", headers=account.headers)).status_code == 401
    again = await api.post("/api/v1/auth/refresh", json={"refresh_token": account.refresh_token})
    assert again.status_code == 401
    # idempotent
    assert (
        await api.post("/api/v1/auth/logout", json={"refresh_token": account.refresh_token})
    ).status_code == 200


async def test_profile_round_trip_is_encrypted_at_rest(
    api: httpx.AsyncClient, db_engine: Engine
) -> None:
    account = await new_account(api, name="Kavya Nair")
    empty = await api.get("/api/v1/users/profile", headers=account.headers)
    assert empty.json()["data"]["interests"] == []
    saved = await api.put("/api/v1/users/profile", json=PROFILE, headers=account.headers)
    assert saved.status_code == 200, saved.text
    read = (await api.get("/api/v1/users/profile", headers=account.headers)).json()["data"]
    assert read == PROFILE | {"work_preferences": read["work_preferences"]}
    assert read["work_preferences"]["max_stress"] == "Medium"

    with db_engine.connect() as conn:
        user_row = conn.execute(text("SELECT * FROM users WHERE id = :id"), {"id": account.user_id})
        profile_row = conn.execute(
            text("SELECT * FROM user_profiles WHERE user_id = :id"), {"id": account.user_id}
        )
        stored = " ".join(str(v) for v in [*user_row.one(), *profile_row.one()])
    for secret in (account.email, "Kavya", "caring for animals", "patience", "Kerala"):
        assert secret not in stored
    assert "PCB" in stored  # choices from fixed lists stay readable for constraints


async def test_key_rotation_keeps_rows_readable_and_reencrypt_moves_them(
    settings: Settings, db_sessionmaker: async_sessionmaker[AsyncSession], db_engine: Engine
) -> None:
    async with api_client(settings) as api:
        account = await new_account(api, name="Ravi")
        await api.put("/api/v1/users/profile", json=PROFILE, headers=account.headers)
    old_key_id = settings.encryption_keys.split(":")[0]
    rotated = settings.model_copy(
        update={"encryption_keys": f"k2:{new_key()},{settings.encryption_keys}"}
    )
    async with api_client(rotated) as api:
        signed = await sign_in(api, account.email)
        headers = {"Authorization": f"Bearer {signed.json()['data']['access_token']}"}
        profile = (await api.get("/api/v1/users/profile", headers=headers)).json()["data"]
        assert profile["interests"] == PROFILE["interests"]
        redis = make_redis(rotated.redis_url, 1.0)
        try:
            kit = AccountKit.build(rotated, db_sessionmaker, Revocations(redis, 60))
            async with db_sessionmaker() as session, session.begin():
                moved = await AccountService(session, kit).reencrypt()
        finally:
            await redis.aclose()
    assert moved == 2  # the account (email, name) and the profile
    with db_engine.connect() as conn:
        tokens = conn.execute(
            text(
                "SELECT email_encrypted, display_name_encrypted, private_data FROM users "
                "JOIN user_profiles ON user_profiles.user_id = users.id"
            )
        ).one()
    assert all(t.split(".")[1] == "k2" for t in tokens)
    only_new = rotated.model_copy(update={"encryption_keys": rotated.encryption_keys.split(",")[0]})
    async with api_client(only_new) as api:
        signed = await sign_in(api, account.email)
        me = await api.get(
            "/api/v1/users/me",
            headers={"Authorization": f"Bearer {signed.json()['data']['access_token']}"},
        )
        assert me.json()["data"]["display_name"] == "Ravi"
    assert old_key_id != "k2"


async def test_delete_me_removes_the_account_and_what_is_tied_to_it(
    api: httpx.AsyncClient, db_engine: Engine
) -> None:
    account = await new_account(api)
    await api.put("/api/v1/users/profile", json=PROFILE, headers=account.headers)
    deleted = await api.delete("/api/v1/users/me", headers=account.headers)
    assert deleted.status_code == 200, deleted.text
    assert deleted.json()["data"] == {"deleted": True, "id": account.user_id}
    with db_engine.connect() as conn:
        for table, column in (
            ("users", "id"),
            ("user_profiles", "user_id"),
            ("user_sessions", "user_id"),
        ):
            count = conn.execute(
                text(f"SELECT count(*) FROM {table} WHERE {column} = :id"), {"id": account.user_id}
            ).scalar_one()
            assert count == 0, table
    after = await api.get("/api/v1/users/me", headers=account.headers)
    assert after.status_code == 401
    assert (await sign_in(api, account.email)).status_code == 401


async def test_api_keys_are_shown_once_scoped_and_revocable(
    api: httpx.AsyncClient, db_url: str
) -> None:
    admin = admin_headers(db_url)
    created = await api.post(
        "/api/v1/api-keys",
        json={"name": "DPS Noida counsellors", "scopes": ["read"]},
        headers=admin,
    )
    assert created.status_code == 201, created.text
    key = created.json()["data"]
    assert key["key"].startswith(f"cc_{key['prefix']}_")
    listed = (await api.get("/api/v1/api-keys", headers=admin)).json()["data"]["keys"]
    assert any(k["id"] == key["id"] for k in listed)
    assert all("key" not in k for k in listed)
    read = {"X-API-Key": key["key"]}
    assert (
        await api.get("/api/v1/careers/search", params={"q": "x"}, headers=read)
    ).status_code in (
        200,
        503,
    )
    assert (await api.get("/api/v1/api-keys", headers=read)).status_code == 403
    revoked = await api.delete(f"/api/v1/api-keys/{key['id']}", headers=admin)
    assert revoked.json()["data"]["revoked_at"] is not None
    refused = await api.get("/api/v1/categories", headers=read)
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "API_KEY_REVOKED")


async def test_bootstrap_key_only_creates_keys(settings: Settings) -> None:
    bootstrap = "bootstrap-" + uuid.uuid4().hex
    async with api_client(settings.model_copy(update={"admin_api_key": bootstrap})) as api:
        headers = {"X-API-Key": bootstrap}
        made = await api.post(
            "/api/v1/api-keys",
            json={"name": "first admin key", "scopes": ["admin"]},
            headers=headers,
        )
        assert made.status_code == 201, made.text
        assert made.json()["data"]["scopes"] == ["admin", "read"]
        assert (await api.get("/api/v1/api-keys", headers=headers)).status_code == 403
        admin = {"X-API-Key": made.json()["data"]["key"]}
        assert (await api.get("/api/v1/api-keys", headers=admin)).status_code == 200
    async with api_client(settings) as api:  # unset: the same key is just an invalid key
        response = await api.get("/api/v1/categories", headers={"X-API-Key": bootstrap})
        assert response.status_code == 401


async def test_admin_writes_are_audited(api: httpx.AsyncClient, db_url: str) -> None:
    key, key_id = create_api_key(db_url)
    admin = {"X-API-Key": key}
    made = await api.post("/api/v1/api-keys", json={"name": "audit me"}, headers=admin)
    made_id = made.json()["data"]["id"]
    await api.delete(f"/api/v1/api-keys/{made_id}", headers=admin)
    log = await api.get("/api/v1/admin/audit", params={"target_id": made_id}, headers=admin)
    assert log.status_code == 200, log.text
    entries = log.json()["data"]["entries"]
    assert [e["action"] for e in entries] == ["api_key.revoke", "api_key.create"]
    revoke, create = entries
    assert (revoke["actor_kind"], revoke["actor_id"]) == ("api_key", key_id)
    assert revoke["before"]["revoked_at"] is None
    assert revoke["after"]["revoked_at"] is not None
    assert create["before"] is None
    assert create["after"]["name"] == "audit me"
    assert revoke["request_id"]
    student = await new_account(api)
    assert (await api.get("/api/v1/admin/audit", headers=student.headers)).status_code == 403


def test_create_admin_prompts_hidden_and_twice(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC_DATABASE_URL", settings.database_url)
    from search_api.core import settings as settings_module

    settings_module.get_settings.cache_clear()
    try:
        runner = CliRunner()
        email = f"head-{uuid.uuid4().hex[:6]}@school.in"
        mismatch = runner.invoke(
            cli, ["create-admin", email], input="Kites&Rivers-2031\nKites&Rivers-2032\n"
        )
        assert "Kites&Rivers" not in mismatch.output
        weak = runner.invoke(cli, ["create-admin", email], input="password123\npassword123\n")
        assert weak.exit_code == 1
        assert "too easy to guess" in weak.output
        made = runner.invoke(cli, ["create-admin", email], input=f"{PASSWORD}\n{PASSWORD}\n")
        assert made.exit_code == 0, made.output
        assert PASSWORD not in made.output
        assert "created admin" in made.output
        again = runner.invoke(cli, ["create-admin", email], input=f"{PASSWORD}\n{PASSWORD}\n")
        assert again.exit_code == 1
        assert "--promote" in again.output
    finally:
        settings_module.get_settings.cache_clear()


async def test_created_admin_signs_in_as_admin_and_is_audited(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_api.core import settings as settings_module

    email = f"principal-{uuid.uuid4().hex[:6]}@school.in"
    monkeypatch.setenv("CC_DATABASE_URL", settings.database_url)
    settings_module.get_settings.cache_clear()
    try:
        result = await asyncio.to_thread(
            CliRunner().invoke, cli, ["create-admin", email], input=f"{PASSWORD}\n{PASSWORD}\n"
        )
        assert result.exit_code == 0, result.output
    finally:
        settings_module.get_settings.cache_clear()
    async with api_client(settings) as api:
        signed = await sign_in(api, email)
        token = signed.json()["data"]["access_token"]
        claims = jwt.decode(token, options={"verify_signature": False})
        assert claims["role"] == "admin"
        headers = {"Authorization": f"Bearer {token}"}
        log = (await api.get("/api/v1/admin/audit", headers=headers)).json()["data"]["entries"]
        assert log[0]["action"] == "user.create_admin"
        assert log[0]["actor_kind"] == "cli"
