"""Build the scale catalogue and its judged queries from two public occupation taxonomies.

Usage: python scripts/build_scale_catalogue.py [--out .data/scale/catalogue] [--write-judgments]

Sources (tests/relevance/scale/source/README.md has versions, licences and exact files):
- O*NET 29.3 (US Department of Labor, CC BY 4.0): occupations, descriptions, alternate titles,
  task statements, related occupations, interests, skills.
- UK SOC 2020 with its extension (Office for National Statistics, Open Government Licence v3):
  sub-unit groups, the coding index (job titles), unit-group descriptions and tasks.

Neither source is ESCO or derived from it. O*NET alone has 1,016 occupations, below the 2,000
the scale check needs; the UK sub-unit groups add 1,368 more of their own titles and wording.
The two overlap (both have chief executives), which a real catalogue does too, so:
- a UK group whose name is an O*NET occupation's name is dropped (names must be unique);
- a title that names more than one career (compared after normalising plurals, word order,
  punctuation and US/UK spelling) becomes nobody's alias and is never a judged query;
- every judged title names exactly one career, so its relevant list is that career alone.

Writes, in the output folder: careers/*.yaml, exams/ (empty), institutions/ (one placeholder),
categories.yaml, synonyms.txt and build_report.json (counts of everything dropped). With
--write-judgments it also rewrites tests/relevance/scale/judgments.yaml; scripts/eval_scale.py
rebuilds and refuses to run if the committed judgments no longer match the build.

The records are valid CareerRecords except for two rules the loader is dropping (issue 11):
categories are the taxonomies' own major groups, not the fixed list in records.py, and
descriptions are not 3-5 sentences. Fields the sources lack get the neutral values in NEUTRAL.
"""

from __future__ import annotations

import argparse
import copy
import csv
import gzip
import hashlib
import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tests" / "relevance" / "scale" / "source"
JUDGMENTS = ROOT / "tests" / "relevance" / "scale" / "judgments.yaml"
DEFAULT_OUT = ROOT / ".data" / "scale" / "catalogue"
SEED = 20240611

# How many judged queries of each kind. The issue asks for >= 600 / 150 / 150 of the first
# three and >= 60 of our own; a margin above each keeps both halves of every kind usable.
QUERY_COUNTS = {
    "alt_title": 700,
    "typo": 200,
    "description": 200,
    "task": 120,
    "student": 80,
}
MAX_ALIASES = 15  # CareerRecord.aliases
MAX_QUERY = 200  # SearchParams.q
MAX_DESCRIPTION = 1500  # CareerRecord.description
INDEXED_TASKS = 3  # task statements folded into a description; the rest are held out

PLACEHOLDER_INSTITUTION = "no-institution-in-source"
# Fields neither taxonomy has. Every career gets the same value, so none of them can separate
# one career from another in ranking; salaries are mid-range INR figures that pass the bounds.
NEUTRAL: dict[str, Any] = {
    "entry_salary": 300_000,
    "mid_salary": 600_000,
    "senior_salary": 1_200_000,
    "work_hours": "Not given in the source taxonomy",
    "work_environment": "Not given in the source taxonomy",
    "stress_level": "Medium",
    "work_life_balance": "Moderate",
    "travel_required": "Occasional",
    "remote_work": "Partial",
    "degree": "Not given in the source taxonomy",
    "entrance_exams": [],
    "top_institutions": [PLACEHOLDER_INSTITUTION],
    "duration": "Not given in the source taxonomy",
    "job_outlook": "Stable",
    "pros": ["Not given in the source taxonomy.", "No second point in the source taxonomy."],
    "cons": ["Not given in the source taxonomy.", "No second point in the source taxonomy."],
    "suitable_for": ["Not given in the source taxonomy."],
    "streams": ["PCM", "PCB", "PCMB", "Commerce", "Humanities"],
    "subjects": ["Not given in the source taxonomy"],
}
# The UK taxonomy has no skills or interest profiles; three inert skill labels and all six
# RIASEC letters satisfy the record's minimums without favouring any career.
UK_SKILLS = ["Unlisted skill one", "Unlisted skill two", "Unlisted skill three"]
UK_INTERESTS = ["R", "I", "A", "S", "E", "C", "unspecified"]
RIASEC = {
    "Realistic": "R",
    "Investigative": "I",
    "Artistic": "A",
    "Social": "S",
    "Enterprising": "E",
    "Conventional": "C",
}

