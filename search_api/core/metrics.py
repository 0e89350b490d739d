"""Every Prometheus metric the API exports, defined once, and the text that GET /metrics serves.

Other modules import the metric objects from here and increment them; nothing else defines a
metric, so the names in k8s/monitoring/ (dashboard and alerts) have one place to match
(tests/integration/test_metrics.py checks them against a real scrape).

Several uvicorn workers: set PROMETHEUS_MULTIPROC_DIR to an empty directory before the server
starts. Each worker then writes its values to files there and any worker's /metrics adds them
up (prometheus_client's multiprocess mode). The gauges refreshed on scrape report the most
recent value any worker read.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)

# The *_created series double the output and no dashboard reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Seconds. The API's target is a p95 under 2 s, so the buckets are dense around it.
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)
# Model calls: a query embeds in ~10 ms, an agent answer takes seconds.
EMBEDDING_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
AGENT_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0, 60.0)

# --- requests (the ASGI middleware in search_api.core.observability) -------------------------
HTTP_REQUESTS = Counter(
    "cc_http_requests_total",
    "HTTP requests by route template (never the raw path), method and status code.",
    ["route", "method", "status"],
)
HTTP_REQUEST_DURATION = Histogram(
    "cc_http_request_duration_seconds",
    "Time from the request's arrival to the end of its response, by route template.",
    ["route", "method"],
    buckets=REQUEST_BUCKETS,
)

# --- search, cache, fallbacks ------------------------------------------------------------------
SEARCH_ZERO_RESULTS = Counter("cc_search_zero_results_total", "Career searches that found nothing.")
CACHE_REQUESTS = Counter(
    "cc_cache_requests_total", "Response-cache lookups in Redis, by result.", ["result"]
)
DEGRADED_RESPONSES = Counter(
    "cc_degraded_responses_total",
    "Answers served by a fallback because a dependency was down or too slow.",
    ["dependency"],
)
RATE_LIMIT_REJECTIONS = Counter(
    "cc_rate_limit_rejections_total", "Requests refused with 429 by the rate limiter."
)
SHED_REQUESTS = Counter(
    "cc_shed_requests_total",
    "Requests refused at once with 503 because too many were already in flight.",
)
BREAKER_OPENED = Counter(
    "cc_breaker_opened_total",
    "Times a dependency's circuit breaker opened (calls skipped for a cool-down).",
    ["dependency"],
)

# --- models ----------------------------------------------------------------------------------
EMBEDDING_DURATION = Histogram(
    "cc_embedding_duration_seconds",
    "Time spent in the embedding model per encode call.",
    buckets=EMBEDDING_BUCKETS,
)
RECOMMENDATION_DURATION = Histogram(
    "cc_recommendation_duration_seconds",
    "Time to rank careers for one profile.",
    buckets=REQUEST_BUCKETS,
)
AGENT_DURATION = Histogram(
    "cc_agent_duration_seconds", "Time to produce one agent answer.", buckets=AGENT_BUCKETS
)
AGENT_GROUNDING_VIOLATIONS = Counter(
    "cc_agent_grounding_violations_total",
    "Agent answers that named a career, exam or figure not in the retrieved catalogue.",
)

# --- state, read on every scrape (search_api.health.metrics) ------------------------------------
# mostrecent: in multiprocess mode the value read by the latest scrape wins, whichever worker
# served it (the default would report one series per worker).
OUTBOX_PENDING_EVENTS = Gauge(
    "cc_outbox_pending_events",
    "Catalogue changes not yet applied to the search index.",
    multiprocess_mode="mostrecent",
)
OUTBOX_LAG_SECONDS = Gauge(
    "cc_outbox_lag_seconds",
    "Age of the oldest pending outbox event (0 when none is pending).",
    multiprocess_mode="mostrecent",
)
INDEX_DOCUMENTS = Gauge(
    "cc_index_documents",
    "Documents in the live index behind the alias.",
    multiprocess_mode="mostrecent",
)
CATALOGUE_CAREERS = Gauge(
    "cc_catalogue_careers",
    "Careers in PostgreSQL, the source of truth.",
    multiprocess_mode="mostrecent",
)

# Label values known in advance get a series at 0 from the start, so rate() and ratios work
# before the first event and the names are in every scrape.
for _result in ("hit", "miss"):
    CACHE_REQUESTS.labels(result=_result)
for _dependency in ("opensearch", "postgres", "redis", "llm"):
    DEGRADED_RESPONSES.labels(dependency=_dependency)
for _dependency in ("opensearch", "redis"):
    BREAKER_OPENED.labels(dependency=_dependency)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def render_metrics() -> bytes:
    """The text exposition of every metric of this process, or of all workers."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)
