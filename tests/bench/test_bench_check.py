"""The check benchmark runs at a tiny size, and the table laid out by hand prints what rich printed
for each of its inputs (the benchmark stops on any difference). It asserts no timing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow


def test_bench_check_runs_and_both_renderers_print_the_same_text() -> None:
    result = subprocess.run(
        [sys.executable, "bench/bench_check.py", "--pools", "100", "--corpus", "20", "--runs", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "100-pool file" in result.stdout
    assert "20 fuzzed files, one process" in result.stdout
