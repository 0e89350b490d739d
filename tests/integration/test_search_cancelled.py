"""A search whose deadline expires while PostgreSQL is slow must still answer (issue 9).

Under load the product once answered 500 PendingRollbackError: the did-you-mean vocabulary was
read inside the OpenSearch deadline, the deadline cancelled that statement, and the PostgreSQL
fallback then ran on the session the cancellation had broken. Here PostgreSQL is made slow for
real: another connection holds an ACCESS EXCLUSIVE lock on the careers table, so every read of
it waits past the search deadline.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from search_api.core.settings import Settings
from tests.fixtures.api import api_client

SEARCH = "/api/v1/careers/search"
LOCK_SECONDS = 1.5
DEADLINE_SECONDS = 0.5


async def hold_careers_lock(url: str, locked: asyncio.Event, seconds: float) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("LOCK TABLE careers IN ACCESS EXCLUSIVE MODE"))
            locked.set()
            await asyncio.sleep(seconds)
            await conn.rollback()  # releases the lock
    finally:
        await engine.dispose()


@asynccontextmanager
async def locked_catalogue(
    settings: Settings,
) -> AsyncIterator[tuple[httpx.AsyncClient, asyncio.Task[None]]]:
    """A fresh app (its catalogue memos empty, so a search must read the careers table) with
    a short deadline, while another connection holds the table locked. Yields the client and
    the lock holder (await it for the release); waits for the release on the way out."""
    slow = settings.model_copy(update={"search_timeout_seconds": DEADLINE_SECONDS})
    async with api_client(slow) as api:
        locked = asyncio.Event()
        holder = asyncio.create_task(hold_careers_lock(slow.database_url, locked, LOCK_SECONDS))
        await asyncio.wait_for(locked.wait(), 10)
        yield api, holder
        await holder


async def test_search_outlasting_its_deadline_on_a_locked_table_still_answers(
    catalogue_settings: Settings,
) -> None:
    async with locked_catalogue(catalogue_settings) as (api, holder):
        # A word of its own keeps the response cache out of the way.
        first = await api.get(SEARCH, params={"q": f"architect {uuid.uuid4().hex[:6]}"})
        await holder
        second = await api.get(SEARCH, params={"q": "architect"})
    assert first.status_code == 200, first.text
    assert first.json()["data"]["results"], first.text
    assert second.status_code == 200, second.text
    assert second.json()["data"]["results"][0]["id"] == "architect"


async def test_concurrent_searches_on_a_locked_table_never_answer_5xx(
    catalogue_settings: Settings,
) -> None:
    async with locked_catalogue(catalogue_settings) as (api, _):

        async def search(i: int) -> httpx.Response:
            # Some arrive while the lock is held, some after; fewer than the in-flight limit
            # (16), so none is shed.
            await asyncio.sleep(i * 0.15)
            return await api.get(SEARCH, params={"q": f"doctor {uuid.uuid4().hex[:6]}"})

        responses = await asyncio.gather(*(search(i) for i in range(12)))
    assert [r.status_code for r in responses] == [200] * 12, [
        (r.status_code, r.text[:200]) for r in responses if r.status_code != 200
    ]
