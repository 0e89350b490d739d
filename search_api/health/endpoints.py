from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from search_api.core.deps import EmbedderDep, EngineDep, RedisDep, SettingsDep
from search_api.core.envelope import Envelope, ErrorBody, ErrorEnvelope, build_meta
from search_api.core.ratelimit import RateLimiter
from search_api.core.security import Principal, resolve_principal
from search_api.health.schemas import HealthReport
from search_api.health.service import check_health
from search_api.search.deps import CareerIndexDep

router = APIRouter(tags=["health"])

STATUS_CODES = {"healthy": 200, "degraded": 206, "unhealthy": 503}


@router.get(
    "/health",
    response_model=Envelope[HealthReport],
    responses={206: {"model": Envelope[HealthReport]}, 503: {"model": ErrorEnvelope}},
    summary="Status of PostgreSQL, OpenSearch and Redis",
)
async def health(
    request: Request,
    settings: SettingsDep,
    engine: EngineDep,
    index: CareerIndexDep,
    redis: RedisDep,
    embedder: EmbedderDep,
) -> JSONResponse:
    """200 when all is up, 206 when only Redis is down, 503 when Postgres or OpenSearch is.

    Each dependency says up or down; admins (an admin token or admin-scoped key) also see
    latencies, versions and error text. A probe's invalid credential is not an error here:
    it gets the public answer."""
    report = await check_health(
        engine, index, redis, embedder.loaded, settings.dependency_timeout_seconds
    )
    limiter: RateLimiter | None = getattr(request.state, "rate_limiter", None)
    if limiter is not None:
        if report.dependencies["redis"].status == "down" and limiter.enabled:
            # the limiter notices on its next request; /health says so at once
            report.rate_limits = "not enforced: redis unavailable"
        else:
            report.rate_limits = limiter.status
    code = STATUS_CODES[report.status]
    caller = await resolve_principal(request)
    if not (isinstance(caller, Principal) and caller.is_admin):
        report = report.public()
    meta = build_meta(request)
    body: Envelope[HealthReport] | ErrorEnvelope
    if report.status == "unhealthy":
        down = [n for n, d in report.dependencies.items() if d.status == "down"]
        body = ErrorEnvelope(
            error=ErrorBody(
                code="DEPENDENCY_UNAVAILABLE",
                message=f"unhealthy: {', '.join(down)} down",
                details=report.model_dump(exclude_none=True),
            ),
            meta=meta,
        )
    else:
        body = Envelope[HealthReport](data=report, meta=meta)
    return JSONResponse(body.model_dump(mode="json", exclude_none=True), status_code=code)
