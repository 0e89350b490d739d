"""Deterministic replies: composed only from the records retrieved for the turn.

Each composer returns the reply, the Facts it drew on (what the grounding check accepts) and
the careers it cites. Amounts are written the way Indian students read them (₹18 lakh).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from search_api.agent.catalogue import Catalogue
from search_api.agent.grounding import Facts
from search_api.careers.records import eligible_streams
from search_api.careers.schemas import CareerDetail, CompareData, ExamOut
from search_api.recommendations.schemas import RecommendationData
from search_api.search.schemas import SearchResult

STREAMS_TEXT = "PCM, PCB, PCMB, Commerce or Humanities"
HELP = (
    "I am Career Compass's counsellor. I answer from our career catalogue only. Ask me to "
    "suggest careers for your stream and interests, tell you about a career, compare careers, "
    "explain entrance exams and their months, salaries, whether your stream can lead to a "
    "career, or make a dated plan to reach one."
)
HELP_FOLLOW_UPS = [
    "Suggest careers for PCM",
    "Tell me about Chartered Accountant",
    "Compare Software Engineer and Data Scientist",
]


def inr(rupees: int) -> str:
    if rupees >= 10_000_000:
        return f"₹{rupees / 10_000_000:.3g} crore"
    if rupees >= 100_000:
        return f"₹{rupees / 100_000:.3g} lakh"
    return f"₹{rupees:,}"


@dataclass
class Composed:
    text: str
    facts: Facts = field(default_factory=Facts)
    cited: list[str] = field(default_factory=list)
    follow_ups: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the list the student can point back to


def detail_facts(detail: CareerDetail, facts: Facts) -> None:
    facts.add_career(detail.id, detail.name)
    for amount in (detail.entry_salary, detail.mid_salary, detail.senior_salary):
        facts.add_amount(amount)
    facts.add_record(
        detail.model_dump(), ("duration", "degree", "description", "work_hours", "category")
    )
    for exam in detail.entrance_exams:
        exam_facts(exam, facts)
    for ref in detail.alternatives:
        facts.add_career(ref.id, ref.name)


def exam_facts(exam: ExamOut, facts: Facts) -> None:
    facts.add_exam(exam.id, exam.name)
    facts.add_record(exam.model_dump(), ("month", "eligibility", "full_name"))


def greeting() -> Composed:
    return Composed(HELP, follow_ups=list(HELP_FOLLOW_UPS))


def out_of_scope() -> Composed:
    return Composed(
        "I can only help with careers, courses, entrance exams and plans from our catalogue, "
        "so I cannot answer that. " + HELP,
        follow_ups=list(HELP_FOLLOW_UPS),
    )


def ask_for(what: str, follow_ups: Sequence[str]) -> Composed:
    return Composed(what, follow_ups=list(follow_ups))


def details(detail: CareerDetail) -> Composed:
    c = Composed("")
    detail_facts(detail, c.facts)
    exams = ", ".join(e.name for e in detail.entrance_exams) or "no entrance exam listed"
    first = detail.description.split(". ")[0].rstrip(".")
    c.text = (
        f"{detail.name} ({detail.category}): {first}. "
        f"Degree: {detail.degree}. Duration: {detail.duration}. "
        f"Entrance exams: {exams}. Open to streams: {', '.join(detail.streams)}. "
        f"Pay: about {inr(detail.entry_salary)} a year at entry, {inr(detail.mid_salary)} "
        f"mid-career. Stress: {detail.stress_level}; work-life balance: "
        f"{detail.work_life_balance}; outlook: {detail.job_outlook}."
    )
    c.cited = [detail.id]
    c.follow_ups = [
        f"What is the salary of {detail.name}?",
        f"Make a plan to become {detail.name}",
    ]
    if detail.alternatives:
        c.follow_ups.append(f"Compare {detail.name} and {detail.alternatives[0].name}")
    return c


def salary(details_: Sequence[CareerDetail]) -> Composed:
    c = Composed("")
    lines = []
    for d in details_:
        detail_facts(d, c.facts)
        lines.append(
            f"{d.name}: about {inr(d.entry_salary)} a year at entry, {inr(d.mid_salary)} "
            f"mid-career and {inr(d.senior_salary)} when senior."
        )
        c.cited.append(d.id)
    c.text = " ".join(lines) + " These are typical catalogue figures; pay varies by employer."
    c.follow_ups = [f"Make a plan to become {details_[0].name}"]
    return c


def exams_for_careers(details_: Sequence[CareerDetail]) -> Composed:
    c = Composed("")
    parts = []
    for d in details_:
        detail_facts(d, c.facts)
        c.cited.append(d.id)
        if d.entrance_exams:
            listed = "; ".join(f"{e.name} ({e.month})" for e in d.entrance_exams)
            parts.append(f"For {d.name}: {listed}.")
        else:
            parts.append(f"For {d.name} the catalogue lists no entrance exam.")
    c.text = " ".join(parts)
    c.follow_ups = [f"Make a plan to become {details_[0].name}"] if details_ else []
    return c


def exams(exams_: Sequence[ExamOut], used_by: dict[str, list[tuple[str, str]]]) -> Composed:
    c = Composed("")
    parts = []
    for e in exams_:
        exam_facts(e, c.facts)
        careers = used_by.get(e.id, [])[:4]
        for cid, name in careers:
            c.facts.add_career(cid, name)
            c.cited.append(cid)
        c.facts.add_text(e.conducting_body)
        leads = (
            f" It leads to careers such as {', '.join(n for _, n in careers)}." if careers else ""
        )
        parts.append(
            f"{e.name} ({e.full_name}), by {e.conducting_body}: held {e.month}. "
            f"Who can sit it: {e.eligibility}.{leads}"
        )
    c.text = " ".join(parts)
    if c.cited:
        c.follow_ups = [f"Tell me about {c.facts.careers[c.cited[0]]}"]
    return c


def compare(data: CompareData, details_: Sequence[CareerDetail]) -> Composed:
    c = Composed("")
    for d in details_:
        detail_facts(d, c.facts)
    lines = []
    for career in data.careers:
        c.cited.append(career.id)
        exams_ = ", ".join(career.exams) or "none listed"
        lines.append(
            f"{career.name}: mid-career pay {inr(career.mid_salary)}, entry "
            f"{inr(career.entry_salary)}; duration {career.duration}; exams {exams_}; "
            f"stress {career.stress_level}; work-life balance {career.work_life_balance}; "
            f"outlook {career.job_outlook}."
        )
    top = max(data.careers, key=lambda x: x.mid_salary)
    different = [k.replace("_", " ") for k, v in data.differs.items() if v][:4]
    common = ", ".join(data.common_skills[:3])
    c.text = (
        " ".join(lines)
        + f" {top.name} pays more mid-career."
        + (f" They differ most in: {', '.join(different)}." if different else "")
        + (f" Skills they share: {common}." if common else "")
    )
    c.shown = list(c.cited)
    c.follow_ups = [f"Make a plan to become {data.careers[0].name}"]
    return c


def result_list(
    intro: str, results: Sequence[SearchResult], empty: str, explain: str | None = None
) -> Composed:
    c = Composed("")
    if not results:
        c.text = empty + (f" {explain}" if explain else "")
        c.follow_ups = ["Suggest careers for my stream", "Show careers in Design"]
        return c
    c.facts.add_number(len(results))
    items = []
    for i, r in enumerate(results, 1):
        c.facts.add_career(r.id, r.name)
        c.facts.add_amount(r.mid_salary)
        c.facts.add_number(i)
        c.facts.add_text(r.category)
        items.append(f"{i}. {r.name} ({r.category}, mid-career about {inr(r.mid_salary)})")
        c.cited.append(r.id)
    c.text = f"{intro} {len(results)}: " + "; ".join(items) + "."
    c.shown = list(c.cited)
    c.follow_ups = [
        f"Tell me about {results[0].name}",
        "Compare the first two" if len(results) > 1 else "Make a plan for it",
    ]
    return c


def recommendations(data: RecommendationData, stream: str) -> Composed:
    c = Composed("")
    recs = data.recommendations
    if not recs:
        c.text = (
            f"No career in the catalogue fits every constraint for {stream}. Try fewer "
            "constraints, or tell me what you enjoy."
        )
        return c
    c.facts.add_number(len(recs))
    items = []
    for i, r in enumerate(recs, 1):
        c.facts.add_career(r.career.id, r.career.name)
        c.facts.add_amount(r.mid_salary)
        c.facts.add_number(i)
        for reason in r.reasons:
            c.facts.add_text(reason)
        reason = f" - {r.reasons[0].rstrip('.')}" if r.reasons else ""
        items.append(f"{i}. {r.career.name} (mid-career about {inr(r.mid_salary)}){reason}")
        c.cited.append(r.career.id)
    c.text = (
        f"For a {stream} student, the best matches in the catalogue are: " + "; ".join(items) + "."
    )
    c.shown = list(c.cited)
    c.follow_ups = [
        f"Tell me about {recs[0].career.name}",
        "Compare the first two"
        if len(recs) > 1
        else f"Make a plan to become {recs[0].career.name}",
    ]
    return c


def eligibility(
    detail: CareerDetail,
    stream: str | None,
    excluded: Sequence[str],
    alternatives: Sequence[tuple[str, str]],
) -> Composed:
    c = Composed("")
    detail_facts(detail, c.facts)
    c.cited = [detail.id]
    open_to = ", ".join(detail.streams)
    reasons: list[str] = []
    ok = True
    if stream is not None:
        if set(eligible_streams([stream])) & set(detail.streams):
            reasons.append(f"{stream} students can take this route (open to {open_to}).")
        else:
            ok = False
            reasons.append(f"{detail.name} is open to {open_to}, not {stream}.")
    dropped = [s for s in excluded if s in detail.subjects]
    if dropped:
        ok = False
        reasons.append(f"It needs {', '.join(dropped)}, which you want to avoid.")
    if stream is None and not excluded:
        reasons.append(f"It is open to these streams: {open_to}. Tell me yours.")
    head = "Yes." if ok and (stream or excluded) else ("No." if not ok else "")
    exams_ = ", ".join(e.name for e in detail.entrance_exams)
    text = f"{head} {' '.join(reasons)}".strip()
    if exams_:
        text += f" Entrance exams: {exams_}."
    if not ok and alternatives:
        for cid, name in alternatives:
            c.facts.add_career(cid, name)
            c.cited.append(cid)
        text += " Related careers open to you: " + ", ".join(n for _, n in alternatives) + "."
    c.text = text
    c.follow_ups = (
        [f"Make a plan to become {detail.name}"]
        if ok
        else [f"Tell me about {alternatives[0][1]}"]
        if alternatives
        else []
    )
    return c


def plan_summary(plan: dict[str, Any], catalogue: Catalogue) -> Composed:
    c = Composed("")
    career = plan["career"]
    c.facts.add_career(career["id"], career["name"])
    c.cited = [career["id"]]
    c.facts.add_text(plan["degree"]["duration"])
    steps = []
    for m in plan["milestones"]:
        c.facts.add_text(m["detail"])
        c.facts.add_text(m["title"])
        if m["target_date"]:
            c.facts.add_text(m["target_date"])
            steps.append(f"{m['target_date']}: {m['title']}")
    for exam_id in (
        catalogue.careers[career["id"]].entrance_exams
        if career["id"] in (catalogue.careers)
        else ()
    ):
        exam = catalogue.exams.get(exam_id)
        if exam:
            c.facts.add_exam(exam.id, exam.name)
    backups = plan["backup"].get("alternatives", [])
    for b in backups:
        c.facts.add_career(b["id"], b["name"])
    text = f"Your plan to become {career['name']}: " + "; ".join(steps) + "."
    if not plan["stream_eligible"]:
        text = (
            f"Note: your stream ({plan['stream']}) is not one the catalogue lists for "
            f"{career['name']}. " + text
        )
    if backups:
        text += " Backup routes: " + ", ".join(b["name"] for b in backups[:3]) + "."
    if plan["backup"].get("if_main_exam_fails"):
        text += " " + plan["backup"]["if_main_exam_fails"]
    c.text = text
    c.follow_ups = [f"Tell me about {backups[0]['name']}"] if backups else []
    return c
