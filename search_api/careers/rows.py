"""Turning validated records into table rows, and fingerprinting them to detect changes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from search_api.careers.records import CareerRecord, CategoryRecord, ExamRecord, InstitutionRecord


def _digest(payload: Any) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def career_hash(
    record: CareerRecord, exam_names: Mapping[str, str], institution_names: Mapping[str, str]
) -> str:
    """Changes when the career or the name of anything it links to changes.

    Indexed documents carry exam and institution names, so renaming an exam must re-index the
    careers that list it.
    """
    return _digest(
        {
            "career": record.model_dump(mode="json"),
            "exams": [exam_names.get(e, "") for e in record.entrance_exams],
            "institutions": [institution_names.get(i, "") for i in record.top_institutions],
        }
    )


def career_values(record: CareerRecord, content_hash: str) -> dict[str, Any]:
    return {**record.model_dump(mode="json"), "content_hash": content_hash}


def exam_values(record: ExamRecord) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    return {**data, "content_hash": _digest(data)}


def category_values(record: CategoryRecord) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    return {**data, "content_hash": _digest(data)}


def institution_values(record: InstitutionRecord) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    return {**data, "content_hash": _digest(data)}
