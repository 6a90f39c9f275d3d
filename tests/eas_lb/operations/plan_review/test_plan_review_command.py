"""The plan-review command: options, exit codes, and planning synthesized stacks with terraform."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.plan_review.command import stack_name_for
from tests.support.paths import REPO_ROOT
from tests.support.plan_builders import change, l7_rip, l7_vip, plan

REPO = REPO_ROOT


def run_review(*arguments: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eas_lb.operations.plan_review", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def write(path: Path, document: dict[str, Any]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.fixture
def replace_plan(tmp_path: Path) -> Path:
    return write(
        tmp_path / "site-pair1-lb.json",
        plan(
            [
                change(
                    "lborg_layer7_vip.pool",
                    ["delete", "create"],
                    l7_vip("MGMT_A"),
                    l7_vip("MGMT_B"),
                    replace_paths=[["label"]],
                )
            ]
        ),
    )


def test_review_goes_to_stdout_and_exit_is_zero_without_gates(replace_plan: Path) -> None:
    result = run_review("--plan", str(replace_plan))
    assert result.returncode == 0, result.stderr
    assert "stack `site-pair1-lb`" in result.stdout
    assert "VIP re-created" in result.stdout


def test_fail_on_replace_exits_2_and_still_writes_the_review(replace_plan: Path, tmp_path: Path) -> None:
    out, full = tmp_path / "review.md", tmp_path / "review-full.md"
    arguments = ["--out", str(out), "--full-out", str(full), "--max-chars", "740"]
    result = run_review("--plan", str(replace_plan), *arguments, "--fail-on", "destroy,replace")
    assert result.returncode == 2
    assert "would be replaced: site-pair1-lb: lborg_layer7_vip.pool" in result.stderr
    assert "VIP re-created" in out.read_text(encoding="utf-8")
    assert len(out.read_text(encoding="utf-8")) <= 740 < len(full.read_text(encoding="utf-8"))
    assert "<details>" in full.read_text(encoding="utf-8")


def test_json_is_the_review_a_script_reads(replace_plan: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.md"
    result = run_review("--plan", str(replace_plan), "--json", "--out", str(out), "--fail-on", "replace")
    assert result.returncode == 2, result.stderr
    review = json.loads(result.stdout)
    assert review["stacks"] == ["site-pair1-lb"]
    assert review["counts"] == {"add": 0, "change": 0, "replace": 1, "destroy": 0, "adopt": 0}
    (replaced,) = review["changes"]
    assert (replaced["address"], replaced["action"]) == ("lborg_layer7_vip.pool", "replace")
    assert {"name": "label", "before": "MGMT_A", "after": "MGMT_B"} in replaced["attributes"]
    assert [risk["kind"] for risk in review["risks"]] == ["traffic interruption"]
    assert review["gates_tripped"] and "would be replaced" in review["gates_tripped"][0]
    assert "VIP re-created" in out.read_text(encoding="utf-8")  # the markdown, beside


def test_fail_on_destroy_alone_does_not_trip_on_a_replacement(replace_plan: Path) -> None:
    assert (
        run_review("--plan", str(replace_plan), "--fail-on", "destroy", "--fail-on", "drift").returncode == 0
    )


def test_unknown_gate_is_a_clear_error(replace_plan: Path) -> None:
    result = run_review("--plan", str(replace_plan), "--fail-on", "explode")
    assert result.returncode == 1
    assert "--fail-on: unknown 'explode' (expected replace, destroy, drift)" in result.stderr


def test_missing_plan_file_names_it(tmp_path: Path) -> None:
    result = run_review("--plan", str(tmp_path / "nope.json"))
    assert result.returncode == 1
    assert "nope.json: cannot read the plan file" in result.stderr
    assert "Traceback" not in result.stderr


def test_several_plans_make_one_review_with_named_stacks(tmp_path: Path) -> None:
    rip = l7_rip("MGMT_A", "EAS_SSS-1", "10.0.0.1")
    first = write(
        tmp_path / "a" / "plan.json", plan([change("lborg_layer7_real_server.r", ["create"], None, rip)])
    )
    second = write(tmp_path / "b.json", plan([change("lborg_layer7_real_server.r", ["delete"], rip, None)]))
    result = run_review("--plan", str(first), "--plan", f"other-stack={second}")
    assert result.returncode == 0, result.stderr
    assert "**2 stacks** (`a`, `other-stack`)" in result.stdout
    assert "1 to add, 0 to change, 0 to replace, 1 to destroy" in result.stdout


def test_stack_names_from_arguments() -> None:
    assert stack_name_for("x-lb=some/where/plan.json") == ("x-lb", Path("some/where/plan.json"))
    assert stack_name_for("out/site-pair1-lb.json") == ("site-pair1-lb", Path("out/site-pair1-lb.json"))


def test_no_synthesized_stacks_says_run_synth(tmp_path: Path) -> None:
    result = run_review("--synth-dir", str(tmp_path / "cdktf.out"))
    assert result.returncode == 1
    assert "run 'cdktf synth' first" in result.stderr


def _stack(root: Path, name: str, resources: dict[str, Any]) -> None:
    """A synthesized stack using only Terraform's built-in provider (plans offline)."""
    document = {"resource": {"terraform_data": resources}}
    write(root / "stacks" / name / "cdk.tf.json", document)


