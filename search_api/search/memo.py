"""Catalogue facts search needs on every request, read from Postgres once per catalogue state.

Kept per app (in the lifespan state), keyed by the live index name: a reindex builds a new index
from the catalogue, so a new name means the catalogue may have changed. The last few states are
kept, so switching between the live index and the Postgres fallback does not reload them.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError

from search_api.careers.repository import CatalogueRepository
from search_api.search.suggest import Vocabulary
from search_api.search.understanding import Lexicon

log = logging.getLogger("search_api.search")
T = TypeVar("T")
KEEP = 4


class CatalogueMemo:
    def __init__(self) -> None:
        self._vocabulary: OrderedDict[str, Vocabulary] = OrderedDict()
        self._exam_ids: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._categories: OrderedDict[str, frozenset[str]] = OrderedDict()
        # search/personalise.py: what the compatibility formula reads of every career
        self._fit: OrderedDict[str, Any] = OrderedDict()
        self._lexicon: OrderedDict[str, Lexicon] = OrderedDict()
        self._lock = asyncio.Lock()

    async def _remember(
        self,
        store: OrderedDict[str, T],
        version: str,
        load: Callable[[], Awaitable[T]],
        repo: CatalogueRepository,
    ) -> T | None:
        """The memo for version, loaded once; None when Postgres cannot answer now."""
        if version in store:
            return store[version]
        async with self._lock:
            if version not in store:
                try:
                    store[version] = await load()
                except (DBAPIError, OSError) as exc:
                    log.warning("catalogue facts unavailable: %s", type(exc).__name__)
                    # the failed statement leaves the session unusable until rolled back
                    await repo.session.rollback()
                    return None
                while len(store) > KEEP:
                    store.popitem(last=False)
        return store[version]

    async def vocabulary(self, version: str, repo: CatalogueRepository) -> Vocabulary:
        """Did-you-mean words. Without Postgres there are simply no suggestions. Built in a
        worker thread: at 2,244 careers it takes ~0.2 s, which would stall every request the
        event loop holds, after each synced change."""

        async def load() -> Vocabulary:
            return await asyncio.to_thread(Vocabulary, await repo.vocabulary_texts())

        found = await self._remember(self._vocabulary, version, load, repo)
        return found if found is not None else Vocabulary([])

    async def lexicon(self, version: str, repo: CatalogueRepository) -> Lexicon | None:
        """Query understanding's vocabulary (search/understanding.py). Building it takes about
        a second, so it runs in a worker thread, once per catalogue state. None when Postgres
        cannot answer: search then runs on the words as typed."""

        async def load() -> Lexicon:
            careers, exams, categories = await repo.understanding_rows()
            return await asyncio.to_thread(Lexicon.build, careers, exams, categories)

        return await self._remember(self._lexicon, version, load, repo)

    async def exam_ids(self, version: str, repo: CatalogueRepository) -> frozenset[str] | None:
        """The catalogue's exam ids, or None when they cannot be read now."""

        async def load() -> frozenset[str]:
            return frozenset(await repo.exam_ids())

        return await self._remember(self._exam_ids, version, load, repo)

    async def category_names(
        self, version: str, repo: CatalogueRepository
    ) -> frozenset[str] | None:
        """The catalogue's category names, or None when they cannot be read now."""

        async def load() -> frozenset[str]:
            return frozenset(await repo.category_names())

        return await self._remember(self._categories, version, load, repo)

    async def fit_catalogue(self, version: str, load: Callable[[], Awaitable[T]]) -> T:
        """Loaded from the index itself (it holds the embeddings), once per index version.
        A failed load raises: the caller answers without personalisation's extras."""
        if version not in self._fit:
            async with self._lock:
                if version not in self._fit:
                    self._fit[version] = await load()
                    while len(self._fit) > KEEP:
                        self._fit.popitem(last=False)
        found: T = self._fit[version]
        return found
