"""Catalogue read and admin API against a migrated private schema."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from indexer.loader import load_catalogue
from tests.fixtures.auth import admin_headers, create_api_key
from tests.fixtures.catalogue import career, write_catalogue


@pytest.fixture
def admin(db_url: str) -> dict[str, str]:
    """An admin-scoped API key's header."""
    return admin_headers(db_url)


@pytest.fixture
async def loaded(
    db_sessionmaker: async_sessionmaker[AsyncSession], db_engine: Engine, tmp_path: Path
) -> Engine:
    await load_catalogue(db_sessionmaker, write_catalogue(tmp_path))
    return db_engine


def outbox(engine: Engine) -> list[tuple[str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT career_id, operation FROM outbox ORDER BY id")).all()
    return [(r.career_id, r.operation) for r in rows]


def new_career(**overrides: Any) -> dict[str, Any]:
    record = career(
        "aerospace-engineer",
        "Aerospace Engineer",
        alternatives=["mechanical-engineer"],
        aliases=["aeronautical engineer"],
    )
    record.update(overrides)
    return record


async def test_list_filters_and_pages(api: httpx.AsyncClient, loaded: Engine) -> None:
    response = await api.get("/api/v1/careers", params={"size": 2})
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["data"]["total"] == 3
    assert [r["name"] for r in body["data"]["results"]] == ["Civil Engineer", "Doctor"]
    assert set(body["data"]["results"][0]) >= {
        "id",
        "name",
        "category",
        "entry_salary",
        "mid_salary",
        "senior_salary",
        "streams",
    }
    medicine = (await api.get("/api/v1/careers", params={"category": "Medicine"})).json()["data"]
    assert [r["id"] for r in medicine["results"]] == ["doctor-mbbs"]
    pcb = (await api.get("/api/v1/careers", params={"stream": "PCB"})).json()["data"]
    assert pcb["total"] == 1


async def test_list_rejects_unknown_facet_value(api: httpx.AsyncClient, loaded: Engine) -> None:
    response = await api.get("/api/v1/careers", params={"stream": "Science"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"][0]["field"] == "stream.0"


async def test_detail_resolves_references(api: httpx.AsyncClient, loaded: Engine) -> None:
    data = (await api.get("/api/v1/careers/doctor-mbbs")).json()["data"]
    assert data["entrance_exams"][0]["name"] == "NEET-UG"
    assert data["entrance_exams"][0]["conducting_body"] == "National Testing Agency (NTA)"
    assert data["top_institutions"][0] == {
        "id": "aiims-delhi",
        "name": "All India Institute of Medical Sciences New Delhi",
        "city": "New Delhi",
        "state": "Delhi",
        "type": "AIIMS",
    }
    assert data["alternatives"] == [
        {"id": "civil-engineer", "name": "Civil Engineer", "category": "Engineering"}
    ]
    assert data["aliases"] == ["MBBS", "chikitsak"]


async def test_unknown_career_is_404(api: httpx.AsyncClient, loaded: Engine) -> None:
    response = await api.get("/api/v1/careers/astronaut")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "CAREER_NOT_FOUND"


async def test_writes_need_an_admin_credential(
    api: httpx.AsyncClient, loaded: Engine, db_url: str
) -> None:
    read_key, _ = create_api_key(db_url, ("read",))
    missing = await api.post("/api/v1/careers", json=new_career())
    wrong = await api.post("/api/v1/careers", json=new_career(), headers={"X-API-Key": "guess"})
    read = await api.post("/api/v1/careers", json=new_career(), headers={"X-API-Key": read_key})
    assert (missing.status_code, missing.json()["error"]["code"]) == (401, "UNAUTHORIZED")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "INVALID_API_KEY")
    assert (read.status_code, read.json()["error"]["code"]) == (403, "FORBIDDEN")
    assert len(outbox(loaded)) == 3


async def test_create_update_delete_round_trip_with_outbox(
    api: httpx.AsyncClient, loaded: Engine, admin: dict[str, str]
) -> None:
    created = await api.post("/api/v1/careers", json=new_career(), headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["data"]["alternatives"][0]["id"] == "mechanical-engineer"

    changed = new_career(mid_salary=1500000)
    updated = await api.put("/api/v1/careers/aerospace-engineer", json=changed, headers=admin)
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["mid_salary"] == 1500000
    assert (await api.get("/api/v1/careers/aerospace-engineer")).json()["data"][
        "mid_salary"
    ] == 1500000

    deleted = await api.delete("/api/v1/careers/aerospace-engineer", headers=admin)
    assert deleted.status_code == 200
    assert (await api.get("/api/v1/careers/aerospace-engineer")).status_code == 404
    assert outbox(loaded)[3:] == [
        ("aerospace-engineer", "upsert"),
        ("aerospace-engineer", "upsert"),
        ("aerospace-engineer", "delete"),
    ]


async def test_duplicate_id_is_409(
    api: httpx.AsyncClient, loaded: Engine, admin: dict[str, str]
) -> None:
    response = await api.post(
        "/api/v1/careers", json=career("civil-engineer", "Another Civil Engineer"), headers=admin
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "CAREER_EXISTS"
    assert len(outbox(loaded)) == 3


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"entrance_exams": ["jee-mains"]}, "entrance_exams"),
        ({"alternatives": ["astronaut"]}, "alternatives"),
        ({"aliases": ["MBBS"]}, "aliases"),
        ({"name": "Doctor"}, "name"),
        ({"stress_level": "Extreme"}, "stress_level"),
        ({"entry_salary": 5000000}, "body"),
    ],
)
async def test_invalid_career_is_422_and_changes_nothing(
    api: httpx.AsyncClient,
    loaded: Engine,
    admin: dict[str, str],
    overrides: dict[str, Any],
    field: str,
) -> None:
    response = await api.post("/api/v1/careers", json=new_career(**overrides), headers=admin)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert field in {d["field"] for d in body["error"]["details"]}
    assert (await api.get("/api/v1/careers/aerospace-engineer")).status_code == 404
    assert len(outbox(loaded)) == 3


async def test_put_unknown_and_mismatched_ids(
    api: httpx.AsyncClient, loaded: Engine, admin: dict[str, str]
) -> None:
    missing = await api.put("/api/v1/careers/aerospace-engineer", json=new_career(), headers=admin)
    assert missing.status_code == 404
    mismatch = await api.put("/api/v1/careers/civil-engineer", json=new_career(), headers=admin)
    assert mismatch.status_code == 422
    assert mismatch.json()["error"]["details"][0]["field"] == "id"


async def test_delete_of_a_referenced_career_is_409(
    api: httpx.AsyncClient, loaded: Engine, admin: dict[str, str]
) -> None:
    response = await api.delete("/api/v1/careers/civil-engineer", headers=admin)
    assert response.status_code == 409
    assert response.json()["error"]["details"]["referenced_by"] == [
        "doctor-mbbs",
        "mechanical-engineer",
    ]
    assert (await api.get("/api/v1/careers/civil-engineer")).status_code == 200


async def test_openapi_docs_are_served(api: httpx.AsyncClient) -> None:
    assert (await api.get("/docs")).status_code == 200
    spec = (await api.get("/openapi.json")).json()
    assert "/api/v1/careers/{career_id}" in spec["paths"]


async def test_categories_are_listed_with_hindi_names(
    api: httpx.AsyncClient, loaded: Engine
) -> None:
    response = await api.get("/api/v1/categories")
    assert response.status_code == 200
    categories = response.json()["data"]["categories"]
    assert [c["name"] for c in categories] == ["Engineering", "Medicine"]
    assert categories[1]["hindi_name"] == "चिकित्सा"
    unknown = await api.get("/api/v1/careers", params={"category": "Astrology"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["details"][0]["field"] == "category"


async def test_admin_career_writes_are_in_the_audit_log(
    api: httpx.AsyncClient, loaded: Engine, db_url: str
) -> None:
    key, key_id = create_api_key(db_url)
    admin = {"X-API-Key": key}
    assert (await api.post("/api/v1/careers", json=new_career(), headers=admin)).status_code == 201
    changed = new_career(mid_salary=1_500_000)
    put = await api.put("/api/v1/careers/aerospace-engineer", json=changed, headers=admin)
    assert put.status_code == 200
    assert (
        await api.delete("/api/v1/careers/aerospace-engineer", headers=admin)
    ).status_code == 200
    refused = await api.put("/api/v1/careers/civil-engineer", json=new_career(), headers=admin)
    assert refused.status_code == 422  # a rejected write leaves no entry

    log = await api.get("/api/v1/admin/audit", params={"target_type": "career"}, headers=admin)
    entries = log.json()["data"]["entries"]
    assert [e["action"] for e in entries] == ["career.delete", "career.update", "career.create"]
    deleted, updated, created = entries
    assert all((e["actor_kind"], e["actor_id"]) == ("api_key", key_id) for e in entries)
    assert created["before"] is None
    assert created["after"]["mid_salary"] == 1_200_000
    assert (updated["before"]["mid_salary"], updated["after"]["mid_salary"]) == (
        1_200_000,
        1_500_000,
    )
    assert deleted["before"]["mid_salary"] == 1_500_000
    assert deleted["after"] is None
