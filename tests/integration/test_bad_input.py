"""Bad input answers 4xx envelopes, never a 500: pages past the result window, NUL
characters, floods of bad values, malformed JSON, wrong methods, oversized bodies; and the
schema says what the code enforces. Served in-process (the live-server side is in
test_api_contract.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text

from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.auth import admin_headers
from tests.fixtures.catalogue import career

SEARCH = "/api/v1/careers/search"
NUL = "\x00"


def fields(response: httpx.Response) -> set[str]:
    return {d["field"] for d in response.json()["error"]["details"]}


def assert_envelope(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert body["meta"]["requestId"]
    return body


# ---- pages past the window ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"{SEARCH}?page=201&size=50", "page"),
        (f"{SEARCH}?page=1000&size=50", "page"),
        (f"{SEARCH}?page=99999999999999999999", "page"),
        ("/api/v1/careers?page=99999999999999999999", "page"),
        ("/api/v1/careers?page=101&size=100", "page"),
    ],
)
async def test_pages_past_the_result_window_are_422(
    api: httpx.AsyncClient, url: str, field: str
) -> None:
    response = await api.get(url)
    assert_envelope(response, 422, "VALIDATION_ERROR")
    assert fields(response) == {field}


async def test_the_schema_bounds_page_so_page_times_size_stays_in_the_window(
    api: httpx.AsyncClient,
) -> None:
    schema = (await api.get("/openapi.json")).json()
    for path, size in ((SEARCH, 50), ("/api/v1/careers", 100)):
        params = {p["name"]: p["schema"] for p in schema["paths"][path]["get"]["parameters"]}
        assert params["size"]["maximum"] == size
        assert params["page"]["maximum"] * size <= 10_000


# ---- NUL characters -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (SEARCH, {"q": f"doc{NUL}tor"}, "q"),
        (SEARCH, {"category": f"Medicine{NUL}"}, "category"),
        (SEARCH, {"exam": f"neet{NUL}"}, "exam"),
        (SEARCH, {"profile_interests": f"bio{NUL}"}, "profile_interests"),
        ("/api/v1/careers/suggest", {"q": f"d{NUL}"}, "q"),
        ("/api/v1/careers/compare", {"ids": f"a{NUL}b,c"}, "ids"),
        ("/api/v1/careers", {"stream": f"PCB{NUL}"}, "stream"),
    ],
)
async def test_nul_in_a_query_parameter_is_422_naming_it(
    api: httpx.AsyncClient, url: str, params: dict[str, str], field: str
) -> None:
    response = await api.get(url, params=params)
    assert_envelope(response, 422, "VALIDATION_ERROR")
    assert fields(response) == {field}


async def test_nul_in_a_path_is_422(api: httpx.AsyncClient) -> None:
    response = await api.get("/api/v1/careers/doc%00tor")
    assert_envelope(response, 422, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"description": f"Builds{NUL} bridges and roads for everyone to use."}, "description"),
        ({"skills": ["Surveying", f"CAD{NUL}"]}, "skills.1"),
        ({"name": f"Civil{NUL}"}, "name"),
    ],
)
async def test_nul_in_an_admin_write_is_422_naming_the_field_and_writes_nothing(
    api: httpx.AsyncClient, db_url: str, db_engine: Engine, overrides: dict[str, Any], field: str
) -> None:
    record = career("bridge-engineer", "Bridge Engineer") | overrides
    response = await api.post("/api/v1/careers", json=record, headers=admin_headers(db_url))
    assert_envelope(response, 422, "VALIDATION_ERROR")
    assert fields(response) == {field}
    with db_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM careers")).scalar_one() == 0


async def test_nul_in_a_recommendation_profile_is_422(api: httpx.AsyncClient) -> None:
    profile = {"grade": 12, "stream": "PCB", "interests": [f"biology{NUL}"], "skills": []}
    response = await api.post("/api/v1/recommendations", json=profile)
    assert_envelope(response, 422, "VALIDATION_ERROR")
    assert fields(response) == {"interests.0"}


async def test_an_escaped_backslash_is_not_a_nul(api: httpx.AsyncClient) -> None:
    # the JSON text \\u0000 is a backslash and "u0000", not a NUL: validation decides
    content = b'{"grade": 12, "stream": "PCB", "interests": ["a\\\\u0000"], "skills": []}'
    response = await api.post(
        "/api/v1/recommendations", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code != 422 or "NUL" not in response.text


# ---- error bodies stay small ------------------------------------------------------------


@pytest.mark.parametrize("facet", ["stream", "category", "exam", "stress_level"])
async def test_a_thousand_bad_facet_values_give_a_short_error(
    api: httpx.AsyncClient, facet: str
) -> None:
    params: list[tuple[str, str | int | float | bool | None]] = [
        (facet, f"bad value {i}") for i in range(1000)
    ]
    response = await api.get(SEARCH, params=params)
    body = assert_envelope(response, 422, "VALIDATION_ERROR")
    assert len(response.content) < 4_000
    assert len(body["error"]["details"]) <= 20


async def test_a_validation_error_with_many_problems_lists_twenty_and_counts_the_rest(
    api: httpx.AsyncClient,
) -> None:
    profile = {"grade": 12, "stream": "PCB", "interests": [1] * 15, "skills": [2] * 15}
    response = await api.post("/api/v1/recommendations", json=profile)
    body = assert_envelope(response, 422, "VALIDATION_ERROR")
    assert len(body["error"]["details"]) == 20
    assert "(30 problems, the first 20 listed)" in body["error"]["message"]


# ---- malformed JSON, methods ------------------------------------------------------------


async def test_malformed_json_is_a_documented_400(api: httpx.AsyncClient) -> None:
    response = await api.post(
        "/api/v1/recommendations", content=b"{bad", headers={"content-type": "application/json"}
    )
    body = assert_envelope(response, 400, "MALFORMED_JSON")
    assert body["error"]["details"][0]["field"] == "body"
    schema = (await api.get("/openapi.json")).json()
    declared = schema["paths"]["/api/v1/recommendations"]["post"]["responses"]["400"]
    assert declared["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorEnvelope")


@pytest.mark.parametrize(
    ("method", "url", "allowed"),
    [
        ("PATCH", "/api/v1/careers", {"GET", "POST"}),
        ("POST", "/api/v1/careers/civil-engineer", {"GET", "PUT", "DELETE"}),
        ("DELETE", "/health", {"GET"}),
    ],
)
async def test_405_says_what_is_allowed(
    api: httpx.AsyncClient, method: str, url: str, allowed: set[str]
) -> None:
    response = await api.request(method, url)
    assert_envelope(response, 405, "METHOD_NOT_ALLOWED")
    assert allowed <= {m.strip() for m in response.headers["allow"].split(",")}
    assert method not in response.headers["allow"]


# ---- body size --------------------------------------------------------------------------


async def test_a_body_over_the_limit_is_413_before_it_is_parsed(
    settings: Settings, db_url: str
) -> None:
    small = settings.model_copy(update={"max_request_body_bytes": 2_048})
    async with api_client(small) as api:
        big = {"grade": 12, "stream": "PCB", "interests": ["x" * 3_000], "skills": []}
        response = await api.post("/api/v1/recommendations", json=big)
        body = assert_envelope(response, 413, "PAYLOAD_TOO_LARGE")
        assert body["error"]["details"] == {"limit_bytes": 2_048}
        # an admin write too, with the key: the limit is for everyone
        record = career("bridge-engineer", "Bridge Engineer", description="x" * 3_000)
        admin = await api.post("/api/v1/careers", json=record, headers=admin_headers(db_url))
        assert_envelope(admin, 413, "PAYLOAD_TOO_LARGE")
        fits = await api.post(
            "/api/v1/recommendations", json={"grade": 12, "stream": "PCB", "interests": []}
        )
        assert fits.status_code != 413


async def test_an_anonymous_admin_write_is_401_even_with_a_malformed_body(
    api: httpx.AsyncClient,
) -> None:
    """The key is checked before the body is read: no parse error is reported to a caller
    who may not write at all."""
    response = await api.post(
        "/api/v1/careers", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert_envelope(response, 401, "UNAUTHORIZED")


# ---- OpenAPI says what the code enforces ------------------------------------------------


async def test_openapi_states_the_rules(api: httpx.AsyncClient) -> None:
    schema = (await api.get("/openapi.json")).json()
    compare = {
        p["name"]: p for p in schema["paths"]["/api/v1/careers/compare"]["get"]["parameters"]
    }
    assert compare["ids"]["schema"]["pattern"]
    assert "2 to 4 different" in compare["ids"]["description"]
    search = {p["name"]: p for p in schema["paths"][SEARCH]["get"]["parameters"]}
    assert search["exam"]["schema"]["items"]["pattern"]
    assert "not in the catalogue" in search["exam"]["description"]
    assert "salary_max" in search["salary_min"]["description"]
    assert search["stream"]["schema"]["maxItems"] == 50
    assert search["q"]["schema"]["pattern"] == "^[^\\u0000]*$"
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            assert {"401", "429"} <= set(responses), (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in responses, (method, path)
            if "requestBody" in operation:
                assert {"400", "413"} <= set(responses), (method, path)


async def test_openapi_says_where_credentials_are_optional(api: httpx.AsyncClient) -> None:
    paths = (await api.get("/openapi.json")).json()["paths"]
    assert {} in paths[SEARCH]["get"]["security"]
    assert {} not in paths["/api/v1/careers"]["post"]["security"]
    assert {} not in paths["/api/v1/users/profile"]["get"]["security"]


# ---- security headers, docs, health ------------------------------------------------------


@pytest.mark.parametrize("url", [SEARCH, "/docs", "/openapi.json", "/nowhere"])
async def test_security_headers(api: httpx.AsyncClient, url: str) -> None:
    response = await api.get(url)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp


async def test_pages_get_no_inline_scripts_and_docs_load_nothing_from_a_cdn(
    api: httpx.AsyncClient,
) -> None:
    page = await api.get("/explore")
    assert "script-src 'self';" in page.headers["content-security-policy"] + ";"
    docs = await api.get("/docs")
    assert docs.status_code == 200
    assert "cdn" not in docs.text.lower()
    assert "/docs/oauth2-redirect" in docs.text  # "Authorize" with the password flow
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert f"/docs/static/{asset}" in docs.text
        served = await api.get(f"/docs/static/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 10_000
    assert (await api.get("/docs/oauth2-redirect")).status_code == 200
    redoc = await api.get("/redoc")
    assert "cdn" not in redoc.text.lower()


async def test_public_health_shows_only_up_or_down(api: httpx.AsyncClient, db_url: str) -> None:
    public = (await api.get("/health")).json()["data"]
    for dependency in public["dependencies"].values():
        assert set(dependency) == {"status"}
    assert "PostgreSQL" not in str(public)
    invalid = await api.get("/health", headers={"X-API-Key": "cc_nope_nope"})
    assert invalid.status_code == 200
    assert set(invalid.json()["data"]["dependencies"]["postgres"]) == {"status"}
    admin = (await api.get("/health", headers=admin_headers(db_url))).json()["data"]
    assert admin["dependencies"]["postgres"]["detail"].startswith("PostgreSQL")
    assert "latencyMs" in admin["dependencies"]["redis"]
