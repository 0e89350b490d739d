"""GET /metrics against the real services; the dashboard and alerts use only exported names."""

from __future__ import annotations

import time

import httpx
import promql_parser
import pytest
from opensearchpy import OpenSearch
from sqlalchemy import text

from search_api.core.db import make_sync_engine
from search_api.core.settings import Settings
from tests.fixtures.api import api_client
from tests.fixtures.metrics import (
    EXPECTED,
    alert_rules,
    dashboard,
    dashboard_expressions,
    families,
    samples,
    selector_names,
    value,
)
from tests.fixtures.services import closed_port


async def scrape(api: httpx.AsyncClient) -> str:
    response = await api.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return response.text


async def test_metrics_exports_every_name_with_its_type(catalogue_api: httpx.AsyncClient) -> None:
    await catalogue_api.get("/api/v1/careers/search", params={"q": "doctor"})
    exposition = await scrape(catalogue_api)
    types = families(exposition)
    for name, kind in EXPECTED.items():
        assert types.get(name) == kind, f"{name}: {types.get(name)}"
    names = set(samples(exposition))
    for name, kind in EXPECTED.items():
        wanted = f"{name}_bucket" if kind == "histogram" else name
        assert wanted in names, f"{wanted} is not in the scrape"


async def test_metrics_is_not_in_the_openapi_schema(catalogue_api: httpx.AsyncClient) -> None:
    schema = (await catalogue_api.get("/openapi.json")).json()
    assert "/metrics" not in schema["paths"]
    assert "/health" in schema["paths"]


async def test_requests_are_counted_by_route_template(catalogue_api: httpx.AsyncClient) -> None:
    template = "/api/v1/careers/{career_id}"
    before = value(await scrape(catalogue_api), "cc_http_requests_total", route=template)
    for career_id in ("doctor-mbbs", "dentist", "no-such-career"):
        await catalogue_api.get(f"/api/v1/careers/{career_id}")
    exposition = await scrape(catalogue_api)
    after = value(exposition, "cc_http_requests_total", route=template)
    assert after == before + 3
    assert value(exposition, "cc_http_requests_total", route=template, status="404") >= 1
    routes = {labels["route"] for labels, _ in samples(exposition)["cc_http_requests_total"]}
    assert not any("doctor-mbbs" in route for route in routes)
    buckets = samples(exposition)["cc_http_request_duration_seconds_bucket"]
    assert any(labels["route"] == template for labels, _ in buckets)


async def test_search_metrics_move(catalogue_api: httpx.AsyncClient) -> None:
    before = await scrape(catalogue_api)
    query = f"zzqx{time.time_ns()}"  # matches nothing, and is new to the cache
    await catalogue_api.get("/api/v1/careers/search", params={"q": query})
    await catalogue_api.get("/api/v1/careers/search", params={"q": query})
    after = await scrape(catalogue_api)
    assert value(after, "cc_search_zero_results_total") == (
        value(before, "cc_search_zero_results_total") + 2
    )
    # First a miss, then the cached answer.
    assert value(after, "cc_cache_requests_total", result="miss") >= (
        value(before, "cc_cache_requests_total", result="miss") + 1
    )
    assert value(after, "cc_cache_requests_total", result="hit") >= (
        value(before, "cc_cache_requests_total", result="hit") + 1
    )
    assert value(after, "cc_embedding_duration_seconds_count") >= (
        value(before, "cc_embedding_duration_seconds_count") + 1
    )