# SOC 2018 major groups (O*NET codes start with them). Public-domain names from the BLS
# structure; O*NET's text files carry only the codes.
ONET_MAJOR_GROUPS = {
    "11": "Management Occupations",
    "13": "Business and Financial Operations Occupations",
    "15": "Computer and Mathematical Occupations",
    "17": "Architecture and Engineering Occupations",
    "19": "Life, Physical, and Social Science Occupations",
    "21": "Community and Social Service Occupations",
    "23": "Legal Occupations",
    "25": "Educational Instruction and Library Occupations",
    "27": "Arts, Design, Entertainment, Sports, and Media Occupations",
    "29": "Healthcare Practitioners and Technical Occupations",
    "31": "Healthcare Support Occupations",
    "33": "Protective Service Occupations",
    "35": "Food Preparation and Serving Related Occupations",
    "37": "Building and Grounds Cleaning and Maintenance Occupations",
    "39": "Personal Care and Service Occupations",
    "41": "Sales and Related Occupations",
    "43": "Office and Administrative Support Occupations",
    "45": "Farming, Fishing, and Forestry Occupations",
    "47": "Construction and Extraction Occupations",
    "49": "Installation, Maintenance, and Repair Occupations",
    "51": "Production Occupations",
    "53": "Transportation and Material Moving Occupations",
    "55": "Military Specific Occupations",
}

# Our own synonyms for this catalogue: US and UK spellings of the same word, since the two
# taxonomies spell differently. Solr format, one rule a line.
SYNONYMS = """\
# Synonyms for the scale catalogue (O*NET + UK SOC 2020). Our own list, not data/synonyms.txt.
labor, labour
laborer, labourer
organization, organisation
organizer, organiser
center, centre
theater, theatre
program, programme
color, colour
jewelry, jewellery
aluminum, aluminium
analyze, analyse
catalog, catalogue
defense, defence
license, licence
aesthetician, esthetician
archeologist, archaeologist
pediatric, paediatric
anesthesiologist, anaesthetist
anesthetist, anaesthetist
orthopedic, orthopaedic
gynecologist, gynaecologist
tire, tyre
mold, mould
"""
# The same pairs, for comparing titles across the two taxonomies.
_SPELLING = {
    "labour": "labor",
    "labourer": "laborer",
    "organisation": "organization",
    "organiser": "organizer",
    "centre": "center",
    "theatre": "theater",
    "programme": "program",
    "colour": "color",
    "jewellery": "jewelry",
    "aluminium": "aluminum",
    "analyse": "analyze",
    "catalogue": "catalog",
    "defence": "defense",
    "licence": "license",
    "archaeologist": "archeologist",
    "paediatric": "pediatric",
    "orthopaedic": "orthopedic",
    "gynaecologist": "gynecologist",
    "tyre": "tire",
    "mould": "mold",
}
_FILLER = frozenset({"and", "of", "the", "a", "an", "in", "for", "or", "to", "with", "at", "on"})
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
_QUERYABLE = re.compile(r"^[A-Za-z][A-Za-z' -]*[A-Za-z]$")


def normalise_title(title: str) -> str:
    """A comparison key: "Managers, Sales" and "sales manager" give the same key."""
    words = _NON_WORD.sub(" ", title.lower().replace("&", " and ")).split()
    out = []
    for word in words:
        if word in _FILLER:
            continue
        word = _SPELLING.get(word, word)
        if len(word) > 3 and word.endswith("ies"):
            word = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return " ".join(sorted(out))


def slugify(text: str, limit: int = 50) -> str:
    """A slug of at most limit characters, cut at a word boundary when it is too long."""
    slug = re.sub(r"-+", "-", _NON_WORD.sub("-", text.lower())).strip("-")
    if len(slug) > limit:
        cut = slug[: limit + 1].rfind("-")
        slug = slug[: cut if cut > 0 else limit]
    return slug.strip("-")


def stable_hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


def read_tsv(name: str, source: Path = SOURCE) -> list[dict[str, str]]:
    with gzip.open(source / name, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text.strip()) if s.strip()]


