"""Analytics answers, from the rollups (and the raw rows for co-viewing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from search_api.analytics.repository import AnalyticsRepository
from search_api.analytics.schemas import (
    PERIOD_DAYS,
    CoViewed,
    InsightsData,
    Period,
    PopularCareer,
    PopularData,
    QueryCount,
    StreamShare,
    TrendBucket,
    TrendData,
)
from search_api.analytics.writer import ZONE
from search_api.careers.repository import CatalogueRepository
from search_api.core.errors import NotFoundError, ValidationFailed


def today() -> date:
    return datetime.now(UTC).astimezone(ZONE).date()


class AnalyticsService:
    def __init__(self, repository: AnalyticsRepository, catalogue: CatalogueRepository) -> None:
        self.repo = repository
        self.catalogue = catalogue

    async def popular(self, period: Period, stream: str | None, limit: int) -> PopularData:
        since = today() - timedelta(days=PERIOD_DAYS[period] - 1)
        rows = await self.repo.popular(since, stream, limit)
        return PopularData(
            period=period,
            stream=stream,
            since=since,
            careers=[
                PopularCareer(
                    id=r.career_id,
                    name=r.name,
                    category=r.category,
                    views=int(r.views),
                    clicks=int(r.clicks),
                    compares=int(r.compares),
                    interest=int(r.interest),
                )
                for r in rows
            ],
        )

    async def trend(self, days: int, career_id: str | None, category: str | None) -> TrendData:
        if (career_id is None) == (category is None):
            raise ValidationFailed.field(
                "career_id", "query", "give exactly one of career_id and category"
            )
        if career_id is not None and not await self.catalogue.exists(career_id):
            raise NotFoundError("CAREER_NOT_FOUND", f"no career with id {career_id!r}")
        if category is not None and category not in await self.catalogue.category_names():
            raise ValidationFailed.field("category", "query", f"unknown category: {category}")
        since = today() - timedelta(days=days - 1)
        found = {r.day: r for r in await self.repo.trend(since, career_id, category)}
        buckets = []
        for n in range(days):
            day = since + timedelta(days=n)
            row = found.get(day)
            buckets.append(
                TrendBucket(
                    day=day,
                    views=int(row.views) if row else 0,
                    clicks=int(row.clicks) if row else 0,
                    compares=int(row.compares) if row else 0,
                    search_results=int(row.search_results) if row else 0,
                )
            )
        return TrendData(
            career_id=career_id, category=category, days=days, since=since, buckets=buckets
        )

    async def insights(self, career_id: str, period: Period) -> InsightsData:
        if not await self.catalogue.exists(career_id):
            raise NotFoundError("CAREER_NOT_FOUND", f"no career with id {career_id!r}")
        since = today() - timedelta(days=PERIOD_DAYS[period] - 1)
        totals = await self.repo.career_totals(career_id, since)
        mix = await self.repo.stream_mix(career_id, since)
        seen = sum(int(r.views) for r in mix) or 1
        return InsightsData(
            career_id=career_id,
            period=period,
            since=since,
            views=int(totals.views),
            clicks=int(totals.clicks),
            compares=int(totals.compares),
            recommended=int(totals.recommended),
            search_results=int(totals.search_results),
            leading_queries=[
                QueryCount(query=r.query, clicks=int(r.clicks))
                for r in await self.repo.leading_queries(career_id, since, 10)
            ],
            co_viewed=[
                CoViewed(id=r.career_id, name=r.name, sessions=int(r.sessions))
                for r in await self.repo.co_viewed(career_id, since, 10)
            ],
            stream_mix=[
                StreamShare(
                    stream=r.stream, views=int(r.views), share=round(int(r.views) / seen, 4)
                )
                for r in mix
            ],
        )
