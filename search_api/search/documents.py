"""From catalogue rows to index documents, and the one text recipe for embeddings."""

from __future__ import annotations

import re
from typing import Any

from search_api.careers.repository import Lookups

# Columns copied as they are into the document (_source also feeds the result cards).
PLAIN_FIELDS = (
    "id",
    "name",
    "aliases",
    "category",
    "description",
    "skills",
    "subjects",
    "degree",
    "streams",
    "stress_level",
    "work_life_balance",
    "job_outlook",
    "remote_work",
    "travel_required",
    "entry_salary",
    "mid_salary",
    "senior_salary",
    "duration",
    "hindi_name",
    "hindi_aliases",
    "hinglish",
    "prominence",
    "content_hash",
)

_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def first_sentence(description: str) -> str:
    """The sentence that says what the job is: the part of a description the model sees."""
    return _SENTENCE.split(description.strip(), maxsplit=1)[0]


def sentences(description: str) -> list[str]:
    """The description's sentences, split where first_sentence splits."""
    return [s for s in _SENTENCE.split(description.strip()) if s]


def embedding_text(career: Any) -> str:
    """Name, aliases, description, skills and interests: the only text the model sees.

    Only the description's first sentence (the one that says what the job is) goes in: the
    whole description doubles the tokens, halves encoding speed, and MiniLM's mean pooling
    dilutes the short, specific parts (skills, interests) that student queries match.
    """
    tags = [i for i in career.interests if len(i) > 1]
    parts = [
        career.name,
        ", ".join(career.aliases),
        first_sentence(career.description),
        "Skills: " + ", ".join(career.skills),
        "Interests: " + ", ".join(tags),
    ]
    return "\n".join(p for p in parts if p)


def career_document(career: Any, lookups: Lookups, embedding: Any) -> dict[str, Any]:
    """career: a catalogue row; embedding: a float32 array or a list of floats, written as is."""
    doc = {field: getattr(career, field) for field in PLAIN_FIELDS}
    doc["interests"] = [i for i in career.interests if len(i) > 1]
    doc["riasec"] = [i for i in career.interests if len(i) == 1]
    doc["exam_ids"] = list(career.entrance_exams)
    doc["exams"] = [n for e in career.entrance_exams for n in lookups.exam_names.get(e, [])]
    doc["institutions"] = [
        lookups.institution_names[i]
        for i in career.top_institutions
        if i in lookups.institution_names
    ]
    doc["embedding"] = embedding
    return doc
