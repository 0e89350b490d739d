"""All analytics SQL: writing interactions and rollups, and the aggregate reads."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Row, delete, func, select, text, union_all
from sqlalchemy.dialects.postgresql import insert

from search_api.analytics.models import (
    ALL,
    CareerDailyStats,
    CareerMonthlyStats,
    CareerPairMonthlyStats,
    CareerQueryDailyStats,
    CategoryDailyStats,
    Interaction,
)
from search_api.careers.models import Career
from search_api.core.repository import Repository
from search_api.profiles.models import UserProfile
from search_api.users.models import User

# Days are Indian days: a student's evening search belongs to that date, not to UTC's.
TIMEZONE = "Asia/Kolkata"
CAREER_COUNTERS = ("views", "clicks", "compares", "recommended", "search_results")
SEEN = ("view", "click")  # what counts as having looked at a career (co-viewing)


@dataclass
class CareerCounts:
    views: int = 0
    clicks: int = 0
    compares: int = 0
    recommended: int = 0
    search_results: int = 0

    def add(self, other: CareerCounts) -> None:
        for name in CAREER_COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Rollups:
    daily: Mapping[tuple[date, str, str], CareerCounts]  # (day, career, stream)
    monthly: Mapping[tuple[date, str, str], CareerCounts]  # (month, career, stream)
    categories: Mapping[tuple[date, str], CareerCounts]  # (day, category)
    queries: Mapping[tuple[date, str, str], int]  # (day, career, query)
    pairs: Mapping[tuple[date, str, str], int]  # (month, career, other career)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


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

    async def seen_in_sessions(self, session_ids: Sequence[str]) -> dict[str, set[str]]:
        """The careers each session has looked at so far (before the batch being written)."""
        if not session_ids:
            return {}
        rows = await self.session.execute(
            select(Interaction.session_id, Interaction.career_id)
            .where(
                Interaction.session_id.in_(list(session_ids)),
                Interaction.kind.in_(SEEN),
                Interaction.career_id.is_not(None),
            )
            .distinct()
        )
        seen: dict[str, set[str]] = {}
        for row in rows:
            seen.setdefault(row.session_id, set()).add(row.career_id)
        return seen

    async def categories_of(self, career_ids: Sequence[str]) -> dict[str, str]:
        if not career_ids:
            return {}
        rows = await self.session.execute(
            select(Career.id, Career.category).where(Career.id.in_(list(career_ids)))
        )
        return {r.id: r.category for r in rows}

    async def insert_interactions(self, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(Interaction), [dict(r) for r in rows])

    async def _add_counts(
        self,
        model: type[CareerDailyStats] | type[CareerMonthlyStats],
        period: str,
        counts: Mapping[tuple[date, str, str], CareerCounts],
    ) -> None:
        if not counts:
            return
        table = model.__table__
        stmt = insert(model)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[period, "career_id", "stream"],
                set_={c: table.c[c] + stmt.excluded[c] for c in CAREER_COUNTERS},
            ),
            [
                {period: when, "career_id": career, "stream": stream, **vars(c)}
                for (when, career, stream), c in sorted(counts.items())
            ],
        )

    async def add_rollups(self, rollups: Rollups) -> None:
        """Add a batch's counts (atomic increments: several API processes write the same
        rows). Rows are written in key order, so two writers never deadlock.

        Each upsert is one statement executed with a list of parameter sets, not `.values()`
        with every row inlined: a statement with N inlined rows is new SQL for every N and was
        compiled afresh for each batch (a fifth of a saturated API worker's CPU, py-spy);
        this one compiles once and SQLAlchemy batches the rows into multi-row VALUES itself."""
        await self._add_counts(CareerDailyStats, "day", rollups.daily)
        await self._add_counts(CareerMonthlyStats, "month", rollups.monthly)
        if rollups.categories:
            table = CategoryDailyStats.__table__
            cstmt = insert(CategoryDailyStats)
            await self.session.execute(
                cstmt.on_conflict_do_update(
                    index_elements=["day", "category"],
                    set_={c: table.c[c] + cstmt.excluded[c] for c in CAREER_COUNTERS},
                ),
                [
                    {"day": day, "category": category, **vars(c)}
                    for (day, category), c in sorted(rollups.categories.items())
                ],
            )
        if rollups.queries:
            qstmt = insert(CareerQueryDailyStats)
            await self.session.execute(
                qstmt.on_conflict_do_update(
                    index_elements=["day", "career_id", "query"],
                    set_={"clicks": CareerQueryDailyStats.clicks + qstmt.excluded.clicks},
                ),
                [
                    {"day": day, "career_id": career, "query": query, "clicks": clicks}
                    for (day, career, query), clicks in sorted(rollups.queries.items())
                ],
            )
        if rollups.pairs:
            pstmt = insert(CareerPairMonthlyStats)
            await self.session.execute(
                pstmt.on_conflict_do_update(
                    index_elements=["career_id", "month", "other_id"],
                    set_={"sessions": CareerPairMonthlyStats.sessions + pstmt.excluded.sessions},
                ),
                [
                    {"month": month, "career_id": a, "other_id": b, "sessions": n}
                    for (month, a, b), n in sorted(rollups.pairs.items())
                ],
            )

    async def rebuild_rollups(self) -> None:
        """Recompute every rollup from the raw interactions (after a bulk import, or to
        repair them), with the same counting rules as the writer's (writer.rollups_of)."""
        for model in (
            CareerDailyStats,
            CareerMonthlyStats,
            CategoryDailyStats,
            CareerQueryDailyStats,
            CareerPairMonthlyStats,
        ):
            await self.session.execute(delete(model))
        day = f"(created_at AT TIME ZONE '{TIMEZONE}')::date"
        counters = ", ".join(CAREER_COUNTERS)
        sums = ", ".join(f"sum({c})" for c in CAREER_COUNTERS)
        await self.session.execute(
            text(
                f"""
                INSERT INTO career_daily_stats (day, career_id, stream, {counters})
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
                INSERT INTO career_daily_stats (day, career_id, stream, {counters})
                SELECT day, career_id, '{ALL}', {sums} FROM career_daily_stats
                GROUP BY day, career_id
                """
            )
        )
        await self.session.execute(
            text(
                f"""
                INSERT INTO career_monthly_stats (month, career_id, stream, {counters})
                SELECT date_trunc('month', day)::date, career_id, stream, {sums}
                FROM career_daily_stats GROUP BY 1, career_id, stream
                """
            )
        )
        await self.session.execute(
            text(
                f"""
                INSERT INTO category_daily_stats (day, category, {counters})
                SELECT day, careers.category, {sums}
                FROM career_daily_stats JOIN careers ON careers.id = career_daily_stats.career_id
                WHERE stream = '{ALL}' GROUP BY day, careers.category
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
                WITH firsts AS (
                    SELECT session_id, career_id, min(created_at) AS at
                    FROM user_interactions
                    WHERE kind IN ('view', 'click') AND career_id IS NOT NULL
                      AND session_id IS NOT NULL
                    GROUP BY session_id, career_id
                )
                INSERT INTO career_pair_monthly_stats (month, career_id, other_id, sessions)
                SELECT date_trunc('month', greatest(a.at, b.at) AT TIME ZONE '{TIMEZONE}')::date,
                       a.career_id, b.career_id, count(*)
                FROM firsts a JOIN firsts b
                  ON a.session_id = b.session_id AND a.career_id <> b.career_id
                GROUP BY 1, 2, 3
                """
            )
        )

    # ---- reads ----------------------------------------------------------------------------

    async def popular(self, since: date, stream: str | None, limit: int) -> list[Row[Any]]:
        """From `since` to today: the days up to the next first of a month from the daily
        rows, every month from there on from the monthly rows (exact, and at most 31 + 12
        rows per career)."""
        bucket = stream if stream is not None else ALL
        first_month = since if since.day == 1 else next_month(since)
        daily, monthly = CareerDailyStats, CareerMonthlyStats
        parts = union_all(
            select(daily.career_id, daily.views, daily.clicks, daily.compares).where(
                daily.stream == bucket, daily.day >= since, daily.day < first_month
            ),
            select(monthly.career_id, monthly.views, monthly.clicks, monthly.compares).where(
                monthly.stream == bucket, monthly.month >= first_month
            ),
        ).subquery()
        interest = func.sum(parts.c.views + parts.c.clicks + parts.c.compares)
        counted = (
            select(
                parts.c.career_id,
                func.sum(parts.c.views).label("views"),
                func.sum(parts.c.clicks).label("clicks"),
                func.sum(parts.c.compares).label("compares"),
                interest.label("interest"),
            )
            .group_by(parts.c.career_id)
            .subquery()
        )
        query = (
            select(counted, Career.name, Career.category)
            .join(Career, Career.id == counted.c.career_id)
            .where(counted.c.interest > 0)
            .order_by(counted.c.interest.desc(), counted.c.career_id)
            .limit(limit)
        )
        return list(await self.session.execute(query))

    async def trend(
        self, since: date, career_id: str | None, category: str | None
    ) -> list[Row[Any]]:
        stats: type[CareerDailyStats] | type[CategoryDailyStats]
        if category is not None:
            stats = CategoryDailyStats
            where = [CategoryDailyStats.category == category]
        else:
            stats = CareerDailyStats
            where = [CareerDailyStats.stream == ALL, CareerDailyStats.career_id == career_id]
        query = (
            select(
                stats.day,
                func.sum(stats.views).label("views"),
                func.sum(stats.clicks).label("clicks"),
                func.sum(stats.compares).label("compares"),
                func.sum(stats.search_results).label("search_results"),
            )
            .where(stats.day >= since, *where)
            .group_by(stats.day)
            .order_by(stats.day)
        )
        return list(await self.session.execute(query))

    async def career_totals(self, career_id: str, since: date) -> Any:
        stats = CareerDailyStats
        return (
            await self.session.execute(
                select(
                    *(
                        func.coalesce(func.sum(getattr(stats, c)), 0).label(c)
                        for c in CAREER_COUNTERS
                    )
                ).where(stats.career_id == career_id, stats.stream == ALL, stats.day >= since)
            )
        ).one()

    async def stream_mix(self, career_id: str, since: date) -> list[Row[Any]]:
        stats = CareerDailyStats
        views = func.sum(stats.views + stats.clicks)
        return list(
            await self.session.execute(
                select(stats.stream, views.label("views"))
                .where(stats.career_id == career_id, stats.stream != ALL, stats.day >= since)
                .group_by(stats.stream)
                .having(views > 0)
                .order_by(views.desc(), stats.stream)
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

    async def co_viewed(self, career_id: str, since: date, limit: int) -> list[Row[Any]]:
        """Careers viewed in the same sessions as career_id, from the month of `since` on."""
        pairs = CareerPairMonthlyStats
        sessions = func.sum(pairs.sessions)
        counted = (
            select(pairs.other_id, sessions.label("sessions"))
            .where(pairs.career_id == career_id, pairs.month >= month_of(since))
            .group_by(pairs.other_id)
            .order_by(sessions.desc(), pairs.other_id)
            .limit(limit)
            .subquery()
        )
        return list(
            await self.session.execute(
                select(counted.c.other_id.label("career_id"), counted.c.sessions, Career.name)
                .join(Career, Career.id == counted.c.other_id)
                .order_by(counted.c.sessions.desc(), counted.c.other_id)
            )
        )
