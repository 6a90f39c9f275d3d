"""The reviewed plans without Terraform: the manifest, the review's digests section, a refused
review removing the previous one, what `deploy --reviewed` compares and how it names differences."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.commands.reviewed_deploy import (
    StackToApply,
    _config_refusal,
    review_again_command,
    stacks_to_apply,
)
from eas_lb.operations.plan_review import cli, command
from eas_lb.operations.plans import saved_plans
from eas_lb.operations.plans.plan_compare import configuration_differences, plan_differences
from lborg_support.command_line import parse_options


def _plan_zip(
    path: Path, *, lineage: str = "L", serial: int = 3, config: dict[str, Any] | None = None
) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tfplan", b"\x00plan")
        archive.writestr("tfstate", json.dumps({"lineage": lineage, "serial": serial}))
        archive.writestr("tfconfig/m-/cdk.tf.json", json.dumps(config or {}))
    return path


def _config(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "//": {"metadata": {"version": "0.21.0"}},
        "resource": {
            "lborg_layer7_vip": {"v_1": {**body, "//": {"metadata": {"path": "s/pair1/lb1/MGMT_A/vip"}}}}
        },
    }


def test_manifest_round_trip_private_files_and_the_review_section(tmp_path: Path) -> None:
    stack_dir = tmp_path / "stack"
    stack_dir.mkdir()
    (stack_dir / "cdk.tf.json").write_text("{}", encoding="utf-8")
    plan = _plan_zip(stack_dir / "plan.review.tfplan")
    plans = tmp_path / "reviewed-plans"
    kept = saved_plans.keep_plan(plans, "s-pair1-lb", plan, stack_dir / "cdk.tf.json")
    manifest = saved_plans.write_manifest(plans, [kept])
    assert (plans / "s-pair1-lb.tfplan").read_bytes() == plan.read_bytes()
    assert {oct(p.stat().st_mode & 0o777) for p in plans.iterdir()} == {"0o600"}
    assert (plans / ".gitignore").read_text().endswith("*\n")
    assert saved_plans.read_manifest(plans) == manifest
    assert kept.config_sha256 == "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"  # "{}"
    section = saved_plans.review_section(manifest, Path("reviewed-plans"))
    assert f"| `s-pair1-lb` | `{kept.plan_sha256}` | `{kept.config_sha256}` |" in section
    assert saved_plans.planned_from(plans / "s-pair1-lb.tfplan") == ("L", 3)
    (plans / "notes.txt").write_text("mine")
    assert saved_plans.clear(plans)
    assert sorted(p.name for p in plans.iterdir()) == [".gitignore", "notes.txt"]
    with pytest.raises(saved_plans.ReviewedPlansError, match=r"manifest\.json is missing"):
        saved_plans.read_manifest(plans)


def test_a_refused_review_removes_the_previous_review_and_plans(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plans = tmp_path / "review.md", tmp_path / "reviewed-plans"
    out.write_text("## Plan review\nan older plan\n")
    plans.mkdir()
    (plans / "manifest.json").write_text("{}")
    (plans / "s.tfplan").write_bytes(b"old")
    args = parse_options(
        cli.command,
        ["--synth-dir", str(tmp_path / "nothing"), "--out", str(out), "--plans-dir", str(plans)],
        "eas-lb plan-review",
    )
    assert command.run(args) == command.EXIT_ERROR
    assert not out.exists() and not (plans / "manifest.json").exists() and not (plans / "s.tfplan").exists()
    said = capsys.readouterr().err
    assert "no synthesized stacks" in said and f"removed the previous review ({out}" in said


def test_plans_that_agree_but_for_their_timestamp_have_no_difference() -> None:
    change = {"address": "a.b", "change": {"actions": ["update"], "before": {"x": 1}, "after": {"x": 2}}}
    reviewed = {"timestamp": "t1", "resource_changes": [change]}
    assert plan_differences(reviewed, {**reviewed, "timestamp": "t2"}) == []


def test_a_hand_edit_and_a_changed_plan_are_named_by_address_without_values() -> None:
    vip = {
        "address": "lborg_layer7_vip.v",
        "change": {"actions": ["no-op"], "before": {"p": 1}, "after": {"p": 1}},
    }
    rip = {
        "address": "lborg_layer7_real_server.r",
        "change": {"actions": ["no-op"], "before": {}, "after": {}},
    }
    reviewed = {"resource_changes": [vip, rip]}
    drifted = {
        "address": "lborg_layer7_vip.v",
        "change": {"actions": ["update"], "before": {"p": 1}, "after": {"p": 9}},
    }
    recreated = {"address": rip["address"], "change": {"actions": ["create"], "before": {}, "after": {}}}
    fresh = {"resource_changes": [vip, recreated], "resource_drift": [drifted]}
    assert plan_differences(reviewed, fresh) == [
        "lborg_layer7_vip.v: changed outside Terraform (on the appliance) since the review",
        "lborg_layer7_real_server.r: reviewed no-op, would now create",
    ]


def test_configuration_differences_name_the_construct_path() -> None:
    before = _config({"persist_time": 35})
    after = _config({"persist_time": 40})
    after["resource"]["lborg_layer7_real_server"] = {
        "r_2": {"//": {"metadata": {"path": "s/pair1/lb1/MGMT_A/EAS_1"}}}
    }
    assert configuration_differences(before, after) == [
        "lborg_layer7_real_server.r_2 (pair1/lb1/MGMT_A/EAS_1): new since the review",
        "lborg_layer7_vip.v_1 (pair1/lb1/MGMT_A/vip): changed since the review",
    ]
    assert configuration_differences(before, before) == []


def test_deploy_reviewed_refuses_a_stack_without_a_plan_or_with_another_plan(tmp_path: Path) -> None:
    stack_dir = tmp_path / "stacks" / "s"
    stack_dir.mkdir(parents=True)
    config = stack_dir / "cdk.tf.json"
    config.write_text(json.dumps(_config({"persist_time": 35})))
    plan = _plan_zip(tmp_path / "s.tfplan", config=_config({"persist_time": 35}))
    reviewed = saved_plans.ReviewedStack("s", saved_plans.sha256_of(plan), saved_plans.sha256_of(config))
    manifest = saved_plans.Manifest("2026-01-01T00:00:00Z", {"s": reviewed})
    target = StackToApply("s", stack_dir, plan)
    assert _config_refusal(target, manifest) is None
    assert _config_refusal(StackToApply("t", stack_dir, plan), manifest) == (
        "stack t: no saved plan (the review did not plan it)"
    )
    config.write_text(json.dumps(_config({"persist_time": 40})))
    assert "lborg_layer7_vip.v_1 (pair1/lb1/MGMT_A/vip): changed since the review" in str(
        _config_refusal(target, manifest)
    )
    plan.write_bytes(b"another plan")
    assert "is not the plan the review saved" in str(_config_refusal(target, manifest))


def test_which_stacks_and_the_command_to_review_again() -> None:
    manifest = saved_plans.Manifest("t", {})
    manifest.stacks["s-pair1-vms"] = saved_plans.ReviewedStack("s-pair1-vms", "p", "c")
    assert stacks_to_apply(["s-pair1-lb"], False, manifest, {"s-pair1-vms"}) == ["s-pair1-lb", "s-pair1-vms"]
    assert stacks_to_apply(["s-pair1-lb"], True, manifest, {"s-pair1-vms"}) == ["s-pair1-lb"]
    default = review_again_command(Path("reviewed-plans"), Path("cdktf.out"), ["s-pair1-lb"], False)
    assert default == "eas-lb plan-review --out review.md"
    named = review_again_command(Path("plans"), Path("out"), ["s-pair1-lb"], True)
    assert named == (
        "eas-lb plan-review --out review.md --synth-dir out --plans-dir plans --stack s-pair1-lb"
    )
