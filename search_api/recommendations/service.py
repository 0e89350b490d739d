"""Recommendations: hard constraints as OpenSearch filters, a hybrid candidate query from the
student's interests and skills, then the compatibility formula and its reasons."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import numpy as np
from sqlalchemy.exc import DBAPIError

from search_api.careers.repository import CatalogueRepository
from search_api.core.cache import ResponseCache, cache_key
from search_api.core.embeddings import Embedder
from search_api.core.errors import DependencyUnavailable
from search_api.core.metrics import DEGRADED_RESPONSES
from search_api.profiles.constraints import hard_constraints, soft_preference_notes
from search_api.profiles.schemas import Profile
from search_api.profiles.scoring import WEIGHTS, score_career
from search_api.recommendations.schemas import (
    Breakdown,
    CareerBrief,
    Recommendation,
    RecommendationData,
)
from search_api.search.facets import FACETS, Filters, row_matches
from search_api.search.index import NO_ANSWER, CareerIndex, IndexedCareer
from search_api.search.query import recommendation_legs

log = logging.getLogger("search_api.recommendations")
CANDIDATES = 100
FALLBACK_INDEX = "postgres-fallback"


@dataclass(frozen=True, slots=True)
class RecommendOutcome:
    data: RecommendationData
    index: str
    cached: bool
    degraded: bool = False


def index_unavailable() -> DependencyUnavailable:
    return DependencyUnavailable(
        "SEARCH_UNAVAILABLE", "recommendations need the search index, which is unavailable"
    )


def hard_filters(profile: Profile) -> Filters:
    """Everything the student ruled out becomes a filter, never a score penalty."""
    constraints = hard_constraints(profile)
    values: dict[str, tuple[str, ...]] = {f.param: () for f in FACETS}
    values.update(constraints.values)
    return Filters(values, salary_min=constraints.salary_min)


def profile_text(profile: Profile) -> str:
    parts = []
    if profile.interests:
        parts.append("Interests: " + ", ".join(profile.interests))
    if profile.skills:
        parts.append("Skills: " + ", ".join(profile.skills))
    return "\n".join(parts)


class RecommendationService:
    def __init__(
        self,
        index: CareerIndex,
        cache: ResponseCache,
        embedder: Embedder,
        deadline_seconds: float,
        catalogue: CatalogueRepository | None = None,
    ) -> None:
        self.index = index
        self.cache = cache
        self.embedder = embedder
        self.deadline_seconds = deadline_seconds
        self.catalogue = catalogue

    async def recommend(self, profile: Profile, use_cache: bool = True) -> RecommendOutcome:
        try:
            index = await self.index.live_index()
        except NO_ANSWER as exc:
            return await self.fallback(profile, exc)
        counter = await self.cache.catalogue_version(self.index.alias)
        use_cache = use_cache and counter is not None
        key = cache_key("recommend", profile.model_dump(mode="json"), f"{index}@{counter}")
        if use_cache and (hit := await self.cache.get(key)) is not None:
            return RecommendOutcome(RecommendationData.model_validate(hit), index, True)
        try:
            data = await asyncio.wait_for(self._recommend(profile, index), self.deadline_seconds)
        except NO_ANSWER as exc:
            return await self.fallback(profile, exc)
        if use_cache:
            self.cache.set_soon(key, data.model_dump(mode="json"))
        return RecommendOutcome(data, index, False)

    async def fallback(self, profile: Profile, cause: Exception) -> RecommendOutcome:
        """The index is down or past the deadline: the same formula over the PostgreSQL
        catalogue, without the semantic part of the interest score (no stored vectors)."""
        if self.catalogue is None:
            raise index_unavailable() from cause
        log.warning("recommendations falling back to postgres: %s", cause)
        DEGRADED_RESPONSES.labels(dependency="opensearch").inc()
        try:
            rows = await self.catalogue.fallback_candidates("")
        except (DBAPIError, OSError) as exc:
            raise index_unavailable() from exc
        filters = hard_filters(profile)
        careers = [IndexedCareer.from_source(r) for r in rows if row_matches(r, filters)]
        data = self._rank(profile, careers, None)
        return RecommendOutcome(data, FALLBACK_INDEX, False, degraded=True)

    async def _recommend(self, profile: Profile, index: str) -> RecommendationData:
        text = profile_text(profile)
        interests_text = "Interests: " + ", ".join(profile.interests) if profile.interests else ""
        # Both vectors in one batch: one trip to the model's thread instead of two.
        wanted = [t for t in (text, interests_text) if t]
        vectors = dict(zip(wanted, await self.embedder.aencode_queries(wanted), strict=True))
        vector = vectors.get(text)
        filters = hard_filters(profile)
        bodies = recommendation_legs(
            " ".join([*profile.interests, *profile.skills]), vector, filters, CANDIDATES
        )
        responses = await self.index.msearch(index, bodies)
        careers: dict[str, IndexedCareer] = {}
        for response in responses:
            for hit in response.hits:
                careers.setdefault(hit.id, hit.career)
        interests_vector = (
            np.asarray(vectors[interests_text], dtype=np.float32) if interests_text else None
        )
        return self._rank(profile, list(careers.values()), interests_vector)

    def _rank(
        self,
        profile: Profile,
        careers: list[IndexedCareer],
        interests_vector: np.ndarray[tuple[int], np.dtype[np.float32]] | None,
    ) -> RecommendationData:
        semantic: list[float | None] = [None] * len(careers)
        if interests_vector is not None:
            # One matrix product for every candidate with a stored vector, not one per career.
            rows = [i for i, c in enumerate(careers) if c.embedding is not None]
            if rows:
                matrix = np.asarray([careers[i].embedding for i in rows], dtype=np.float32)
                for i, value in zip(rows, (matrix @ interests_vector).tolist(), strict=True):
                    semantic[i] = float(value)
        scored = []
        for career, closeness in zip(careers, semantic, strict=True):
            score, breakdown, reasons = score_career(profile, career, closeness)
            scored.append((score, career, breakdown, reasons))
        # Only the recommendations shown are built (and get their soft-preference notes).
        scored.sort(key=lambda s: (-s[0], s[1].name))
        recommendations = [
            Recommendation(
                career=CareerBrief(id=career.id, name=career.name, category=career.category),
                score=score,
                breakdown=Breakdown(**breakdown),
                reasons=reasons + soft_preference_notes(profile.work_preferences, career),
                mid_salary=career.mid_salary,
                streams=list(career.streams),
            )
            for score, career, breakdown, reasons in scored[: profile.limit]
        ]
        return RecommendationData(
            recommendations=recommendations,
            weights=dict(WEIGHTS),
            candidates=len(careers),
        )