def as_sentence(text: str) -> str:
    text = " ".join(text.replace("~", " ").split()).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def fit_description(parts: Sequence[str], limit: int = MAX_DESCRIPTION) -> tuple[str, int]:
    """Join whole sentences up to the limit. -> (text, how many parts went in)."""
    out: list[str] = []
    for part in parts:
        candidate = " ".join([*out, part])
        if len(candidate) > limit:
            break
        out.append(part)
    return " ".join(out), len(out)


# ---- occupations -------------------------------------------------------------------------


@dataclass
class Occupation:
    source: str  # "onet" or "uk"
    code: str
    name: str
    category: str
    description: str = ""
    description_sentences: list[str] = field(default_factory=list)  # indexed, verbatim
    held_out_tasks: list[str] = field(default_factory=list)  # never indexed
    titles: list[str] = field(default_factory=list)  # alternative titles, source order
    related: list[str] = field(default_factory=list)  # codes, best first
    skills: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    group: str = ""  # UK unit group; empty for O*NET
    id: str = ""
    aliases: list[str] = field(default_factory=list)


@dataclass
class BuildReport:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, n: int = 1) -> None:
        self.counts[key] += n


def onet_occupations(report: BuildReport, source: Path) -> list[Occupation]:
    titles: dict[str, list[str]] = defaultdict(list)
    for row in read_tsv("onet_alternate_titles.tsv.gz", source):
        titles[row["O*NET-SOC Code"]].append(row["Alternate Title"])
    tasks: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for n, row in enumerate(read_tsv("onet_task_statements.tsv.gz", source)):
        # Core tasks first (O*NET's own split of what defines the job), file order within.
        rank = 0 if row["Task Type"] == "Core" else 1
        tasks[row["O*NET-SOC Code"]].append((rank, n, row["Task"]))
    related: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in read_tsv("onet_related_occupations.tsv.gz", source):
        related[row["O*NET-SOC Code"]].append((int(row["Index"]), row["Related O*NET-SOC Code"]))
    interests: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in read_tsv("onet_interests.tsv.gz", source):
        interests[row["O*NET-SOC Code"]].append((float(row["Data Value"]), row["Element Name"]))
    skills: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for row in read_tsv("onet_skills.tsv.gz", source):
        skills[row["O*NET-SOC Code"]].append((float(row["Data Value"]), row["Element Name"]))

    out: list[Occupation] = []
    for row in read_tsv("onet_occupation_data.tsv.gz", source):
        code = row["O*NET-SOC Code"]
        occupation = Occupation(
            source="onet",
            code=code,
            name=row["Title"],
            category=ONET_MAJOR_GROUPS[code[:2]],
        )
        task_texts = [as_sentence(t) for _, _, t in sorted(tasks[code])]
        lead = sentences(row["Description"])
        text, used = fit_description([*lead, *task_texts[:INDEXED_TASKS]])
        if len(text) < 80:
            # "All Other" residual groups: one line, no tasks, nothing to search on.
            report.add("onet dropped: description under 80 characters, no tasks")
            continue
        occupation.description = text
        occupation.description_sentences = [*lead, *task_texts[:INDEXED_TASKS]][:used]
        occupation.held_out_tasks = task_texts[INDEXED_TASKS:]
        occupation.titles = titles[code]
        occupation.related = [c for _, c in sorted(related[code])]
        top_skills = sorted(skills[code], key=lambda s: (-s[0], s[1]))[:6]
        occupation.skills = [name for _, name in top_skills] or UK_SKILLS
        ranked = sorted(interests[code], key=lambda s: (-s[0], s[1]))[:2]
        if ranked:
            occupation.interests = [
                *(RIASEC[name] for _, name in ranked),
                *(name.lower() for _, name in ranked),
            ]
        else:
            occupation.interests = UK_INTERESTS
        out.append(occupation)
    report.add("onet occupations", len(out))
    return out


