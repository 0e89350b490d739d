"""The deployment files agree with the code.

docker-compose.yml, the Dockerfile and k8s/ are never run here (no docker engine, no cluster),
so they are parsed and checked against what the code expects: the service names and images,
the ports that match the local defaults in Settings, and above all that every CC_* variable
they set is a real field of `search_api.core.settings.Settings` (a renamed setting fails here).
"""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pydantic import AliasChoices

from search_api.core.opensearch import opensearch_hosts
from search_api.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
K8S_DIR = ROOT / "k8s"

OPENSEARCH_IMAGE = "opensearchproject/opensearch:2.19.1"
BACKING_SERVICES = ("opensearch", "postgres", "redis")
APP_SERVICES = ("api", "init", "sync")
ONE_SHOT_SERVICES = frozenset({"init"})
UNPREFIXED_URLS = frozenset({"DATABASE_URL", "REDIS_URL", "OPENSEARCH_URL"})
INIT_STEPS = (
    "alembic upgrade head",
    "careers-admin load data",
    "careers-admin reindex --if-missing",
)
COMPOSE_DEFAULT = re.compile(r"\$\{(?P<name>\w+)(?::?-(?P<default>[^}]*))?\}")


# --- helpers ----------------------------------------------------------------------------------


def settings_env_names() -> frozenset[str]:
    """Every environment variable name Settings reads (upper-case; Settings is case-insensitive)."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    names: set[str] = set()
    for field_name, field in Settings.model_fields.items():
        alias = field.validation_alias
        if isinstance(alias, AliasChoices):
            names.update(choice for choice in alias.choices if isinstance(choice, str))
        elif isinstance(alias, str):
            names.add(alias)
        else:
            names.add(f"{prefix}{field_name}")
    return frozenset(name.upper() for name in names)


def is_app_setting_name(name: str) -> bool:
    """Names that look like a Settings variable, and so must be one."""
    upper = name.upper()
    return upper.startswith("CC_") or upper in UNPREFIXED_URLS


def as_mapping(value: Any) -> dict[str, Any]:
    assert isinstance(value, dict), f"expected a mapping, got {value!r}"
    return value


def compose_environment(service: dict[str, Any]) -> dict[str, str]:
    """A compose service's `environment`, in either the mapping or the list form."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        pairs = (str(item).partition("=") for item in raw)
        return {key: value for key, _, value in pairs}
    return {str(key): "" if value is None else str(value) for key, value in as_mapping(raw).items()}


def resolve_compose_defaults(value: str) -> str:
    """`${NAME:-default}` -> default, as compose does when NAME is unset."""
    return COMPOSE_DEFAULT.sub(lambda match: match.group("default") or "", value)


def published_ports(service: dict[str, Any]) -> set[tuple[int, int]]:
    """(host, container) pairs from the short ("[ip:]host:container[/proto]") or long syntax."""
    pairs: set[tuple[int, int]] = set()
    for entry in service.get("ports") or []:
        if isinstance(entry, dict):
            pairs.add((int(entry["published"]), int(entry["target"])))
            continue
        parts = str(entry).split("/")[0].split(":")
        container = int(parts[-1])
        host = int(parts[-2]) if len(parts) >= 2 else container
        pairs.add((host, container))
    return pairs


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with comments dropped and line continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, arguments = (pending + stripped).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    return instructions