async def test_state_gauges_are_read_at_scrape_time(
    catalogue_settings: Settings, catalogue_api: httpx.AsyncClient, opensearch: OpenSearch
) -> None:
    engine = make_sync_engine(catalogue_settings.database_url)
    try:
        with engine.connect() as conn:
            careers = int(conn.execute(text("SELECT count(*) FROM careers")).scalar_one())
            pending = int(
                conn.execute(
                    text("SELECT count(*) FROM outbox WHERE applied_at IS NULL")
                ).scalar_one()
            )
    finally:
        engine.dispose()
    documents = int(opensearch.count(index=catalogue_settings.opensearch_alias)["count"])
    exposition = await scrape(catalogue_api)
    assert value(exposition, "cc_catalogue_careers") == careers > 300
    assert value(exposition, "cc_index_documents") == documents == careers
    assert value(exposition, "cc_outbox_pending_events") == pending
    assert value(exposition, "cc_outbox_lag_seconds") >= 0


async def test_a_scrape_never_fails_when_dependencies_are_down(base_settings: Settings) -> None:
    dead = base_settings.model_copy(
        update={
            "database_url": f"postgresql+psycopg://careers:careers@127.0.0.1:{closed_port()}/x",
            "opensearch_url": f"http://127.0.0.1:{closed_port()}",
            "redis_url": f"redis://127.0.0.1:{closed_port()}/0",
        }
    )
    async with api_client(dead) as api:
        started = time.perf_counter()
        exposition = await scrape(api)
        elapsed = time.perf_counter() - started
    assert elapsed < 3.0
    assert "cc_outbox_lag_seconds" in samples(exposition)


# --- k8s/monitoring -------------------------------------------------------------------------


def test_alert_rules_are_complete_and_parse() -> None:
    rules = alert_rules()
    names = {rule["alert"] for rule in rules}
    # What issue 15 asks to alert on.
    assert {
        "CareerCompassHighErrorRate",
        "CareerCompassSlowRequests",
        "CareerCompassOutboxLagging",
        "CareerCompassIndexBehindCatalogue",
    } <= names
    for rule in rules:
        promql_parser.parse(rule["expr"])  # raises ValueError on a syntax error
        assert promql_parser.parse_duration(rule["for"]).total_seconds() > 0
        assert rule["labels"]["severity"] in {"page", "ticket"}
        assert rule["annotations"]["summary"]
        assert rule["annotations"]["description"]


def test_dashboard_panels_parse_and_cover_the_asked_views() -> None:
    board = dashboard()
    assert board["uid"]
    assert board["title"]
    ids = [panel["id"] for panel in board["panels"]]
    assert len(ids) == len(set(ids))
    for panel in board["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}"
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
        ref_ids = [target["refId"] for target in panel["targets"]]
        assert len(ref_ids) == len(set(ref_ids))
    used = set()
    for _, expression in dashboard_expressions():
        used |= selector_names(expression)
    for name in (
        "cc_http_requests_total",
        "cc_http_request_duration_seconds_bucket",
        "cc_cache_requests_total",
        "cc_outbox_lag_seconds",
        "cc_index_documents",
        "cc_catalogue_careers",
        "cc_degraded_responses_total",
    ):
        assert name in used, f"the dashboard shows no {name}"


async def test_every_metric_the_monitoring_uses_is_exported(
    catalogue_api: httpx.AsyncClient,
) -> None:
    await catalogue_api.get("/api/v1/careers/search", params={"q": "pilot"})
    exported = set(samples(await scrape(catalogue_api)))
    expressions = [(rule["alert"], rule["expr"]) for rule in alert_rules()]
    expressions += list(dashboard_expressions())
    assert len(expressions) > 10
    for where, expression in expressions:
        names = selector_names(expression)
        assert names, f"{where}: selects no metric"
        missing = names - exported
        assert not missing, f"{where}: {sorted(missing)} not exported by /metrics"


@pytest.mark.parametrize(
    "broken",
    [
        "sum(rate(cc_http_requests_total[5m])",
        "rate(cc_http_requests_total)",
        'cc_http_requests_total{status=~"5.."',
    ],
)
def test_the_parser_rejects_what_prometheus_would(broken: str) -> None:
    """The check above is only worth something if the parser is strict."""
    with pytest.raises(ValueError, match=r"."):
        promql_parser.parse(broken)
