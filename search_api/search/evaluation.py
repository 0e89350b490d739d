"""Relevance metrics over judged queries (a YAML list of query, kind, relevant ids).

Used by scripts/eval_relevance.py (prints the tables) and by the relevance test (asserts the
targets), so both always measure the same thing. Callers say which judgments file to read.
"""

from __future__ import annotations

import hashlib
import math
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import yaml

KINDS = (
    "exact",
    "abbreviation",
    "typo",
    "interest",
    "hindi",
    "exam",
    "devanagari",
    "hinglish",
    "constraint",
    "ambiguous",
)
Split = Literal["tune", "test"]
SPLITS: tuple[Split, ...] = ("tune", "test")
# The filters an `understood` block can name (Understanding.summary() keys). Lists compare as
# sets; a key the block leaves out must not be understood either.
UNDERSTOOD_KEYS = (
    "stream",
    "grade",
    "required_subjects",
    "excluded_subjects",
    "salary_min",
    "salary_max",
    "salary_preference",
    "stress_level",
    "work_life_balance",
    "remote_work",
    "travel_required",
    "sector",
    "exams",
    "excluded_exams",
    "states",
)
# Streams a stated stream admits (a PCMB student can take PCM and PCB careers; "Science" is a
# student who did not say which).
_ELIGIBLE = {
    "PCM": {"PCM"},
    "PCB": {"PCB"},
    "PCMB": {"PCM", "PCB", "PCMB"},
    "Commerce": {"Commerce"},
    "Humanities": {"Humanities"},
    "Science": {"PCM", "PCB", "PCMB"},
}


def split_for(query: str) -> Split:
    """Stable across runs, machines and edits elsewhere in the file: a hash of the query."""
    digest = hashlib.sha256(" ".join(query.split()).casefold().encode("utf-8")).hexdigest()
    return "tune" if int(digest[:8], 16) % 2 == 0 else "test"


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str
    relevant: tuple[str, ...]  # best answer first
    split: Split = "tune"
    # constraint phrases: the filters the query states, as Understanding.summary() writes them
    understood: Mapping[str, Any] | None = field(default=None, hash=False, compare=False)


@dataclass
class Scores:
    queries: int = 0
    hit1: float = 0.0
    hit5: float = 0.0
    mrr: float = 0.0
    ndcg10: float = 0.0

    def add(self, other: Scores) -> None:
        self.queries += other.queries
        self.hit1 += other.hit1
        self.hit5 += other.hit5
        self.mrr += other.mrr
        self.ndcg10 += other.ndcg10

    def mean(self) -> dict[str, float]:
        n = self.queries or 1
        return {
            "hit@1": self.hit1 / n,
            "hit@5": self.hit5 / n,
            "MRR": self.mrr / n,
            "NDCG@10": self.ndcg10 / n,
        }


