"""All analytics SQL: writing interactions and rollups, and the aggregate reads."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, text
from sqlalchemy.dialects.postgresql import insert

from search_api.analytics.models import (
    CareerDailyStats,
    CareerQueryDailyStats,
    Interaction,
    SearchDailyStats,
)
from search_api.careers.models import Career
from search_api.core.repository import Repository
from search_api.profiles.models import UserProfile
from search_api.users.models import User

# Days are Indian days: a student's evening search belongs to that date, not to UTC's.
TIMEZONE = "Asia/Kolkata"
CAREER_COUNTERS = ("views", "clicks", "compares", "recommended", "search_results")


@dataclass
class CareerCounts:
    views: int = 0
    clicks: int = 0
    compares: int = 0
    recommended: int = 0
    search_results: int = 0


@dataclass
class SearchCounts:
    searches: int = 0
    zero_results: int = 0


@dataclass(frozen=True)
class Rollups:
    careers: Mapping[tuple[date, str, str], CareerCounts]
    queries: Mapping[tuple[date, str, str], int]
    searches: Mapping[tuple[date, str], SearchCounts]


class AnalyticsRepository(Repository[Interaction]):
    model = Interaction

    # ---- writes -------------------------------------------------------------------------

    async def existing_users(self, user_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
        if not user_ids:
            return set()
        return set(await self.session.scalars(select(User.id).where(User.id.in_(list(user_ids)))))

    async def streams_of(self, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(UserProfile.user_id, UserProfile.stream).where(
                UserProfile.user_id.in_(list(user_ids)), UserProfile.stream.is_not(None)
            )
        )
        return {r.user_id: r.stream for r in rows}

    async def insert_interactions(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(Interaction), [dict(r) for r in rows])

    async def add_rollups(self, rollups: Rollups) -> None:
        """Add the batch's counts to the daily rows (atomic increments: several API
        processes write the same rows)."""
        if rollups.careers:
            stmt = insert(CareerDailyStats).values(
                [
                    {"day": day, "career_id": career, "stream": stream, **vars(counts)}
                    for (day, career, stream), counts in sorted(rollups.careers.items())
                ]
            )
            table = CareerDailyStats.__table__
            await self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=["day", "career_id", "stream"],
                    set_={c: table.c[c] + stmt.excluded[c] for c in CAREER_COUNTERS},
                )
            )
        if rollups.queries:
            qstmt = insert(CareerQueryDailyStats).values(
                [
                    {"day": day, "career_id": career, "query": query, "clicks": clicks}
                    for (day, career, query), clicks in sorted(rollups.queries.items())
                ]
            )
            await self.session.execute(
                qstmt.on_conflict_do_update(
                    index_elements=["day", "career_id", "query"],
                    set_={"clicks": CareerQueryDailyStats.clicks + qstmt.excluded.clicks},
                )
            )
        if rollups.searches:
            sstmt = insert(SearchDailyStats).values(
                [
                    {"day": day, "stream": stream, **vars(counts)}
                    for (day, stream), counts in sorted(rollups.searches.items())
                ]
            )
            await self.session.execute(
                sstmt.on_conflict_do_update(
                    index_elements=["day", "stream"],
                    set_={
                        "searches": SearchDailyStats.searches + sstmt.excluded.searches,
                        "zero_results": SearchDailyStats.zero_results + sstmt.excluded.zero_results,
                    },
                )
            )

    async def rebuild_rollups(self) -> None:
        """Recompute every rollup from the raw interactions (after a bulk import, or to
        repair them). The same counting rules as the writer's."""
        for model in (CareerDailyStats, CareerQueryDailyStats, SearchDailyStats):
            await self.session.execute(delete(model))
        day = f"(created_at AT TIME ZONE '{TIMEZONE}')::date"
        await self.session.execute(
            text(
                f"""
                INSERT INTO career_daily_stats
                    (day, career_id, stream, views, clicks, compares, recommended, search_results)
                SELECT day, career_id, stream, sum(v), sum(c), sum(m), sum(r), sum(s)
                FROM (
                    SELECT {day} AS day, career_id, coalesce(stream, '') AS stream,
                           (kind = 'view')::int AS v, (kind = 'click')::int AS c,
                           (kind = 'compare')::int AS m, 0 AS r, 0 AS s
                    FROM user_interactions
                    WHERE career_id IS NOT NULL AND kind IN ('view', 'click', 'compare')
                    UNION ALL
                    SELECT {day}, jsonb_array_elements_text(payload -> 'career_ids'),
                           coalesce(stream, ''), 0, 0, 0, 1, 0
                    FROM user_interactions WHERE kind = 'recommend'
                    UNION ALL
                    SELECT {day}, jsonb_array_elements_text(payload -> 'result_ids'),
                           coalesce(stream, ''), 0, 0, 0, 0, 1
                    FROM user_interactions WHERE kind = 'search'
                ) counted
                GROUP BY day, career_id, stream
                """
            )
        )
        await self.session.execute(
            text(
                f"""
                INSERT INTO career_query_daily_stats (day, career_id, query, clicks)
                SELECT {day}, career_id,
                       left(lower(regexp_replace(btrim(query), '\\s+', ' ', 'g')), 200),
                       count(*)
                FROM user_interactions
                WHERE kind = 'click' AND career_id IS NOT NULL AND coalesce(btrim(query), '') <> ''
                GROUP BY 1, 2, 3
                """
            )
        )
        await self.session.execute(
            text(
                f"""
                INSERT INTO search_daily_stats (day, stream, searches, zero_results)
                SELECT {day}, coalesce(stream, ''), count(*),
                       count(*) FILTER (WHERE (payload ->> 'total')::int = 0)
                FROM user_interactions WHERE kind = 'search'
                GROUP BY 1, 2
                """
            )
        )

    # ---- reads ----------------------------------------------------------------------------

    async def popular(self, since: date, stream: str | None, limit: int) -> list[Row[Any]]:
        stats = CareerDailyStats
        interest = func.sum(stats.views + stats.clicks + stats.compares)
        counted = (
            select(
                stats.career_id,
                func.sum(stats.views).label("views"),
                func.sum(stats.clicks).label("clicks"),
                func.sum(stats.compares).label("compares"),
                interest.label("interest"),
            )
            .where(stats.day >= since)
            .group_by(stats.career_id)
        )
        if stream is not None:
            counted = counted.where(stats.stream == stream)
        sub = counted.subquery()
        query = (
            select(sub, Career.name, Career.category)
            .join(Career, Career.id == sub.c.career_id)
            .where(sub.c.interest > 0)
            .order_by(sub.c.interest.desc(), sub.c.career_id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def trend(
        self, since: date, career_id: str | None, category: str | None
    ) -> list[Row[Any]]:
        stats = CareerDailyStats
        query = select(
            stats.day,
            func.sum(stats.views).label("views"),
            func.sum(stats.clicks).label("clicks"),
            func.sum(stats.compares).label("compares"),
            func.sum(stats.search_results).label("search_results"),
        ).where(stats.day >= since)
        if career_id is not None:
            query = query.where(stats.career_id == career_id)
        if category is not None:
            ids = select(Career.id).where(Career.category == category)
            query = query.where(stats.career_id.in_(ids))
        return list(await self.session.execute(query.group_by(stats.day).order_by(stats.day)))

    async def career_totals(self, career_id: str, since: date) -> Any:
        stats = CareerDailyStats
        return (
            await self.session.execute(
                select(
                    *(
                        func.coalesce(func.sum(getattr(stats, c)), 0).label(c)
                        for c in CAREER_COUNTERS
                    )
                ).where(stats.career_id == career_id, stats.day >= since)
            )
        ).one()

    async def stream_mix(self, career_id: str, since: date) -> list[Row[Any]]:
        stats = CareerDailyStats
        views = func.sum(stats.views + stats.clicks)
        return list(
            await self.session.execute(
                select(stats.stream, views.label("views"))
                .where(stats.career_id == career_id, stats.day >= since)
                .group_by(stats.stream)
                .having(views > 0)
                .order_by(views.desc())
            )
        )

    async def leading_queries(self, career_id: str, since: date, limit: int) -> list[Row[Any]]:
        stats = CareerQueryDailyStats
        clicks = func.sum(stats.clicks)
        return list(
            await self.session.execute(
                select(stats.query, clicks.label("clicks"))
                .where(stats.career_id == career_id, stats.day >= since)
                .group_by(stats.query)
                .order_by(clicks.desc(), stats.query)
                .limit(limit)
            )
        )

    async def co_viewed(self, career_id: str, since: datetime, limit: int) -> list[Row[Any]]:
        """Careers viewed in the same sessions as career_id, by how many sessions."""
        seen = (
            select(Interaction.session_id)
            .where(
                Interaction.career_id == career_id,
                Interaction.created_at >= since,
                Interaction.kind.in_(("view", "click")),
                Interaction.session_id.is_not(None),
            )
            .distinct()
            .subquery()
        )
        sessions = func.count(func.distinct(Interaction.session_id))
        counted = (
            select(Interaction.career_id, sessions.label("sessions"))
            .join(seen, seen.c.session_id == Interaction.session_id)
            .where(
                Interaction.created_at >= since,
                Interaction.kind.in_(("view", "click")),
                Interaction.career_id.is_not(None),
                Interaction.career_id != career_id,
            )
            .group_by(Interaction.career_id)
            .order_by(sessions.desc(), Interaction.career_id)
            .limit(limit)
            .subquery()
        )
        return list(
            await self.session.execute(
                select(counted, Career.name)
                .join(Career, Career.id == counted.c.career_id)
                .order_by(counted.c.sessions.desc(), counted.c.career_id)
            )
        )
