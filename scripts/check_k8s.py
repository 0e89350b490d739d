"""Schema check of k8s/*.yaml, offline: `make lint` runs it.

kubeconform fetches its schemas from GitHub at run time; the kubernetes-validate package from
PyPI bundles the Kubernetes OpenAPI schemas (1.25 onwards) instead, so this needs no network.
Every document is validated strictly (unknown fields are errors) against the oldest Kubernetes
version the manifests promise to support and the newest bundled one. A kind without a schema is
an error too, except the Kustomization (a kustomize file, not an API object).

usage: python scripts/check_k8s.py [FILE ...]     (default: k8s/*.yaml)
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[1]
# CronJob.spec.timeZone is GA from 1.27: the oldest version the manifests are valid for.
OLDEST_SUPPORTED = "1.27.0"
NOT_API_OBJECTS = frozenset({"Kustomization"})


def documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc is not None]


def check(paths: list[Path], versions: list[str]) -> list[str]:
    problems: list[str] = []
    for path in paths:
        for document in documents(path):
            kind = str(document.get("kind", "?"))
            name = str((document.get("metadata") or {}).get("name", "?"))
            if kind in NOT_API_OBJECTS:
                continue
            for version in versions:
                try:
                    kubernetes_validate.validate(document, version, strict=True)
                except kubernetes_validate.ValidationError as exc:
                    where = ".".join(str(part) for part in exc.path) or "(top level)"
                    problems.append(
                        f"{path}: {kind}/{name} (k8s {version}): {where}: {exc.message}"
                    )
                except kubernetes_validate.SchemaNotFoundError:
                    problems.append(f"{path}: {kind}/{name}: no schema in Kubernetes {version}")
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted((ROOT / "k8s").glob("*.yaml"))
    versions = [OLDEST_SUPPORTED, kubernetes_validate.latest_version()]
    problems = check(paths, versions)
    for problem in problems:
        print(problem, file=sys.stderr)
    count = sum(len(documents(path)) for path in paths)
    if problems:
        print(f"check_k8s: {len(problems)} problem(s) in {len(paths)} file(s)", file=sys.stderr)
        return 1
    print(
        f"check_k8s: {count} documents in {len(paths)} files valid for Kubernetes "
        f"{' and '.join(versions)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