def load_judgments(path: Path, split: Split | None = None) -> list[Judgment]:
    """All judgments, or one split of them. An entry without `split` gets its hashed one."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    judgments = [
        Judgment(
            r["query"],
            r["kind"],
            tuple(r["relevant"]),
            r.get("split") or split_for(r["query"]),
            r.get("understood"),
        )
        for r in raw
    ]
    return [j for j in judgments if split is None or j.split == split]


def _normalised(value: Any) -> Any:
    if isinstance(value, list | tuple | set):
        return frozenset(value)
    return value


def understood_matches(expected: Mapping[str, Any], got: Mapping[str, Any]) -> bool:
    """Exactly the filters the judgment lists, no more and no fewer (lists as sets)."""
    return all(
        _normalised(expected.get(key)) == _normalised(got.get(key)) for key in UNDERSTOOD_KEYS
    )


def understood_differences(expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    return [
        f"{key}: expected {expected.get(key)!r}, got {got.get(key)!r}"
        for key in UNDERSTOOD_KEYS
        if _normalised(expected.get(key)) != _normalised(got.get(key))
    ]


def hard_violations(understood: Mapping[str, Any], career: Mapping[str, Any]) -> list[str]:
    """The hard constraints of an `understood` block that a career breaks.

    career is a catalogue row (data/careers) or an index document. Hard: stream, excluded
    subjects and exams, salary bounds (on mid-career pay), stress, work-life balance, remote
    work, and travel unless it is the soft wish to travel often ([Frequent]).
    """
    out: list[str] = []
    stream = understood.get("stream")
    if stream and not _ELIGIBLE.get(stream, {stream}) & set(career["streams"]):
        out.append(f"stream {stream}")
    for key in ("stress_level", "work_life_balance", "remote_work", "travel_required"):
        wanted = understood.get(key)
        if not wanted or (key == "travel_required" and list(wanted) == ["Frequent"]):
            continue
        if career[key] not in wanted:
            out.append(f"{key} {career[key]} not in {list(wanted)}")
    mid = int(career["mid_salary"])
    if understood.get("salary_min") is not None and mid < int(understood["salary_min"]):
        out.append(f"mid_salary {mid} < {understood['salary_min']}")
    if understood.get("salary_max") is not None and mid > int(understood["salary_max"]):
        out.append(f"mid_salary {mid} > {understood['salary_max']}")
    subjects = set(understood.get("excluded_subjects") or ()) & set(career["subjects"])
    if subjects:
        out.append(f"lists excluded subject(s) {sorted(subjects)}")
    exams = career.get("exam_ids", career.get("entrance_exams", []))
    excluded = set(understood.get("excluded_exams") or ()) & set(exams)
    if excluded:
        out.append(f"takes excluded exam(s) {sorted(excluded)}")
    return out


Reader = Callable[[str], Mapping[str, Any]]


def understanding_accuracy(
    judgments: Sequence[Judgment], read: Reader
) -> tuple[float, int, list[tuple[str, list[str]]]]:
    """-> (share of judged constraint queries understood exactly, how many, the misses)."""
    judged = [j for j in judgments if j.understood is not None]
    misses: list[tuple[str, list[str]]] = []
    for judgment in judged:
        assert judgment.understood is not None
        got = read(judgment.query)
        if not understood_matches(judgment.understood, got):
            misses.append((judgment.query, understood_differences(judgment.understood, got)))
    correct = len(judged) - len(misses)
    return (correct / len(judged) if judged else 0.0), len(judged), misses


def gain(judgment: Judgment, career_id: str) -> float:
    """The best answer counts double: ranking it first matters more than any other hit."""
    if not judgment.relevant:
        return 0.0
    if career_id == judgment.relevant[0]:
        return 2.0
    return 1.0 if career_id in judgment.relevant else 0.0


def score_ranking(judgment: Judgment, ranking: Sequence[str]) -> Scores:
    relevant = set(judgment.relevant)
    first = next((i for i, cid in enumerate(ranking, start=1) if cid in relevant), None)
    dcg = sum(gain(judgment, cid) / math.log2(i + 1) for i, cid in enumerate(ranking[:10], start=1))
    ideal = sorted((gain(judgment, cid) for cid in judgment.relevant), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 1) for i, g in enumerate(ideal, start=1))
    return Scores(
        queries=1,
        hit1=1.0 if first == 1 else 0.0,
        hit5=1.0 if first is not None and first <= 5 else 0.0,
        mrr=1.0 / first if first else 0.0,
        ndcg10=dcg / idcg if idcg else 0.0,
    )


Ranker = Callable[[str], Awaitable[list[str]]]


async def evaluate(
    judgments: Sequence[Judgment], rank: Ranker
) -> tuple[dict[str, Scores], dict[str, list[str]]]:
    """-> (scores per kind plus "overall", the queries each kind missed in its top 5)."""
    per_kind: dict[str, Scores] = defaultdict(Scores)
    misses: dict[str, list[str]] = defaultdict(list)
    for judgment in judgments:
        ranking = await rank(judgment.query)
        scores = score_ranking(judgment, ranking)
        per_kind[judgment.kind].add(scores)
        if not scores.hit5:
            misses[judgment.kind].append(judgment.query)
    overall = Scores()
    for scores in per_kind.values():
        overall.add(scores)
    per_kind["overall"] = overall
    return dict(per_kind), dict(misses)


def read_career_rows(data: Path) -> dict[str, dict[str, Any]]:
    """Career rows straight from data/careers/*.yaml, keyed by id (any extra fields kept)."""
    rows: dict[str, dict[str, Any]] = {}
    for path in sorted((data / "careers").glob("*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            rows[str(row["id"])] = row
    return rows


def judgment_problems(
    judgments: Sequence[Judgment], careers: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Everything wrong with the judged set against the catalogue (empty when sound)."""
    out: list[str] = []
    seen: dict[str, str] = {}
    for j in judgments:
        where = f"{j.kind} {j.query!r}"
        folded = " ".join(j.query.split()).casefold()
        if folded in seen:
            out.append(f"{where}: same query as {seen[folded]}")
        seen[folded] = where
        if j.kind not in KINDS:
            out.append(f"{where}: unknown kind")
        if j.split != split_for(j.query):
            out.append(f"{where}: split {j.split}, but the hash gives {split_for(j.query)}")
        if not j.relevant:
            out.append(f"{where}: no relevant careers")
        for cid in j.relevant:
            if cid not in careers:
                out.append(f"{where}: unknown career id {cid!r}")
        if j.kind == "constraint" and not j.understood:
            out.append(f"{where}: a constraint phrase needs an `understood` block")
        if j.understood is None:
            continue
        unknown = sorted(set(j.understood) - set(UNDERSTOOD_KEYS))
        if unknown:
            out.append(f"{where}: unknown understood key(s) {unknown}")
        for cid in j.relevant:
            if cid in careers:
                for violation in hard_violations(j.understood, careers[cid]):
                    out.append(f"{where}: relevant {cid} breaks {violation}")
    return out


# ---- personalised search: judged (query, profile) pairs --------------------------------


@dataclass(frozen=True)
class PersonalJudgment:
    query: str
    split: Split  # "tune" chooses the blend weight, "test" reports it
    profile: dict[str, Any]  # a StudentProfile as written in the YAML
    relevant: tuple[str, ...]

    @property
    def judgment(self) -> Judgment:
        return Judgment(self.query, "personal", self.relevant)


def load_personal_judgments(path: Path) -> list[PersonalJudgment]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        PersonalJudgment(
            r["query"], cast(Split, r["split"]), dict(r["profile"]), tuple(r["relevant"])
        )
        for r in raw
    ]


PersonalRanker = Callable[[PersonalJudgment], Awaitable[list[str]]]


async def evaluate_personal(judgments: Sequence[PersonalJudgment], rank: PersonalRanker) -> Scores:
    total = Scores()
    for judgment in judgments:
        total.add(score_ranking(judgment.judgment, await rank(judgment)))
    return total


# The judged queries are also run with a profile (must not get worse for it): the stream of
# the best answer and interests typical of that stream, so the profile pulls as a student's
# would.
PERSONA_INTERESTS: dict[str, list[str]] = {
    "PCM": ["building things", "computers"],
    "PCB": ["biology", "helping people"],
    "PCMB": ["science", "experiments"],
    "Commerce": ["business", "numbers"],
    "Humanities": ["reading", "people"],
}


def persona(judgment: Judgment, stream: str | None) -> PersonalJudgment:
    """judgment as a (query, profile) pair; stream: the best answer's first stream."""
    profile = {"stream": stream, "interests": PERSONA_INTERESTS.get(stream or "", [])}
    return PersonalJudgment(judgment.query, "test", profile, judgment.relevant)