@pytest.mark.slow
def test_plans_every_synthesized_stack_with_terraform(tmp_path: Path) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    synth = tmp_path / "cdktf.out"
    _stack(synth, "site-pair1-lb", {"pool": {"input": {"sticky": 2100}}})
    _stack(synth, "site-pair2-lb", {"one": {"input": "x"}, "two": {"input": "y"}})
    plans = tmp_path / "plans"
    result = run_review(
        "--synth-dir", str(synth), "--out", str(tmp_path / "review.md"), "--plans-dir", str(plans)
    )
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "review.md").read_text(encoding="utf-8")
    assert "**2 stacks** (`site-pair1-lb`, `site-pair2-lb`)" in text
    assert "3 to add, 0 to change, 0 to replace, 0 to destroy" in text
    assert "terraform_data.two added" in text
    manifest = json.loads((plans / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["stacks"]) == ["site-pair1-lb", "site-pair2-lb"]
    assert manifest["stacks"]["site-pair2-lb"]["plan_sha256"] in text  # the review's digests section
    only = run_review("--synth-dir", str(synth), "--stack", "site-pair2-lb", "--plans-dir", str(plans))
    assert only.returncode == 0 and "**1 stack** (`site-pair2-lb`)" in only.stdout
    assert sorted(path.name for path in plans.glob("*.tfplan")) == ["site-pair2-lb.tfplan"]


@pytest.mark.slow
def test_a_stack_that_cannot_be_planned_is_named_and_the_others_still_reviewed(tmp_path: Path) -> None:
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not on PATH")
    synth = tmp_path / "cdktf.out"
    write(synth / "stacks" / "broken-vms" / "cdk.tf.json", {"resource": {"no_such_thing": {"x": {}}}})
    _stack(synth, "site-pair1-lb", {"pool": {"input": "x"}})
    out, plans = tmp_path / "review.md", tmp_path / "plans"
    result = run_review("--synth-dir", str(synth), "--out", str(out), "--plans-dir", str(plans))
    assert result.returncode == 1
    assert sorted(path.name for path in plans.glob("*.tfplan")) == ["site-pair1-lb.tfplan"]  # none for broken
    assert "stack broken-vms: 'terraform init -input=false -no-color' failed" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "### ⚠ Stacks that could not be planned" in text
    assert "- `broken-vms`: stack broken-vms: 'terraform init -input=false -no-color' failed" in text
    assert "**2 stacks** (`broken-vms`, `site-pair1-lb`)" in text and "**1 not planned**" in text
    assert "**Risk:** ⚠ unknown for 1 stack that could not be planned (`broken-vms`)" in text
    assert "no interrupting change found." not in text
    assert "terraform_data.pool added" in text
    assert "No changes" not in text
