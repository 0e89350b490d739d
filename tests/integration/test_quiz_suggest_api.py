"""POST /api/v1/quiz/score, GET /api/v1/quiz/items and GET /api/v1/careers/suggest."""

from __future__ import annotations

import httpx

from search_api.core.settings import Settings
from search_api.quiz.items import ITEMS
from tests.fixtures.api import api_client
from tests.fixtures.services import closed_port


async def test_quiz_items_and_score_in_the_envelope(api: httpx.AsyncClient) -> None:
    items = (await api.get("/api/v1/quiz/items")).json()
    assert items["success"] is True
    assert len(items["data"]["items"]) == len(ITEMS)
    assert {t["letter"] for t in items["data"]["types"]} == set("RIASEC")

    answers = {i["id"]: (2 if i["type"] == "S" else 0) for i in items["data"]["items"]}
    response = await api.post("/api/v1/quiz/score", json={"answers": answers})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    assert body["meta"]["requestId"]
    data = body["data"]
    assert data["ranked"][0] == "S"
    assert data["interests"] == ["social"]
    assert {s["letter"]: s["score"] for s in data["scores"]}["S"] == 1.0
    assert data["answered"] == data["total"] == len(ITEMS)


async def test_quiz_score_refuses_unknown_items_and_bad_values(api: httpx.AsyncClient) -> None:
    response = await api.post("/api/v1/quiz/score", json={"answers": {"r1": 2, "x9": 1}})
    assert response.status_code == 422
    body = response.json()
    assert body["success"] is False
    assert body["error"]["code"] == "VALIDATION_ERROR"
    assert body["error"]["details"][0]["field"] == "answers.x9"

    response = await api.post("/api/v1/quiz/score", json={"answers": {"r1": 5}})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"
    response = await api.post("/api/v1/quiz/score", json={"answers": {}})
    assert response.status_code == 422


async def test_suggestions_are_typo_tolerant_and_name_the_matching_alias(
    catalogue_api: httpx.AsyncClient,
) -> None:
    async def suggest(q: str) -> list[dict[str, str]]:
        response = await catalogue_api.get("/api/v1/careers/suggest", params={"q": q})
        assert response.status_code == 200, response.text
        suggestions: list[dict[str, str]] = response.json()["data"]["suggestions"]
        return suggestions

    assert (await suggest("doc"))[0]["id"] == "doctor-mbbs"
    assert "doctor-mbbs" in [s["id"] for s in await suggest("docter")]
    assert (await suggest("pharmasist"))[0]["id"] == "pharmacist"
    ca = (await suggest("ca"))[0]
    assert (ca["id"], ca["matched"]) == ("chartered-accountant", "CA")
    chikitsak = await suggest("chikit")
    assert ("doctor-mbbs", "chikitsak") in [(s["id"], s["matched"]) for s in chikitsak]
    assert await suggest("   ") == []
    assert await suggest("qqqqzzzz") == []


async def test_suggestions_say_503_when_the_search_engine_is_down(
    catalogue_settings: Settings,
) -> None:
    down = catalogue_settings.model_copy(
        update={"opensearch_url": f"http://127.0.0.1:{closed_port()}"}
    )
    async with api_client(down) as client:
        response = await client.get("/api/v1/careers/suggest", params={"q": "doc"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "SEARCH_UNAVAILABLE"
