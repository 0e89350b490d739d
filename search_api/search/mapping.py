"""The careers index definition: mappings/careers.json plus the synonyms from data/.

Synonyms are sent inline when an index is created (not as a file in the node's config dir) so
the local node, docker-compose and k8s all run exactly the same analysis.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MAPPING_PATH = PROJECT_ROOT / "mappings" / "careers.json"
SYNONYMS_PATH = PROJECT_ROOT / "data" / "synonyms.txt"


def read_synonyms(path: Path = SYNONYMS_PATH) -> list[str]:
    """Solr-format rules, one per line; blank lines and # comments are skipped."""
    if not path.exists():
        return []
    rules = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            rules.append(line)
    return rules


@lru_cache(maxsize=4)
def _base(mapping_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(mapping_path.read_text(encoding="utf-8"))
    return loaded


def careers_index_body(
    synonyms: list[str] | None = None,
    mapping_path: Path = MAPPING_PATH,
    *,
    shards: int | None = None,
    replicas: int | None = None,
) -> dict[str, Any]:
    """The create-index body. shards / replicas (Settings.opensearch_shards / _replicas)
    replace the mapping file's 1 / 0 when given."""
    body = copy.deepcopy(_base(mapping_path))
    rules = read_synonyms() if synonyms is None else synonyms
    body["settings"]["analysis"]["filter"]["cc_synonyms"]["synonyms"] = rules
    if shards is not None:
        body["settings"]["index"]["number_of_shards"] = shards
    if replicas is not None:
        body["settings"]["index"]["number_of_replicas"] = replicas
    return body


def embedding_dimensions(mapping_path: Path = MAPPING_PATH) -> int:
    return int(_base(mapping_path)["mappings"]["properties"]["embedding"]["dimension"])
