"""The careers index definition: mappings/careers.json plus the catalogue's synonyms.

Synonyms are sent inline when an index is created (not as a file in the node's config dir) so
the local node, docker-compose and k8s all run exactly the same analysis. Both paths come from
the settings, so another catalogue (CC_DATA_DIR) brings its own synonyms.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from search_api.core.settings import Settings


def read_synonyms(path: Path) -> list[str]:
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
    mapping_path: Path,
    synonyms: list[str],
    *,
    shards: int | None = None,
    replicas: int | None = None,
) -> dict[str, Any]:
    """The create-index body. shards / replicas (Settings.opensearch_shards / _replicas)
    replace the mapping file's 1 / 0 when given."""
    body = copy.deepcopy(_base(mapping_path))
    body["settings"]["analysis"]["filter"]["cc_synonyms"]["synonyms"] = synonyms
    if shards is not None:
        body["settings"]["index"]["number_of_shards"] = shards
    if replicas is not None:
        body["settings"]["index"]["number_of_replicas"] = replicas
    return body


def index_body_for(settings: Settings) -> dict[str, Any]:
    """The body every new careers index is created with, under these settings."""
    return careers_index_body(
        Path(settings.mappings_file),
        read_synonyms(Path(settings.data_dir) / "synonyms.txt"),
        shards=settings.opensearch_shards,
        replicas=settings.opensearch_replicas,
    )