def k8s_documents() -> Iterator[tuple[Path, dict[str, Any]]]:
    for path in sorted(K8S_DIR.glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            for document in yaml.safe_load_all(handle):
                if document is not None:
                    yield path, as_mapping(document)


def k8s_find(kind: str, name: str) -> dict[str, Any]:
    for _, document in k8s_documents():
        if document.get("kind") == kind and document["metadata"]["name"] == name:
            return document
    raise AssertionError(f"no {kind} {name!r} in k8s/")


def k8s_find_kustomization() -> dict[str, Any]:
    for _, document in k8s_documents():
        if document.get("kind") == "Kustomization":
            return document
    raise AssertionError("no kustomization.yaml in k8s/")


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    """The pod template's spec of a Deployment, StatefulSet, Job or CronJob."""
    spec = workload["spec"]
    if workload["kind"] == "CronJob":
        spec = spec["jobTemplate"]["spec"]
    return as_mapping(spec["template"]["spec"])


def pod_containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    containers = pod_spec(workload)["containers"]
    assert isinstance(containers, list)
    return [as_mapping(container) for container in containers]


def container_environment(container: dict[str, Any]) -> dict[str, str]:
    """The variables a container sees: its envFrom ConfigMaps and Secrets, then its own env.

    Secrets are read from secret.example.yaml, which has the same keys as the real one.
    """
    environment: dict[str, str] = {}
    for source in container.get("envFrom") or []:
        if "configMapRef" in source:
            config_map = k8s_find("ConfigMap", source["configMapRef"]["name"])
            environment.update({k: str(v) for k, v in (config_map.get("data") or {}).items()})
        if "secretRef" in source:
            secret = k8s_find("Secret", source["secretRef"]["name"])
            environment.update({k: str(v) for k, v in (secret.get("stringData") or {}).items()})
    for variable in container.get("env") or []:
        environment[str(variable["name"])] = str(variable.get("value", ""))
    return environment


def settings_from(environment: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Settings:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return Settings(_env_file=None)


def image_name(image: str) -> str:
    """`registry/name:tag` -> `registry/name`."""
    return image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    with COMPOSE_FILE.open(encoding="utf-8") as handle:
        return as_mapping(yaml.safe_load(handle))


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: as_mapping(spec) for name, spec in as_mapping(compose["services"]).items()}


# --- docker-compose.yml -----------------------------------------------------------------------


def test_compose_has_the_six_services(services: dict[str, dict[str, Any]]) -> None:
    assert {*BACKING_SERVICES, *APP_SERVICES} <= set(services)


def test_compose_opensearch_is_the_official_single_node_image_without_security(
    services: dict[str, dict[str, Any]],
) -> None:
    opensearch = services["opensearch"]
    assert opensearch["image"] == OPENSEARCH_IMAGE
    environment = compose_environment(opensearch)
    assert environment["discovery.type"] == "single-node"
    assert environment["DISABLE_SECURITY_PLUGIN"].lower() == "true"
    assert environment["DISABLE_INSTALL_DEMO_CONFIG"].lower() == "true"


def test_compose_images_of_the_backing_services(services: dict[str, dict[str, Any]]) -> None:
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    for name in APP_SERVICES:
        assert "build" in services[name], f"{name} must be built from the Dockerfile"


@pytest.mark.parametrize(
    ("service", "host_port", "container_port"),
    [
        ("opensearch", 9200, 9200),
        ("postgres", 5433, 5432),
        ("redis", 6380, 6379),
        ("api", 8000, 8000),
    ],
)
def test_compose_ports(
    services: dict[str, dict[str, Any]], service: str, host_port: int, container_port: int
) -> None:
    assert (host_port, container_port) in published_ports(services[service])


def test_compose_host_ports_match_the_local_defaults_in_settings(
    services: dict[str, dict[str, Any]],
) -> None:
    """So the CLI and the tests on the host reach the containers with no settings at all."""
    fields = Settings.model_fields
    for service, field in (
        ("postgres", "database_url"),
        ("redis", "redis_url"),
        ("opensearch", "opensearch_url"),
    ):
        host_ports = {host for host, _ in published_ports(services[service])}
        default_port = urlsplit(str(fields[field].default)).port
        assert default_port in host_ports, f"{service}: {default_port} not in {host_ports}"


def test_compose_every_long_running_service_has_a_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    for name, spec in services.items():
        if name in ONE_SHOT_SERVICES:
            continue
        healthcheck = spec.get("healthcheck")
        assert healthcheck, f"{name} has no healthcheck"
        assert not healthcheck.get("disable"), f"{name} disables its healthcheck"
        assert healthcheck.get("test"), f"{name} healthcheck has no test"


def test_compose_healthcheck_commands(services: dict[str, dict[str, Any]]) -> None:
    def command(name: str) -> str:
        test = services[name]["healthcheck"]["test"]
        return " ".join(test) if isinstance(test, list) else str(test)

    assert "curl" in command("opensearch")
    assert "_cluster/health" in command("opensearch")
    assert "pg_isready -U careers" in command("postgres")
    assert "redis-cli ping" in " ".join(command("redis").split())
    assert "/health" in command("api")


def test_compose_api_waits_for_healthy_services_and_a_finished_init(
    services: dict[str, dict[str, Any]],
) -> None:
    depends_on = as_mapping(services["api"]["depends_on"])
    for name in BACKING_SERVICES:
        assert depends_on[name]["condition"] == "service_healthy"
    assert depends_on["init"]["condition"] == "service_completed_successfully"


def test_compose_init_is_one_shot_and_runs_migrate_load_reindex(
    services: dict[str, dict[str, Any]],
) -> None:
    init = services["init"]
    depends_on = as_mapping(init["depends_on"])
    for name in BACKING_SERVICES:
        assert depends_on[name]["condition"] == "service_healthy"
    command = init["command"]
    script = " ".join(command) if isinstance(command, list) else str(command)
    positions = [script.index(step) for step in INIT_STEPS]
    assert positions == sorted(positions)
    assert str(init.get("restart", "no")) == "no"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_env_names_are_settings_fields(
    services: dict[str, dict[str, Any]], service: str
) -> None:
    known = settings_env_names()
    environment = compose_environment(services[service])
    assert environment, f"{service} sets no environment"
    unknown = sorted(
        name for name in environment if is_app_setting_name(name) and name.upper() not in known
    )
    assert not unknown, f"{service} sets variables Settings does not read: {unknown}"


@pytest.mark.parametrize("service", APP_SERVICES)
def test_compose_app_env_builds_settings_with_in_network_urls(
    services: dict[str, dict[str, Any]], service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    environment = {
        name: resolve_compose_defaults(value)
        for name, value in compose_environment(services[service]).items()
    }
    settings = settings_from(environment, monkeypatch)
    assert settings.environment == "development"
    assert settings.database_url == "postgresql+psycopg://careers:careers@postgres:5432/careers"
    assert settings.opensearch_url == "http://opensearch:9200"
    assert settings.redis_url == "redis://redis:6379/0"


def test_compose_sync_worker_follows_the_outbox_after_init(
    services: dict[str, dict[str, Any]],
) -> None:
    sync = services["sync"]
    assert sync["command"] == ["careers-admin", "sync", "--follow"]
    depends_on = as_mapping(sync["depends_on"])
    for name in BACKING_SERVICES:
        assert depends_on[name]["condition"] == "service_healthy"
    assert depends_on["init"]["condition"] == "service_completed_successfully"
    assert sync["restart"] == "unless-stopped"
    assert not sync.get("ports"), "the sync worker serves nothing"


def test_compose_ports_are_bound_to_loopback(services: dict[str, dict[str, Any]]) -> None:
    """Security is off in this OpenSearch and the passwords are defaults: not on the LAN."""
    for name, spec in services.items():
        for entry in spec.get("ports") or []:
            assert isinstance(entry, str), f"{name}: use the short port syntax"
            assert entry.startswith("127.0.0.1:"), f"{name} publishes {entry} on every interface"


def test_compose_runs_the_sync_worker(services: dict[str, dict[str, Any]]) -> None:
    """Admin writes reach the index through the worker, as `make run` starts it."""
    worker = services["sync"]
    assert worker["command"] == ["careers-admin", "sync", "--follow"]
    heartbeat = compose_environment(worker)["CC_SYNC_HEARTBEAT_FILE"]
    assert heartbeat in " ".join(worker["healthcheck"]["test"])
    assert worker["depends_on"]["init"]["condition"] == "service_completed_successfully"


# --- Dockerfile -------------------------------------------------------------------------------


def test_dockerfile_cmd_serves_the_app_factory() -> None:
    commands = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert commands, "Dockerfile has no CMD"
    argv = json.loads(commands[-1])
    assert argv[0] == "uvicorn"
    assert "search_api.main:create_app" in argv
    assert "--factory" in argv
    assert argv[argv.index("--port") + 1] == "8000"

    # The target the image serves is importable and callable.
    (target,) = (arg for arg in argv if ":" in arg and not arg.startswith("-"))
    assert target == "search_api.main:create_app"
    module_name, _, factory = target.partition(":")
    assert callable(getattr(importlib.import_module(module_name), factory))


def test_dockerfile_base_user_port_healthcheck_and_offline_model() -> None:
    instructions = dockerfile_instructions()
    by_keyword: dict[str, list[str]] = {}
    for keyword, arguments in instructions:
        by_keyword.setdefault(keyword, []).append(arguments)

    assert by_keyword["FROM"] == ["python:3.11-slim"]
    assert "8000" in by_keyword["EXPOSE"]
    user = by_keyword["USER"][-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any("/health" in arguments for arguments in by_keyword["HEALTHCHECK"])
    environment = " ".join(by_keyword["ENV"])
    assert "HF_HUB_OFFLINE=1" in environment
    assert "TRANSFORMERS_OFFLINE=1" in environment
    # search_api.search.mapping finds mappings/ and data/ beside the package (__file__), so the
    # copied tree, not the site-packages copy, must be the one imported.
    assert by_keyword["WORKDIR"] == ["/app"]
    assert "PYTHONPATH=/app" in environment
    copied = " ".join(by_keyword["COPY"])
    for source in ("search_api/", "indexer/", "mappings/", "data/", "alembic.ini", "migrations/"):
        assert source in copied, f"Dockerfile does not copy {source}"
    assert any("pip install" in arguments for arguments in by_keyword["RUN"])


def test_dockerignore_keeps_local_state_out_of_the_image() -> None:
    ignored = set(DOCKERIGNORE.read_text(encoding="utf-8").split())
    assert {".venv", ".data", ".git", "scripts/opensearch/target"} <= ignored


# --- k8s/ -------------------------------------------------------------------------------------


def test_k8s_files_parse_and_name_their_kind() -> None:
    documents = list(k8s_documents())
    assert documents
    for path, document in documents:
        assert document.get("kind"), f"{path.name}: a document without kind"
        assert document.get("apiVersion"), f"{path.name}: a document without apiVersion"


def test_k8s_kustomization_lists_every_manifest_but_the_example_secret() -> None:
    kustomization = k8s_find_kustomization()
    listed = set(kustomization["resources"])
    manifests = {
        path.name
        for path in K8S_DIR.glob("*.yaml")
        if path.name not in {"kustomization.yaml", "secret.example.yaml"}
    }
    assert listed == manifests
    assert "secret.example.yaml" not in listed


APP_WORKLOADS = [
    ("Deployment", "api"),
    ("Job", "careers-init"),
    ("Deployment", "sync-worker"),
    ("CronJob", "careers-reindex"),
]


@pytest.mark.parametrize(("kind", "name"), APP_WORKLOADS)
def test_k8s_app_env_and_configmap_keys_are_settings_fields(kind: str, name: str) -> None:
    known = settings_env_names()
    for container in pod_containers(k8s_find(kind, name)):
        environment = container_environment(container)
        assert environment, f"{kind} {name} gets no settings"
        unknown = sorted(
            key for key in environment if is_app_setting_name(key) and key.upper() not in known
        )
        assert not unknown, f"{kind} {name} sets variables Settings does not read: {unknown}"


def test_k8s_configmap_keys_are_settings_fields() -> None:
    known = settings_env_names()
    for _, document in k8s_documents():
        if document.get("kind") != "ConfigMap":
            continue
        for key in document.get("data") or {}:
            assert key.upper() in known, f"ConfigMap key {key} is not a Settings field"


def test_k8s_api_env_builds_production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    (container,) = pod_containers(k8s_find("Deployment", "api"))
    settings = settings_from(container_environment(container), monkeypatch)
    assert settings.environment == "production"
    # Every pod of the OpenSearch StatefulSet, by its stable name behind the headless Service.
    assert opensearch_hosts(settings.opensearch_url) == [
        f"http://opensearch-{i}.opensearch-headless:9200" for i in range(3)
    ]
    assert (settings.opensearch_shards, settings.opensearch_replicas) == (3, 1)
    assert settings.redis_url == "redis://redis:6379/0"
    assert "@postgres:5432/" in settings.database_url
    assert container_environment(container)["PROMETHEUS_MULTIPROC_DIR"]


def test_k8s_sync_worker_follows_the_outbox(monkeypatch: pytest.MonkeyPatch) -> None:
    (container,) = pod_containers(k8s_find("Deployment", "sync-worker"))
    assert container["command"] == ["careers-admin", "sync", "--follow"]
    settings = settings_from(container_environment(container), monkeypatch)
    assert settings.sync_heartbeat_file
    assert settings.sync_heartbeat_file in " ".join(container["livenessProbe"]["exec"]["command"])
    assert settings.environment == "production"
    assert "@postgres:5432/" in settings.database_url


def test_k8s_api_is_scaled_by_a_horizontal_pod_autoscaler() -> None:
    deployment = k8s_find("Deployment", "api")
    # The HPA owns the count; a fixed one here would be reset by every apply.
    assert "replicas" not in deployment["spec"]
    hpa = k8s_find("HorizontalPodAutoscaler", "api")
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", "api")
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    # Utilization is relative to the request, so the container must request CPU.
    (container,) = pod_containers(deployment)
    assert container["resources"]["requests"]["cpu"]


def test_k8s_api_pods_are_scraped_and_share_a_metrics_directory() -> None:
    deployment = k8s_find("Deployment", "api")
    annotations = deployment["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/scrape"] == "true"
    assert annotations["prometheus.io/path"] == "/metrics"
    (container,) = pod_containers(deployment)
    directory = container_environment(container)["PROMETHEUS_MULTIPROC_DIR"]
    (mount,) = [m for m in container["volumeMounts"] if m["mountPath"] == directory]
    volumes = {v["name"]: v for v in pod_spec(deployment)["volumes"]}
    assert "emptyDir" in volumes[mount["name"]]


def test_k8s_sync_worker_and_nightly_reindex() -> None:
    (sync,) = pod_containers(k8s_find("Deployment", "sync-worker"))
    assert sync["command"] == ["careers-admin", "sync", "--follow"]
    cronjob = k8s_find("CronJob", "careers-reindex")
    (reindex,) = pod_containers(cronjob)
    assert reindex["command"] == ["careers-admin", "reindex"]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    assert len(cronjob["spec"]["schedule"].split()) == 5
    assert pod_spec(cronjob)["restartPolicy"] in {"Never", "OnFailure"}


def test_k8s_manifests_pass_the_offline_schema_check() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_k8s.py")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "valid for Kubernetes" in result.stdout


def test_k8s_api_deployment_probes_and_resources() -> None:
    deployment = k8s_find("Deployment", "api")
    (container,) = pod_containers(deployment)
    assert container["readinessProbe"]["httpGet"]["path"] == "/health"
    assert "livenessProbe" in container
    assert container["resources"]["requests"]
    assert container["resources"]["limits"]
    assert {port["containerPort"] for port in container["ports"]} == {8000}


def test_k8s_app_image_is_the_one_kustomization_and_compose_name(
    services: dict[str, dict[str, Any]],
) -> None:
    names = {image["name"] for image in k8s_find_kustomization().get("images") or []}
    compose_name = image_name(str(services["api"]["image"]))
    for kind, name in APP_WORKLOADS:
        (container,) = pod_containers(k8s_find(kind, name))
        assert image_name(str(container["image"])) in names
        assert image_name(str(container["image"])) == compose_name


def test_k8s_opensearch_is_a_three_node_cluster_of_the_compose_image(
    services: dict[str, dict[str, Any]],
) -> None:
    statefulset = k8s_find("StatefulSet", "opensearch")
    spec = statefulset["spec"]
    assert spec["replicas"] == 3
    assert spec["volumeClaimTemplates"]
    # The first election needs every pod up: they must not wait for each other to be ready.
    assert spec["podManagementPolicy"] == "Parallel"
    (container,) = pod_containers(statefulset)
    assert container["image"] == services["opensearch"]["image"] == OPENSEARCH_IMAGE
    env = {variable["name"]: variable for variable in container["env"]}
    values = {name: str(variable.get("value", "")) for name, variable in env.items()}
    assert "discovery.type" not in values, "single-node discovery cannot form a cluster"
    assert env["node.name"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"
    pods = [f"opensearch-{i}" for i in range(spec["replicas"])]
    headless = spec["serviceName"]
    assert values["discovery.seed_hosts"].split(",") == [f"{pod}.{headless}" for pod in pods]
    assert values["cluster.initial_cluster_manager_nodes"].split(",") == pods
    assert set(values["node.roles"].split(",")) >= {"cluster_manager", "data"}
    # Same security switches as the compose node.
    compose_env = compose_environment(services["opensearch"])
    for name in ("DISABLE_SECURITY_PLUGIN", "DISABLE_INSTALL_DEMO_CONFIG"):
        assert values[name] == compose_env[name]
    assert container["resources"]["requests"]
    assert {p["containerPort"] for p in container["ports"]} == {9200, 9300}
    init_commands = [" ".join(init["command"]) for init in pod_spec(statefulset)["initContainers"]]
    assert any("vm.max_map_count" in command for command in init_commands)


def test_k8s_opensearch_spreads_over_machines_and_survives_a_drain() -> None:
    statefulset = k8s_find("StatefulSet", "opensearch")
    labels = statefulset["spec"]["selector"]["matchLabels"]
    anti = pod_spec(statefulset)["affinity"]["podAntiAffinity"]
    (rule,) = anti["requiredDuringSchedulingIgnoredDuringExecution"]
    assert rule["topologyKey"] == "kubernetes.io/hostname"
    assert rule["labelSelector"]["matchLabels"] == labels
    pdb = k8s_find("PodDisruptionBudget", "opensearch")
    assert pdb["spec"]["selector"]["matchLabels"] == labels
    assert pdb["spec"]["maxUnavailable"] == 1
    headless = k8s_find("Service", statefulset["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    assert headless["spec"]["publishNotReadyAddresses"] is True
    assert {p["port"] for p in headless["spec"]["ports"]} == {9200, 9300}


def test_k8s_images_of_the_backing_services() -> None:
    images = {
        name: pod_containers(k8s_find(kind, name))[0]["image"]
        for kind, name in (("StatefulSet", "postgres"), ("Deployment", "redis"))
    }
    assert images == {"postgres": "postgres:15", "redis": "redis:7"}


def test_env_example_documents_every_setting() -> None:
    documented = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    }
    missing = sorted(f"CC_{name.upper()}" for name in Settings.model_fields)
    missing = [name for name in missing if name not in documented]
    assert not missing, f".env.example does not document {missing}"