def uk_occupations(
    report: BuildReport, taken_names: set[str], source: Path
) -> tuple[list[Occupation], dict[str, tuple[str, str]]]:
    """-> (sub-unit groups as occupations, major group code -> (name, description))."""
    majors: dict[str, tuple[str, str]] = {}
    units: dict[str, dict[str, str]] = {}
    for row in read_tsv("uk_soc2020_descriptions.tsv.gz", source):
        if row["unit"]:
            units[row["unit"]] = row
        elif row["major"] and not row["sub_major"]:
            majors[row["major"]] = (row["title"], row["description"])
    titles: dict[str, list[str]] = defaultdict(list)
    names: dict[str, str] = {}
    for row in read_tsv("uk_soc2020_coding_index.tsv.gz", source):
        sug = row["SOC_2020_ext"]
        if not re.fullmatch(r"\d{4}/\d{2}", sug):
            # "}}}}/}}": titles too vague to code without more information ("Advisor").
            report.add("uk index entries skipped: not codable from the title alone")
            continue
        names[sug] = row["SOC2020_ext_SUG_title"]
        if row["ADD"] or row["IND"]:
            # A qualified entry ("Manager (bank)") only means something with its qualifier,
            # and with it the title reads like no job title a person types.
            report.add("uk index entries skipped: qualified by industry or addition")
            continue
        titles[sug].append(row["INDEXOCC_-_natural_word_order"])

    out: list[Occupation] = []
    for sug in sorted(names):
        unit = units[sug[:4]]
        name = names[sug]
        if name.casefold() in taken_names:
            report.add("uk dropped: same name as an O*NET occupation")
            continue
        occupation = Occupation(
            source="uk",
            code=sug,
            name=name,
            category=majors[sug[0]][0],
            group=sug[:4],
        )
        tasks = [as_sentence(t) for t in unit["tasks"].split("\n") if t.strip(" ~")]
        lead = sentences(unit["description"])
        text, used = fit_description([*lead, *tasks])
        occupation.description = text
        occupation.description_sentences = [*lead, *tasks][:used]
        occupation.titles = titles[sug]
        occupation.skills = UK_SKILLS
        occupation.interests = UK_INTERESTS
        out.append(occupation)
    # Alternatives: the other groups of the same unit group, else of the same minor group.
    by_unit: dict[str, list[str]] = defaultdict(list)
    by_minor: dict[str, list[str]] = defaultdict(list)
    for occupation in out:
        by_unit[occupation.group].append(occupation.code)
        by_minor[occupation.group[:3]].append(occupation.code)
    for occupation in out:
        siblings = [c for c in by_unit[occupation.group] if c != occupation.code]
        cousins = [c for c in by_minor[occupation.group[:3]] if c != occupation.code]
        occupation.related = siblings or cousins
    report.add("uk sub-unit groups", len(out))
    return out, majors


def assign_ids(occupations: Sequence[Occupation]) -> None:
    taken: set[str] = set()
    for occupation in occupations:
        base = slugify(occupation.name)
        candidate = base
        if candidate in taken or len(candidate) < 2:
            suffix = slugify(occupation.code.replace(".", "").replace("/", ""))
            candidate = f"{slugify(occupation.name, 49 - len(suffix))}-{suffix}"
        taken.add(candidate)
        occupation.id = candidate


# ---- titles: aliases and held-out queries ------------------------------------------------


@dataclass
class TitlePlan:
    owners: dict[str, set[str]]  # normalised title -> career ids naming it (title or name)
    queryable: dict[str, list[str]]  # career id -> titles that may become judged queries


def plan_titles(occupations: Sequence[Occupation], report: BuildReport) -> TitlePlan:
    owners: dict[str, set[str]] = defaultdict(set)
    for occupation in occupations:
        owners[normalise_title(occupation.name)].add(occupation.id)
        for title in occupation.titles:
            key = normalise_title(title)
            if key:
                owners[key].add(occupation.id)
    queryable: dict[str, list[str]] = {}
    for occupation in occupations:
        own = normalise_title(occupation.name)
        seen: set[str] = set()
        unique: list[str] = []
        for title in occupation.titles:
            title = " ".join(title.split())
            key = normalise_title(title)
            if not key or title.casefold() in seen or len(title) > 200:
                continue
            seen.add(title.casefold())
            if owners[key] != {occupation.id}:
                report.add("titles dropped: name more than one career")
                continue
            if not re.search(r"[A-Za-z]{3}", title) or re.search(r"\d", title):
                report.add("titles dropped: codes or grades, not job titles")
                continue
            unique.append(title)
        occupation.titles = unique
        queryable[occupation.id] = [
            t
            for t in unique
            if normalise_title(t) != own
            and _QUERYABLE.match(t)
            and 1 <= len(t.split()) <= 6
            and len(t) >= 4
        ]
    return TitlePlan(dict(owners), queryable)


