"""The agent's pipeline, per turn: intent → entities → context → retrieval → response →
grounding check.

Retrieval calls the product's own services (SearchService, RecommendationService,
CareerService), never copies of their logic. Context lives in the conversation's slots
(Postgres agent_sessions, cached in Redis). The reply comes from the LLM path when one is
configured and it passes the grounding check (one retry with the violations), else from the
deterministic composers, which only ever write retrieved facts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from search_api.agent import compose
from search_api.agent.catalogue import Catalogue, CatalogueCache, build_catalogue
from search_api.agent.compose import Composed
from search_api.agent.grounding import Facts, Violation, check_reply
from search_api.agent.intents import (
    Entities,
    Intent,
    classify,
    entities_of,
    ordinal_picks,
    words,
)
from search_api.agent.llm import SYSTEM_PROMPT, LlmAgent, LlmFailed
from search_api.agent.models import AgentSession, CareerPlan
from search_api.agent.plans import build_plan
from search_api.agent.repository import (
    AgentCatalogueRepository,
    AgentSessionRepository,
    CareerPlanRepository,
)
from search_api.agent.schemas import ChatData, PlanData, PlanRequest, PlanUpdate, SessionData
from search_api.careers.records import STREAMS, eligible_streams
from search_api.careers.repository import CatalogueRepository
from search_api.careers.schemas import CareerDetail
from search_api.careers.service import CareerService
from search_api.core.cache import CACHE_ERRORS
from search_api.core.errors import AppError, NotFoundError, ValidationFailed
from search_api.core.metrics import (
    AGENT_DURATION,
    AGENT_GROUNDING_VIOLATIONS,
    DEGRADED_RESPONSES,
)
from search_api.core.security import Principal
from search_api.core.settings import Settings
from search_api.profiles.repository import ProfileRepository
from search_api.profiles.schemas import Profile
from search_api.recommendations.service import RecommendationService
from search_api.search.index import NO_ANSWER, CareerIndex
from search_api.search.schemas import SearchParams
from search_api.search.service import SearchService
from search_api.search.understanding import Understanding, understand

log = logging.getLogger("search_api.agent")
SESSION_KEY = "cc:agent:session:{}"
USER_SESSIONS_KEY = "cc:agent:user:{}"  # a set of the cached conversations of one account
HISTORY_KEEP = 20
SHOW = 5
NEEDS_CAREER: frozenset[str] = frozenset(
    {"career_details", "compare", "salary", "eligibility", "plan", "exam_info"}
)
SAFE_REPLY = (
    "I could not check that answer against the catalogue, so I will not guess. "
    "Ask me about a career by name, or for suggestions for your stream."
)


@dataclass
class AgentKit:
    """What the agent keeps for the app's lifetime (built in lifespan)."""

    catalogues: CatalogueCache
    llm: LlmAgent | None
    redis: Redis

    @classmethod
    def build(cls, settings: Settings, redis: Redis) -> AgentKit:
        return cls(CatalogueCache(), LlmAgent.from_settings(settings), redis)

    async def forget_user(self, user_id: uuid.UUID) -> None:
        """A deleted account's conversations leave the cache too (Postgres cascades)."""
        key = USER_SESSIONS_KEY.format(user_id)
        try:
            members = await self.redis.smembers(key)
            keys = [SESSION_KEY.format(m.decode() if isinstance(m, bytes) else m) for m in members]
            await self.redis.delete(key, *keys)
        except CACHE_ERRORS as exc:
            log.warning("agent session cache unavailable: %s", type(exc).__name__)

    async def close(self) -> None:
        if self.llm is not None:
            await self.llm.close()


class SessionNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("SESSION_NOT_FOUND", "no conversation with this id")


class SessionExpired(AppError):
    def __init__(self) -> None:
        super().__init__("SESSION_EXPIRED", "this conversation has expired: start a new one", 410)


class PlanNotFound(NotFoundError):
    def __init__(self) -> None:
        super().__init__("PLAN_NOT_FOUND", "no career plan with this id")


