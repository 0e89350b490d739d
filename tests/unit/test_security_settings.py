"""Production refuses development secrets; OpenAPI offers both ways to sign in."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from search_api.core.crypto import new_key
from search_api.core.settings import Settings
from search_api.main import create_app

REAL: dict[str, Any] = {
    "jwt_secret": "a-real-secret-that-is-long-enough-for-hs256-0123456789",
    "encryption_keys": f"k1:{new_key()}",
    "email_hash_key": "a-real-email-hash-key",
}


@pytest.mark.parametrize("left_default", ["jwt_secret", "encryption_keys", "email_hash_key"])
def test_production_refuses_each_development_secret(left_default: str) -> None:
    values = {k: v for k, v in REAL.items() if k != left_default}
    with pytest.raises(ValidationError, match=f"CC_{left_default.upper()}"):
        Settings(_env_file=None, environment="production", **values)


def test_production_starts_with_real_secrets_and_refuses_a_short_jwt_secret() -> None:
    assert Settings(_env_file=None, environment="production", **REAL).environment == "production"
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(_env_file=None, environment="production", **{**REAL, "jwt_secret": "short"})


def test_openapi_declares_both_schemes_and_the_profile_parameters() -> None:
    spec = create_app(Settings(_env_file=None)).openapi()
    schemes = spec["components"]["securitySchemes"]
    bearer = next(s for s in schemes.values() if s["type"] == "oauth2")
    assert bearer["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    key = next(s for s in schemes.values() if s["type"] == "apiKey")
    assert (key["in"], key["name"]) == ("header", "X-API-Key")
    search = spec["paths"]["/api/v1/careers/search"]["get"]
    # credentials are optional on search: the empty requirement, then either scheme
    assert search["security"] == [{}, {"OAuth2PasswordBearer": []}, {"APIKeyHeader": []}]
    params = {p["name"]: p for p in search["parameters"]}
    for name in ("personalise", "profile_stream", "profile_interest", "profile_salary_min"):
        assert params[name].get("description") or params[name]["schema"].get("description"), name
    assert params["profile_interest"]["schema"]["type"] == "array"
    token = spec["paths"]["/api/v1/auth/token"]["post"]
    assert "application/x-www-form-urlencoded" in token["requestBody"]["content"]