def choose_aliases(occupation: Occupation, held_out: set[str], rng: random.Random) -> None:
    candidates = [t for t in occupation.titles if t.casefold() not in held_out]
    # Titles that only restate the name add nothing; prefer the others, then fill up.
    own = normalise_title(occupation.name)
    distinct = [t for t in candidates if normalise_title(t) != own]
    restated = [t for t in candidates if normalise_title(t) == own]
    rng.shuffle(distinct)
    chosen = (distinct + restated)[:MAX_ALIASES]
    occupation.aliases = sorted(chosen, key=str.casefold)


# ---- judged queries ----------------------------------------------------------------------


@dataclass
class Query:
    query: str
    kind: str
    relevant: list[str]
    source: str
    origin: str = ""  # the title a typo came from, or the sentence a query was cut from
    edit: str = ""

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "query": self.query,
            "kind": self.kind,
            "relevant": self.relevant,
            "source": self.source,
        }
        if self.origin:
            out["origin"] = self.origin
        if self.edit:
            out["edit"] = self.edit
        return out


def remove_name(sentence: str, name: str) -> str:
    """The sentence without the occupation's name (and its singular), tidied."""
    forms = {name}
    if name.lower().endswith("s"):
        forms.add(name[:-1])
    text = sentence
    for form in sorted(forms, key=len, reverse=True):
        text = re.sub(re.escape(form), " ", text, flags=re.IGNORECASE)
    text = " ".join(text.split()).strip(" ,;:")
    return text


def typo(word: str, operation: str, position: int, rng: random.Random) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    if operation == "deletion":
        return word[:position] + word[position + 1 :]
    if operation == "insertion":
        return word[:position] + rng.choice(letters) + word[position:]
    if operation == "substitution":
        choices = [c for c in letters if c != word[position].lower()]
        return word[:position] + rng.choice(choices) + word[position + 1 :]
    # transposition of the letter at position with the next one
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


OPERATIONS = ("deletion", "insertion", "substitution", "transposition")


def make_typo(title: str, n: int, rng: random.Random, known: set[str]) -> tuple[str, str] | None:
    """One-letter edit of one word (4+ letters). Even n: never the word's first letter;
    odd n: any letter, the first included. -> (query, "operation@word:position")."""
    words = title.split()
    candidates = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not candidates:
        return None
    operation = OPERATIONS[n % len(OPERATIONS)]
    for _ in range(20):
        index = rng.choice(candidates)
        word = words[index]
        last = len(word) - (2 if operation == "transposition" else 1)
        low = 1 if n % 2 == 0 else 0
        position = rng.randint(low, last)
        if operation == "transposition" and word[position] == word[position + 1]:
            continue
        changed = typo(word, operation, position, rng)
        out = " ".join([*words[:index], changed, *words[index + 1 :]])
        if out.casefold() != title.casefold() and normalise_title(out) not in known:
            return out, f"{operation}@{index}:{position}"
    return None


def balanced_splits(queries: list[Query]) -> list[dict[str, Any]]:
    """tune/test by a stable hash: within each kind, alternate down the hash order, so the
    halves differ by at most one query per kind and a query keeps its half across rebuilds
    unless the set itself changes."""
    out: list[dict[str, Any]] = []
    by_kind: dict[str, list[Query]] = defaultdict(list)
    for q in queries:
        by_kind[q.kind].append(q)
    for kind in QUERY_COUNTS:
        ordered = sorted(by_kind[kind], key=lambda q: stable_hash(q.kind, q.query))
        for n, q in enumerate(ordered):
            out.append({**q.as_dict(), "split": "tune" if n % 2 == 0 else "test"})
    return out


def student_phrase(task: str) -> str | None:
    """A loose first-person phrase from a task: its first clause, at most eight words."""
    clause = re.split(r"[,;:(]| such as | including ", task.rstrip("."), maxsplit=1)[0]
    words = clause.split()[:8]
    while words and words[-1].lower() in _FILLER | {"by", "into", "from", "as", "that"}:
        words.pop()
    if len(words) < 3:
        return None
    return "i want to " + " ".join(words).lower()