def _now() -> datetime:
    return datetime.now(UTC)


def empty_slots() -> dict[str, Any]:
    return {
        "grade": None,
        "stream": None,
        "interests": [],
        "excluded_subjects": [],
        "salary_min": None,
        "salary_max": None,
        "careers_mentioned": [],
        "last_list": [],
        "last_intent": None,
        "facts": Facts().to_json(),
    }


def public_slots(slots: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in slots.items() if k != "facts"}


def interest_phrase(understood: Understanding) -> str | None:
    """What is left of "I like drawing and designing" once constraints and fillers are out."""
    text = understood.search_text.strip()
    keep = [w for w in text.split() if w not in understood_fillers()]
    return " ".join(keep)[:80] if keep else None


def understood_fillers() -> frozenset[str]:
    from search_api.search.understanding import FILLERS

    return FILLERS | frozenset(
        "suggest recommend careers career options option student students class grade i am "
        "m im hu hoon hai my me for what should do guide help choose confused stream tell "
        "someone something".split()
    )


class AgentService:
    def __init__(
        self,
        session: AsyncSession,
        redis: Redis,
        kit: AgentKit,
        settings: Settings,
        index: CareerIndex,
        search: SearchService,
        recommendations: RecommendationService,
        profiles: ProfileRepository,
        today: Callable[[], date] = date.today,
        use_cache: bool = True,
    ) -> None:
        self.session = session
        self.redis = redis
        self.kit = kit
        self.settings = settings
        self.index = index
        self.search = search
        self.recommendations = recommendations
        self.profiles = profiles
        self.careers = CareerService(CatalogueRepository(session))
        self.sessions = AgentSessionRepository(session)
        self.plans = CareerPlanRepository(session)
        self.today = today
        self.use_cache = use_cache  # false: Cache-Control: no-cache (benchmarks)

    # ---- catalogue ----------------------------------------------------------------------

    async def catalogue(self) -> Catalogue:
        try:
            version = await self.index.live_index()
        except NO_ANSWER:
            version = "postgres"

        async def load() -> Catalogue:
            careers, exams, categories = await AgentCatalogueRepository(self.session).rows()
            # the lexicon is a second of pure Python: off the event loop
            return await asyncio.to_thread(build_catalogue, careers, exams, categories)

        return await self.kit.catalogues.get(version, load)

    # ---- sessions -----------------------------------------------------------------------

    async def start_session(self, principal: Principal) -> SessionData:
        slots = empty_slots()
        user_id = principal.user_id
        if user_id is not None:
            saved = await self.profiles.load(user_id)
            if saved is not None:
                slots.update(
                    grade=saved.grade,
                    stream=saved.stream,
                    interests=list(saved.interests)[:10],
                    salary_min=saved.salary_min,
                    salary_max=saved.salary_max,
                )
        expires = _now() + timedelta(minutes=self.settings.agent_session_minutes)
        row = await self.sessions.add(
            AgentSession(id=uuid.uuid4(), user_id=user_id, slots=slots, history=[],
                         expires_at=expires)
        )  # fmt: skip
        await self._cache(row.id, row.user_id, slots, [], expires)
        return SessionData(
            session_id=row.id,
            expires_at=expires.isoformat(),
            signed_in=user_id is not None,
            slots=public_slots(slots),
        )

    async def _cache(
        self,
        session_id: uuid.UUID,
        user_id: uuid.UUID | None,
        slots: dict[str, Any],
        history: list[dict[str, Any]],
        expires: datetime,
    ) -> None:
        ttl = int((expires - _now()).total_seconds())
        if ttl <= 0:
            return
        value = {
            "user_id": str(user_id) if user_id else None,
            "slots": slots,
            "history": history,
            "expires_at": expires.isoformat(),
        }
        try:
            await self.redis.set(SESSION_KEY.format(session_id), json.dumps(value), ex=ttl)
            if user_id is not None:
                owned = USER_SESSIONS_KEY.format(user_id)
                await self.redis.sadd(owned, str(session_id))
                await self.redis.expire(owned, ttl)
        except CACHE_ERRORS as exc:
            log.warning("agent session cache unavailable: %s", type(exc).__name__)

    async def load_session(
        self, principal: Principal, session_id: uuid.UUID
    ) -> tuple[uuid.UUID | None, dict[str, Any], list[dict[str, Any]], datetime]:
        """-> (owner, slots, history, expires). Someone else's conversation is not found."""
        cached = None
        try:
            raw = await self.redis.get(SESSION_KEY.format(session_id))
            cached = json.loads(raw) if raw else None
        except CACHE_ERRORS as exc:
            log.warning("agent session cache unavailable: %s", type(exc).__name__)
        if cached is not None:
            owner = uuid.UUID(cached["user_id"]) if cached["user_id"] else None
            slots, history = cached["slots"], cached["history"]
            expires = datetime.fromisoformat(cached["expires_at"])
        else:
            row = await self.sessions.get_one_or_none(session_id)
            if row is None:
                raise SessionNotFound()
            owner, slots, history, expires = row.user_id, row.slots, row.history, row.expires_at
        if owner is not None and owner != principal.user_id:
            raise SessionNotFound()
        if expires <= _now():
            raise SessionExpired()
        return owner, dict(slots), list(history), expires

    # ---- a turn -------------------------------------------------------------------------

    def check_message(self, message: str) -> str:
        text = message.strip()
        if not text:
            raise ValidationFailed.field("message", "body", "the message is empty")
        limit = self.settings.agent_max_message_chars
        if len(message) > limit:
            raise ValidationFailed.field(
                "message", "body", f"the message is longer than {limit} characters"
            )
        return text

    async def chat(self, principal: Principal, session_id: uuid.UUID, message: str) -> ChatData:
        text = self.check_message(message)
        started = time.perf_counter()
        owner, slots, history, _ = await self.load_session(principal, session_id)
        catalogue = await self.catalogue()
        understood = understand(text, catalogue.lexicon)
        intent = classify(text, understood, slots.get("last_intent"))
        entities = entities_of(understood)
        self._update_slots(slots, entities, understood, intent)
        session_facts = Facts.from_json(slots.get("facts") or {})

        composed, plan_id = await self._deterministic(
            intent, text, understood, entities, slots, catalogue, owner, session_id
        )
        violations_caught = 0
        reply, source, cited = composed.text, "deterministic", composed.cited
        turn_facts = Facts()
        turn_facts.merge(session_facts)
        turn_facts.merge(composed.facts)
        problems = check_reply(reply, turn_facts, catalogue)
        if problems:
            # a composer bug: never send it
            AGENT_GROUNDING_VIOLATIONS.inc()
            violations_caught += len(problems)
            # the reply is our own catalogue text, never the student's words: safe to log
            log.error("deterministic reply failed grounding: %s", [v.describe() for v in problems])
            reply, cited = SAFE_REPLY, []
        elif self.kit.llm is not None and intent not in ("greeting", "out_of_scope"):
            llm_reply, llm_cited, caught = await self._llm_reply(
                text, slots, history, turn_facts, catalogue
            )
            violations_caught += caught
            if llm_reply is not None:
                reply, source, cited = llm_reply, "llm", llm_cited
        mentioned = [c for c in slots["careers_mentioned"] if c not in entities.careers + cited]
        for cid in dict.fromkeys([*entities.careers, *cited]):
            if cid in catalogue.careers:
                mentioned.append(cid)  # the latest mention last: "compare them" reads the end
        slots["careers_mentioned"] = mentioned
        slots["careers_mentioned"] = slots["careers_mentioned"][-10:]
        if composed.shown:
            slots["last_list"] = composed.shown
        slots["last_intent"] = intent
        slots["facts"] = turn_facts.to_json()
        history = [
            *history,
            {"role": "user", "text": text},
            {"role": "assistant", "text": reply, "intent": intent, "careers": cited},
        ][-HISTORY_KEEP:]
        expires = _now() + timedelta(minutes=self.settings.agent_session_minutes)
        await self.sessions.save_turn(session_id, slots, history, expires)
        await self._cache(session_id, owner, slots, history, expires)
        AGENT_DURATION.observe(time.perf_counter() - started)
        return ChatData(
            session_id=session_id,
            reply=reply,
            intent=intent,
            entities=entities.as_dict(),
            careers=cited,
            follow_ups=composed.follow_ups if source == "deterministic" else [],
            source=source,
            grounding_violations=violations_caught,
            plan_id=plan_id,
        )

    def _update_slots(
        self, slots: dict[str, Any], entities: Entities, understood: Understanding, intent: str
    ) -> None:
        if entities.grade in (11, 12):
            slots["grade"] = entities.grade
        if entities.stream in STREAMS:
            slots["stream"] = entities.stream
        if entities.excluded_subjects:
            slots["excluded_subjects"] = entities.excluded_subjects
        if entities.salary_min is not None:
            slots["salary_min"] = entities.salary_min
        if entities.salary_max is not None:
            slots["salary_max"] = entities.salary_max
        if intent == "recommend" and (phrase := interest_phrase(understood)):
            slots["interests"] = [*slots.get("interests", []), phrase][-10:]

    def _context_careers(
        self, intent: str, text: str, entities: Entities, slots: dict[str, Any]
    ) -> list[str]:
        if entities.careers:
            return entities.careers
        tokens = words(text)
        picks = ordinal_picks(tokens)
        last_list: list[str] = slots.get("last_list") or []
        if picks and last_list:
            return [last_list[i] for i in picks if i < len(last_list)]
        mentioned: list[str] = slots.get("careers_mentioned") or []
        if intent == "compare":
            listed = slots.get("last_intent") in ("recommend", "search") and len(last_list) >= 2
            return last_list[:2] if listed or len(mentioned) < 2 else mentioned[-2:]
        if (
            intent in ("salary", "exam_info")
            and last_list
            and any(t in tokens for t in ("they", "them", "those", "these", "both"))
        ):
            return last_list[:3]
        return mentioned[-1:]

    async def _deterministic(
        self,
        intent: Intent,
        text: str,
        understood: Understanding,
        entities: Entities,
        slots: dict[str, Any],
        catalogue: Catalogue,
        owner: uuid.UUID | None,
        session_id: uuid.UUID,
    ) -> tuple[Composed, uuid.UUID | None]:
        if intent == "greeting":
            return compose.greeting(), None
        if intent == "out_of_scope":
            return compose.out_of_scope(), None
        careers = self._context_careers(intent, text, entities, slots)
        careers = [c for c in careers if c in catalogue.careers]
        if intent == "exam_info" and entities.exams and not entities.careers:
            exams = await CatalogueRepository(self.session).exams(entities.exams)
            from search_api.careers.schemas import ExamOut

            found = [
                ExamOut.model_validate(exams[e], from_attributes=True)
                for e in entities.exams
                if e in exams
            ]
            used_by = {
                e.id: [
                    (c.id, c.name) for c in catalogue.careers.values() if e.id in c.entrance_exams
                ]
                for e in found
            }
            return compose.exams(found, used_by), None
        if intent == "exam_info" and not careers and entities.categories:
            results = await self._search(understood, slots, size=3)
            details = [await self.careers.detail(r.id) for r in results]
            if details:
                return compose.exams_for_careers(details), None
        if intent in NEEDS_CAREER and not careers:
            return compose.ask_for(
                "Which career do you mean? Name one, or ask me to suggest careers for your stream.",
                ["Suggest careers for my stream", "Tell me about Software Engineer"],
            ), None
        if intent == "career_details":
            return compose.details(await self.careers.detail(careers[0])), None
        if intent == "salary":
            details = [await self.careers.detail(c) for c in careers[:3]]
            return compose.salary(details), None
        if intent == "exam_info":
            details = [await self.careers.detail(c) for c in careers[:3]]
            return compose.exams_for_careers(details), None
        if intent == "compare":
            ids = list(dict.fromkeys(careers))[:4]
            if len(ids) < 2:
                return compose.ask_for(
                    'Which two careers should I compare? Name them, e.g. "compare Doctor and '
                    'Pharmacist".',
                    ["Compare Software Engineer and Data Scientist"],
                ), None
            data = await self.careers.compare(ids)
            details = [await self.careers.detail(c) for c in ids]
            return compose.compare(data, details), None
        if intent == "eligibility":
            detail = await self.careers.detail(careers[0])
            stream = entities.stream or slots.get("stream")
            excluded = entities.excluded_subjects
            alternatives = []
            if stream:
                open_to = set(eligible_streams([stream]))
                for ref in detail.alternatives:
                    card = catalogue.careers.get(ref.id)
                    if card and open_to & set(card.streams):
                        alternatives.append((card.id, card.name))
            return compose.eligibility(detail, stream, excluded, alternatives[:3]), None
        if intent == "plan":
            grade = slots.get("grade")
            if grade not in (11, 12):
                return compose.ask_for(
                    "Which class are you in, 11 or 12? I need it to date the plan.",
                    ["I am in class 11", "I am in class 12"],
                ), None
            detail = await self.careers.detail(careers[0])
            plan = build_plan(
                detail,
                int(grade),
                self.today(),
                slots.get("stream"),
                self._alternatives(detail, catalogue),
            )
            row = await self.plans.add(
                CareerPlan(
                    id=uuid.uuid4(),
                    user_id=owner,
                    agent_session_id=None if owner else session_id,
                    career_id=detail.id,
                    document=plan,
                )
            )
            return compose.plan_summary(plan, catalogue), row.id
        if intent == "recommend":
            stream = entities.stream or slots.get("stream")
            if stream not in STREAMS:
                return compose.ask_for(
                    f"Which stream are you in: {compose.STREAMS_TEXT}? Then I can suggest "
                    "careers that fit.",
                    ["I am in PCM", "I am in Commerce", "I am in PCB"],
                ), None
            if entities.categories or entities.excluded_subjects:
                results = await self._search(understood, slots, size=SHOW)
                return compose.result_list(
                    f"For a {stream} student, careers that match",
                    results,
                    "No career in the catalogue matches all of that.",
                ), None
            profile = Profile(
                grade=slots.get("grade") or 12,
                stream=stream,
                interests=[i[:80] for i in (slots.get("interests") or [])][-5:],
                salary_min=slots.get("salary_min"),
                limit=SHOW,
            )
            ranked = (await self.recommendations.recommend(profile, self.use_cache)).data
            return compose.recommendations(ranked, stream), None
        # search
        results = await self._search(understood, slots, size=SHOW)
        return compose.result_list(
            "Careers that match", results, "No career in the catalogue matches that."
        ), None

    def _alternatives(self, detail: CareerDetail, catalogue: Catalogue) -> dict[str, Any]:
        return {
            a.id: catalogue.careers[a.id] for a in detail.alternatives if a.id in catalogue.careers
        }

    async def _search(
        self, understood: Understanding, slots: dict[str, Any], size: int
    ) -> list[Any]:
        plan = understood.plan()
        facets = dict(plan.facets)
        stream = understood.stream or slots.get("stream")
        streams = list(understood.streams) or ([stream] if stream in STREAMS else [])
        params = SearchParams(
            q=plan.text[:200],
            stream=streams,
            stress_level=list(facets.get("stress_level", ())),
            work_life_balance=list(facets.get("work_life_balance", ())),
            remote_work=list(facets.get("remote_work", ())),
            travel_required=list(facets.get("travel_required", ())),
            category=list(understood.categories),
            exam=list(understood.exams),
            salary_min=understood.salary_min,
            salary_max=understood.salary_max,
            sort="relevance" if plan.text.strip() else "salary_desc",
            size=min(50, size * 4),
        )
        outcome = await self.search.search(params, use_cache=self.use_cache)
        excluded = set(understood.excluded_subjects) | set(slots.get("excluded_subjects") or [])
        catalogue = await self.catalogue()
        results = [
            r
            for r in outcome.data.results
            if not excluded.intersection(
                catalogue.careers[r.id].subjects if r.id in catalogue.careers else ()
            )
        ]
        return results[:size]

    # ---- the LLM path -------------------------------------------------------------------

    async def _llm_reply(
        self,
        text: str,
        slots: dict[str, Any],
        history: list[dict[str, Any]],
        facts: Facts,
        catalogue: Catalogue,
    ) -> tuple[str | None, list[str], int]:
        """-> (reply or None for the deterministic one, cited ids, violations caught)."""
        llm = self.kit.llm
        assert llm is not None
        student = {k: slots.get(k) for k in ("grade", "stream", "interests")}
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "system", "content": "What we know of the student: " + json.dumps(student)},
        ]
        for turn in history[-6:]:
            messages.append(
                {"role": "user" if turn["role"] == "user" else "assistant", "content": turn["text"]}
            )
        messages.append({"role": "user", "content": text})
        caught = 0

        async def run_tool(name: str, args: dict[str, Any]) -> dict[str, Any]:
            return await self._run_tool(name, args, slots, facts, catalogue)

        try:
            for attempt in range(2):
                reply = await llm.converse(messages, run_tool)
                problems = check_reply(reply, facts, catalogue)
                if not problems:
                    cited = list(dict.fromkeys(c for c, _, _ in catalogue.careers_named(reply)))
                    return reply, cited, caught
                AGENT_GROUNDING_VIOLATIONS.inc()
                caught += len(problems)
                log.warning(
                    "llm reply failed grounding (attempt %d): %s",
                    attempt + 1,
                    [v.kind for v in problems],
                )
                if attempt == 0:
                    messages.append({"role": "user", "content": retry_prompt(problems)})
        except LlmFailed as exc:
            DEGRADED_RESPONSES.labels(dependency="llm").inc()
            log.warning("llm path failed, deterministic reply served: %s", exc)
        return None, [], caught

    async def _run_tool(
        self,
        name: str,
        args: dict[str, Any],
        slots: dict[str, Any],
        facts: Facts,
        catalogue: Catalogue,
    ) -> dict[str, Any]:
        """Each tool is a product service call; whatever it returns becomes a fact."""
        from search_api.careers.service import CareerNotFound

        try:
            if name == "get_career":
                detail = await self.careers.detail(str(args["career_id"]))
                compose.detail_facts(detail, facts)
                return detail.model_dump(exclude={"hindi_aliases", "hinglish", "prominence"})
            if name == "compare_careers":
                ids = [str(i) for i in args["career_ids"]][:4]
                data = await self.careers.compare(ids)
                for c in data.careers:
                    compose.detail_facts(await self.careers.detail(c.id), facts)
                return data.model_dump()
            if name == "search_careers":
                understood = understand(str(args["query"])[:200], catalogue.lexicon)
                scratch = dict(slots)
                if args.get("stream") in STREAMS:
                    scratch["stream"] = args["stream"]
                results = await self._search(understood, scratch, size=SHOW)
                found = compose.result_list("Careers", results, "none")
                facts.merge(found.facts)
                return {
                    "results": [r.model_dump(exclude={"highlights", "matched_by"}) for r in results]
                }
            if name == "recommend_careers":
                stream = args.get("stream")
                if stream not in STREAMS:
                    return {"error": "stream must be one of " + ", ".join(STREAMS)}
                profile = Profile(
                    grade=args.get("grade") if args.get("grade") in (11, 12) else 12,
                    stream=stream,
                    interests=[str(i)[:80] for i in args.get("interests", [])][:10],
                    limit=SHOW,
                )
                ranked = (await self.recommendations.recommend(profile, self.use_cache)).data
                facts.merge(compose.recommendations(ranked, stream).facts)
                return ranked.model_dump()
            if name == "make_plan":
                grade = slots.get("grade")
                if grade not in (11, 12):
                    return {"error": "ask the student for their class (11 or 12) first"}
                detail = await self.careers.detail(str(args["career_id"]))
                plan = build_plan(
                    detail,
                    int(grade),
                    self.today(),
                    slots.get("stream"),
                    self._alternatives(detail, catalogue),
                )
                facts.merge(compose.plan_summary(plan, catalogue).facts)
                compose.detail_facts(detail, facts)
                return plan
        except CareerNotFound:
            return {"error": "no such career in the catalogue"}
        except (NotFoundError, ValidationFailed) as exc:
            return {"error": exc.message}
        return {"error": f"unknown tool {name}"}

    # ---- plans --------------------------------------------------------------------------

    async def create_plan(self, principal: Principal, request: PlanRequest) -> PlanData:
        slots: dict[str, Any] = {}
        owner_session: uuid.UUID | None = None
        if request.session_id is not None:
            _, slots, _, _ = await self.load_session(principal, request.session_id)
            owner_session = request.session_id
        user_id = principal.user_id
        if user_id is None and owner_session is None:
            raise AppError(
                "PLAN_OWNER_REQUIRED",
                "sign in, or pass the session_id of your conversation, to keep a plan",
                422,
                {"needs": ["session_id"]},
            )
        grade = request.profile.grade if request.profile else slots.get("grade")
        stream = (request.profile.stream if request.profile else None) or slots.get("stream")
        if grade is None and user_id is not None:
            saved = await self.profiles.load(user_id)
            if saved is not None:
                grade, stream = saved.grade, stream or saved.stream
        if grade not in (11, 12):
            raise ValidationFailed.field(
                "profile.grade", "body", "the student's class (11 or 12) is needed to date a plan"
            )
        detail = await self.careers.detail(request.career_id)
        catalogue = await self.catalogue()
        document = build_plan(
            detail, int(grade), self.today(), stream, self._alternatives(detail, catalogue)
        )
        row = await self.plans.add(
            CareerPlan(
                id=uuid.uuid4(),
                user_id=user_id,
                agent_session_id=None if user_id else owner_session,
                career_id=detail.id,
                document=document,
            )
        )
        return plan_data(row)

    async def _owned_plan(
        self, principal: Principal, plan_id: uuid.UUID, session_id: uuid.UUID | None
    ) -> CareerPlan:
        row = await self.plans.get_one_or_none(plan_id)
        if row is None:
            raise PlanNotFound()
        if principal.is_admin:
            return row
        if row.user_id is not None:
            if row.user_id != principal.user_id:
                raise PlanNotFound()  # never confirm that someone else's plan exists
            return row
        if session_id is None or row.agent_session_id != session_id:
            raise PlanNotFound()
        return row

    async def get_plan(
        self, principal: Principal, plan_id: uuid.UUID, session_id: uuid.UUID | None
    ) -> PlanData:
        return plan_data(await self._owned_plan(principal, plan_id, session_id))

    async def update_plan(
        self, principal: Principal, plan_id: uuid.UUID, update: PlanUpdate
    ) -> PlanData:
        row = await self._owned_plan(principal, plan_id, update.session_id)
        document = json.loads(json.dumps(row.document))
        by_id = {m["id"]: m for m in document["milestones"]}
        unknown = [u.id for u in update.milestones if u.id not in by_id]
        if unknown:
            raise ValidationFailed.field(
                "milestones", "body", f"no milestone with id {', '.join(unknown)} in this plan"
            )
        for u in update.milestones:
            by_id[u.id]["status"] = u.status
        return plan_data(await self.plans.save_document(row, document))


def retry_prompt(problems: list[Violation]) -> str:
    listed = "; ".join(v.describe() for v in problems[:10])
    return (
        "Your reply mentioned things that are not in the tool results: "
        f"{listed}. Rewrite it using only careers, exams and figures from the tool results."
    )


def plan_data(row: CareerPlan) -> PlanData:
    return PlanData(
        id=row.id,
        career_id=row.career_id or row.document.get("career", {}).get("id", ""),
        plan=row.document,
        created_at=row.created_at.isoformat(),
        updated_at=row.updated_at.isoformat(),
    )
