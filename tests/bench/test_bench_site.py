"""The site benchmark runs end to end at a tiny size (2 pools, 2 pairs for synth): its phases, its
counters and its tables. It asserts no timing: figures come from running it at full size."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.support.paths import REPO_ROOT

pytestmark = pytest.mark.slow
ROOT = REPO_ROOT


def _row(output: str, title: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(f"| {title} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_bench_site_runs_at_two_pools() -> None:
    if shutil.which("terraform") is None or shutil.which("haproxy") is None:
        pytest.fail("terraform and haproxy are needed: run `make setup`")
    result = subprocess.run(
        [
            sys.executable,
            "bench/bench_site.py",
            "--pools",
            "2",
            "--subnet-base",
            "100",
            "--synth-pairs",
            "2",
            "--synth-pools",
            "2",
            "--synth-runs",
            "1",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout
    assert "2 pools, 16 resources" in output  # 4 per pool + 8 per pair
    # | phase | lborg | floor_item | ratio | terraform_data | API requests | write actions | reloads |
    apply = _row(output, "apply from empty")
    assert int(apply[6]) > 0 and apply[7].split("/")[:2] == ["1", "1"]
    reapply = _row(output, "re-apply (no change)")
    assert reapply[6] == "0" and reapply[7] == "0/0/0"
    assert _row(output, "plan (refresh, no change)")[6] == "0"
    assert _row(output, "destroy")[6] != "0"
    assert "provider peak RSS: lborg" in output
    # Where the time goes: every lborg provider process reported its CPU and its wait on the
    # appliance; the apply waited on the appliance, and the simulator worked.
    breakdown = output.split("Where the time goes, 2 pools", 1)[1]
    applied = _row(breakdown, "apply from empty")
    processes, floor_processes = (int(side.partition("(")[2].rstrip(")")) for side in applied[4].split(" / "))
    assert processes >= 2, applied
    # The floor mirrors the stack's graph with its two provider configurations: Terraform starts as
    # many floor providers as lborg ones, so the ratio is not the cost of a second configuration.
    assert floor_processes == processes, applied
    wait, busy = float(applied[5]), float(applied[6])
    assert wait > 0 and busy > 0, applied
    assert _row(output, "empty cdktf stack")[2] == "1.00x"
    assert "2 pairs x 2 pools" in output