def build_queries(
    occupations: Sequence[Occupation], plan: TitlePlan, report: BuildReport
) -> tuple[list[Query], set[str]]:
    """-> (judged queries, casefolded titles held out of the aliases)."""
    rng = random.Random(SEED)
    order = sorted(occupations, key=lambda o: stable_hash("career", o.id))
    names = {normalise_title(o.name) for o in occupations}
    queries: list[Query] = []
    held_out: set[str] = set()

    # Alternative titles: one per career, careers in hash order, until the count is reached.
    alt: list[Query] = []
    for occupation in order:
        if len(alt) >= QUERY_COUNTS["alt_title"]:
            break
        options = plan.queryable[occupation.id]
        if not options:
            continue
        title = options[int(stable_hash("alt", occupation.id), 16) % len(options)]
        held_out.add(title.casefold())
        alt.append(Query(title, "alt_title", [occupation.id], occupation.source))
    queries.extend(alt)

    # Typos of some of those titles, each edited once.
    known = set(plan.owners) | names
    typo_sources = sorted(alt, key=lambda q: stable_hash("typo", q.query))
    made = 0
    for q in typo_sources:
        if made >= QUERY_COUNTS["typo"]:
            break
        result = make_typo(q.query, made, rng, known)
        if result is None:
            continue
        text, edit = result
        queries.append(Query(text, "typo", q.relevant, q.source, origin=q.query, edit=edit))
        made += 1

    # Sentences of indexed descriptions, name removed. A UK unit group's description is shared
    # by all its sub-unit groups, so only groups alone in their unit group give one.
    unit_sizes = Counter(o.group for o in occupations if o.source == "uk")
    used: set[str] = set()  # query texts already taken
    own_kind_careers: set[str] = set()  # one own-kind query per career
    picked = 0
    for occupation in sorted(occupations, key=lambda o: stable_hash("description", o.id)):
        if picked >= QUERY_COUNTS["description"]:
            break
        if occupation.source == "uk" and unit_sizes[occupation.group] > 1:
            continue
        for sentence in occupation.description_sentences:
            if sentence.startswith(("Includes", "Excludes")):
                continue
            text = remove_name(sentence, occupation.name)
            if 8 <= len(text.split()) and len(text) <= MAX_QUERY and text.casefold() not in used:
                used.add(text.casefold())
                queries.append(
                    Query(text, "description", [occupation.id], occupation.source, sentence)
                )
                picked += 1
                break
    # Our own kinds, from O*NET task statements that were held out of the descriptions.
    for kind in ("task", "student"):
        picked = 0
        for occupation in sorted(occupations, key=lambda o: stable_hash(kind, o.id)):
            if picked >= QUERY_COUNTS[kind]:
                break
            if not occupation.held_out_tasks or occupation.id in own_kind_careers:
                continue
            task = occupation.held_out_tasks[
                int(stable_hash(kind, "task", occupation.id), 16) % len(occupation.held_out_tasks)
            ]
            text = remove_name(task, occupation.name)
            if kind == "student":
                phrase = student_phrase(text)
                if phrase is None:
                    continue
                text = phrase
            if len(text.split()) < 5 or len(text) > MAX_QUERY or text.casefold() in used:
                continue
            used.add(text.casefold())
            own_kind_careers.add(occupation.id)
            queries.append(Query(text, kind, [occupation.id], occupation.source, task))
            picked += 1
    for kind in QUERY_COUNTS:
        report.add(f"queries {kind}", sum(1 for q in queries if q.kind == kind))
    return queries, held_out


# ---- records -----------------------------------------------------------------------------


def career_record(occupation: Occupation, ids: dict[str, str], fallback: str) -> dict[str, Any]:
    """fallback: another career of the same category, for the rare one with no relatives."""
    alternatives = [ids[c] for c in occupation.related if c in ids and ids[c] != occupation.id]
    return {
        "id": occupation.id,
        "name": occupation.name,
        "category": occupation.category,
        "description": occupation.description,
        # A fresh copy per record: shared lists would come out as YAML anchors and aliases.
        **copy.deepcopy(NEUTRAL),
        "skills": list(dict.fromkeys(occupation.skills))[:15],
        "alternatives": alternatives[:5] or [fallback],
        "interests": list(occupation.interests),
        "aliases": occupation.aliases,
    }


