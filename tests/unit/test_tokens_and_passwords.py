from __future__ import annotations

import time
import uuid
from collections.abc import Callable

import jwt
import pytest

from search_api.core.security import AuthenticationFailed
from search_api.core.settings import Settings
from search_api.users.passwords import Passwords, password_problems
from search_api.users.tokens import TokenCodec, api_key_prefix, new_api_key

SETTINGS = Settings(_env_file=None)


def test_access_token_carries_the_claims() -> None:
    codec = TokenCodec(SETTINGS)
    user, family = uuid.uuid4(), uuid.uuid4()
    issued = codec.issue(user, "student", family)
    claims = jwt.decode(
        issued.token, SETTINGS.jwt_secret, algorithms=["HS256"], audience=SETTINGS.jwt_audience
    )
    assert set(claims) == {"sub", "role", "iss", "aud", "iat", "exp", "jti", "sid"}
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert (claims["sub"], claims["role"], claims["sid"]) == (str(user), "student", str(family))
    principal, _ = codec.principal(issued.token)
    assert (principal.kind, principal.id, principal.role) == ("user", str(user), "student")
    assert principal.session_id == str(family)


def forged(**changes: object) -> str:
    now = int(time.time())
    claims: dict[str, object] = {
        "sub": str(uuid.uuid4()),
        "role": "admin",
        "iss": SETTINGS.jwt_issuer,
        "aud": SETTINGS.jwt_audience,
        "iat": now,
        "exp": now + 600,
        "jti": "x",
        "sid": str(uuid.uuid4()),
    }
    secret = str(changes.pop("secret", SETTINGS.jwt_secret))
    claims.update(changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, secret, algorithm="HS256")


# Tokens are made when the test runs, not when it is collected: a token forged at collection
# time expires (10 min) before a long suite reaches this file, and would test expiry instead.
@pytest.mark.parametrize(
    ("make", "code"),
    [
        (lambda: forged(exp=int(time.time()) - 120, iat=int(time.time()) - 4000), "TOKEN_EXPIRED"),
        (lambda: forged(aud="another-api"), "INVALID_TOKEN"),
        (lambda: forged(iss="someone-else"), "INVALID_TOKEN"),
        (lambda: forged(secret="not-the-secret-but-long-enough-for-hs256!"), "INVALID_TOKEN"),
        (lambda: forged(jti=None), "INVALID_TOKEN"),
        (lambda: forged(role="superuser"), "INVALID_TOKEN"),
        (lambda: forged(sub="not-a-uuid"), "INVALID_TOKEN"),
        (lambda: jwt.encode({"sub": "x"}, key="", algorithm="none"), "INVALID_TOKEN"),
        (lambda: "garbage", "INVALID_TOKEN"),
    ],
)
def test_bad_tokens_are_refused(make: Callable[[], str], code: str) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        TokenCodec(SETTINGS).principal(make())
    assert (caught.value.status, caught.value.code) == (401, code)
    assert caught.value.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_tampered_payload_fails_the_signature() -> None:
    token = TokenCodec(SETTINGS).issue(uuid.uuid4(), "student", uuid.uuid4()).token
    header, payload, signature = token.split(".")
    promoted = jwt.utils.base64url_encode(
        jwt.utils.base64url_decode(payload).replace(b'"student"', b'"admin"')
    ).decode()
    with pytest.raises(AuthenticationFailed):
        TokenCodec(SETTINGS).principal(f"{header}.{promoted}.{signature}")


def test_api_keys_have_a_visible_prefix() -> None:
    key, prefix = new_api_key()
    assert key.startswith(f"cc_{prefix}_")
    assert len(key) > 40
    assert api_key_prefix(key) == prefix
    assert api_key_prefix("cc_short_x") is None
    assert api_key_prefix("dev-admin-key") is None


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("short1!", "at least 10 characters"),
        ("onlyletterslong", "mix letters with digits or symbols"),
        ("1234567890123", "mix letters with digits or symbols"),
        ("password123", "too easy to guess"),
        ("aaaaaaaaaa1", "too easy to guess"),
        ("ashaverma-2031", "email or name"),
    ],
)
def test_password_rules_name_the_rule_broken(password: str, rule: str) -> None:
    problems = password_problems(password, "ashaverma@example.in", "Asha")
    assert any(rule in p for p in problems), problems


def test_a_good_password_passes() -> None:
    assert password_problems("Kites&Rivers-2031", "asha@example.in", "Asha") == []


async def test_verify_is_false_for_a_wrong_password_and_for_no_account() -> None:
    passwords = Passwords(time_cost=1, memory_kib=8192)
    stored = await passwords.hash("Kites&Rivers-2031")
    assert await passwords.verify(stored, "Kites&Rivers-2031")
    assert not await passwords.verify(stored, "Kites&Rivers-2032")
    assert not await passwords.verify(None, "Kites&Rivers-2031")
    assert not await passwords.verify("not a hash", "Kites&Rivers-2031")
