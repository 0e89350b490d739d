"""The capacity bench's own logic and guards, and scripts/serve's worker setting."""

from __future__ import annotations

import functools
import importlib.util
import os
import random
import subprocess
import sys
from types import ModuleType

import pytest

from tests.fixtures.services import ROOT

BENCH = ROOT / "scripts" / "bench_capacity.py"


@functools.cache
def bench() -> ModuleType:
    """scripts/ is not a package: load the script as a module (dataclasses need it listed)."""
    spec = importlib.util.spec_from_file_location("bench_capacity", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_capacity"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("seed", range(20))
def test_a_typo_changes_exactly_one_word(seed: int) -> None:
    text = "chartered accountant in mumbai"
    typed = bench().with_typo(text, random.Random(seed))
    changed = [a != b for a, b in zip(text.split(), typed.split(), strict=True)]
    assert changed.count(True) == 1


def test_a_query_without_long_words_is_left_alone() -> None:
    assert bench().with_typo("BSc IT", random.Random(1)) == "BSc IT"


def test_bench_refuses_a_host_other_than_localhost() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--url", "http://10.1.2.3:8000"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert (done.returncode, "only 127.0.0.1 may be loaded" in done.stderr) == (1, True)


def test_bench_refuses_an_unbounded_level() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--url", "http://127.0.0.1:1", "--duration", "3600"],
        capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert (done.returncode, "--duration 1..600 s" in done.stderr) == (1, True)


def test_serve_refuses_a_worker_count_that_is_not_a_number() -> None:
    done = subprocess.run(
        [str(ROOT / "scripts" / "serve")],
        capture_output=True, text=True, cwd=ROOT, timeout=30, check=False,
        env={**os.environ, "CC_API_WORKERS": "lots"},
    )  # fmt: skip
    assert (done.returncode, done.stderr.strip()) == (
        1,
        "serve: CC_API_WORKERS must be a number or auto, not 'lots'",
    )


def test_percentiles_are_nearest_rank_and_empty_is_not_fast() -> None:
    # bench() put scripts/ on sys.path (bench_capacity imports loadgen from there)
    bench()
    percentile = importlib.import_module("loadgen").percentile

    samples = [float(n) for n in range(1, 101)]
    assert percentile(samples, 50) == 51.0
    assert percentile(samples, 95) == 95.0
    assert percentile(samples, 100) == 100.0
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) != percentile([], 50)  # NaN: an empty level never reads as 0 ms
