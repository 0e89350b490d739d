"""The CI entry points agree, and the bootstrap says clearly when it cannot install.

.github/workflows/ci.yml cannot run here (no GitHub runner), so it is parsed and its steps
compared with .ci/run. The bootstrap's refusal paths run for real, with a PATH that lacks
what it looks for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CI_RUN = ROOT / ".ci" / "run"
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
BOOTSTRAP = ROOT / "scripts" / "bootstrap"
MAKEFILE = ROOT / "Makefile"

# The project's own steps: the bootstrap script and make targets. Anything else in a step
# (installing git for actions/checkout, echoing timings) is plumbing of that runner.
PROJECT_COMMAND = re.compile(r"^(?:bash\s+)?(?:\./)?(scripts/bootstrap\b.*|make\s+[\w-]+.*)$")


def project_commands(script: str) -> list[str]:
    commands = []
    for raw in script.splitlines():
        line = raw.split("#", 1)[0].strip()
        match = PROJECT_COMMAND.match(line)
        if match:
            commands.append(" ".join(match.group(1).split()))
    return commands


def workflow() -> dict[Any, Any]:
    loaded = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def workflow_commands() -> list[str]:
    (job,) = workflow()["jobs"].values()
    commands: list[str] = []
    for step in job["steps"]:
        commands.extend(project_commands(str(step.get("run", ""))))
    return commands


def test_ci_run_bootstraps_then_lints_then_tests() -> None:
    commands = project_commands(CI_RUN.read_text(encoding="utf-8"))
    assert commands == [
        "scripts/bootstrap",
        "make lint",
        "make test",
        "make test-faults",
        "make test-cluster",
    ]


def test_workflow_calls_the_same_commands_as_ci_run() -> None:
    assert workflow_commands() == project_commands(CI_RUN.read_text(encoding="utf-8"))


def test_workflow_triggers_runs_as_root_on_debian_and_checks_out() -> None:
    document = workflow()
    # PyYAML reads the bare key `on` as the boolean True (YAML 1.1).
    triggers = document["on"] if "on" in document else document[True]
    assert {"push", "pull_request"} <= set(triggers)
    (job,) = document["jobs"].values()
    # The bootstrap uses apt-get as root: a Debian container, not the runner's own user.
    assert str(job["container"]).startswith("debian:")
    assert int(job["timeout-minutes"]) <= 90
    uses = [str(step["uses"]) for step in job["steps"] if "uses" in step]
    assert any(name.startswith("actions/checkout@") for name in uses)
    # Checkout must come before the first project command.
    steps = job["steps"]
    checkout = next(
        i for i, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/checkout")
    )
    first = next(i for i, s in enumerate(steps) if project_commands(str(s.get("run", ""))))
    assert checkout < first


def test_make_run_and_make_test_reach_the_bootstrap() -> None:
    """`make -n` prints the recipe lines a target would run, prerequisites included."""
    for target, profile in (("run", "run"), ("test", "test"), ("services", "run")):
        dry = subprocess.run(
            ["make", "-n", "-C", str(ROOT), target],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "MAKEFLAGS": ""},
        ).stdout
        assert f"scripts/bootstrap --for {profile}" in dry, f"make {target} skips the bootstrap"


def bare_path(tmp_path: Path, *tools: str) -> str:
    """A PATH holding bash and the named tools only."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", *tools):
        found = shutil.which(tool)
        assert found, f"{tool} is not installed"
        (bin_dir / tool).symlink_to(found)
    bin_dir.chmod(0o755)
    tmp_path.chmod(0o755)
    return str(bin_dir)


def run_bootstrap(
    path: str, *args: str, user: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [str(BOOTSTRAP), *args]
    if user:
        runuser = shutil.which("runuser")
        assert runuser, "runuser (util-linux) is not installed"
        command = [runuser, "-u", user, "--", "/usr/bin/env", f"PATH={path}", *command]
    return subprocess.run(
        command, capture_output=True, text=True, env={"PATH": path}, timeout=60, check=False
    )


def test_bootstrap_without_apt_get_says_so_in_one_line(tmp_path: Path) -> None:
    result = run_bootstrap(bare_path(tmp_path))
    assert result.returncode == 1
    output = (result.stdout + result.stderr).strip().splitlines()
    assert len(output) == 1, output
    (line,) = output
    assert line.startswith("bootstrap: cannot install ")
    assert "no apt-get" in line
    for package in ("openjdk-17-jdk-headless", "maven", "redis-server", "curl", "chromium"):
        assert package in line


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory another user can enter (pytest's tmp_path is private to root)."""
    with tempfile.TemporaryDirectory(prefix="cc-bootstrap-") as name:
        yield Path(name)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run the script as another user")
def test_bootstrap_as_a_user_without_sudo_says_so_in_one_line(shared_dir: Path) -> None:
    result = run_bootstrap(bare_path(shared_dir, "apt-get"), "--for", "run", user="nobody")
    assert result.returncode == 1
    output = (result.stdout + result.stderr).strip().splitlines()
    assert len(output) == 1, output
    (line,) = output
    assert "not root and no usable sudo" in line
    assert "apt-get install -y" in line
    # --for run leaves the browser out.
    assert "chromium" not in line


def test_bootstrap_check_lists_what_is_missing_and_installs_nothing(tmp_path: Path) -> None:
    result = run_bootstrap(bare_path(tmp_path, "apt-get"), "--check")
    assert result.returncode == 1
    assert result.stdout.startswith("bootstrap: missing ")
    assert "maven" in result.stdout
    assert "installing" not in result.stdout + result.stderr


def test_bootstrap_rejects_an_unknown_profile() -> None:
    result = run_bootstrap(os.environ["PATH"], "--for", "prod")
    assert result.returncode == 64
    assert "run or test" in result.stderr