def categories(majors: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    out = [
        {
            "name": name,
            "slug": f"us-soc-{slugify(code)}",
            "hindi_name": "",
            "description": (
                f"Occupations in major group {code} of the US Standard Occupational "
                "Classification 2018, as described in the O*NET database."
            ),
        }
        for code, name in ONET_MAJOR_GROUPS.items()
    ]
    for code in sorted(majors):
        name, description = majors[code]
        out.append(
            {
                "name": name,
                "slug": f"uk-soc-{slugify(code)}",
                "hindi_name": "",
                "description": description,
            }
        )
    return out


@dataclass
class Build:
    careers: list[dict[str, Any]]
    sources: dict[str, str]  # career id -> "onet" or "uk"
    categories: list[dict[str, str]]
    judgments: list[dict[str, Any]]
    report: dict[str, int]


def build(source: Path = SOURCE) -> Build:
    report = BuildReport()
    onet = onet_occupations(report, source)
    uk, majors = uk_occupations(report, {o.name.casefold() for o in onet}, source)
    occupations = [*onet, *uk]
    assign_ids(occupations)
    plan = plan_titles(occupations, report)
    queries, held_out = build_queries(occupations, plan, report)
    rng = random.Random(SEED + 1)
    for occupation in occupations:
        choose_aliases(occupation, held_out, rng)
    report.add("aliases indexed", sum(len(o.aliases) for o in occupations))
    report.add("titles held out as judged queries", len(held_out))
    ids = {o.code: o.id for o in occupations}
    by_category: dict[str, list[str]] = defaultdict(list)
    for o in occupations:
        by_category[o.category].append(o.id)
    careers = []
    for o in occupations:
        fallback = next(i for i in [*by_category[o.category], *ids.values()] if i != o.id)
        careers.append(career_record(o, ids, fallback))
    report.add("careers", len(careers))
    return Build(
        careers,
        {o.id: o.source for o in occupations},
        categories(majors),
        balanced_splits(queries),
        dict(report.counts),
    )


# ---- output ------------------------------------------------------------------------------


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=100)


def write_catalogue(result: Build, out: Path) -> None:
    for sub in ("careers", "exams", "institutions"):
        (out / sub).mkdir(parents=True, exist_ok=True)
        for stale in (out / sub).glob("*.yaml"):
            stale.unlink()
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for career in result.careers:
        by_source[result.sources[career["id"]]].append(career)
    for name, careers in by_source.items():
        (out / "careers" / f"{name}.yaml").write_text(dump_yaml(careers), encoding="utf-8")
    institution = {
        "id": PLACEHOLDER_INSTITUTION,
        "name": "No institution is named in the source taxonomy",
        "city": "Not applicable",
        "state": "Not applicable",
        "type": "Autonomous Institute",
    }
    (out / "institutions" / "placeholder.yaml").write_text(
        dump_yaml([institution]), encoding="utf-8"
    )
    (out / "categories.yaml").write_text(dump_yaml(result.categories), encoding="utf-8")
    (out / "synonyms.txt").write_text(SYNONYMS, encoding="utf-8")
    (out / "build_report.json").write_text(
        json.dumps(result.report, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def judgments_text(judgments: Iterable[dict[str, Any]]) -> str:
    header = (
        "# Scale judged queries, generated by scripts/build_scale_catalogue.py"
        " --write-judgments.\n# Do not edit by hand: eval_scale.py checks this file against a"
        " fresh build.\n"
    )
    return header + dump_yaml(list(judgments))


def read_judgments(path: Path = JUDGMENTS) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.load(
        path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    return loaded


def iter_summary(result: Build) -> Iterator[str]:
    for key, value in sorted(result.report.items()):
        yield f"  {key}: {value}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument(
        "--write-judgments", action="store_true", help=f"rewrite {JUDGMENTS.relative_to(ROOT)}"
    )
    args = parser.parse_args()
    result = build(args.source)
    write_catalogue(result, args.out)
    print(f"wrote {len(result.careers)} careers to {args.out}")
    for line in iter_summary(result):
        print(line)
    if args.write_judgments:
        JUDGMENTS.write_text(judgments_text(result.judgments), encoding="utf-8")
        print(f"wrote {len(result.judgments)} judged queries to {JUDGMENTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
