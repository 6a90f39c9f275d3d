"""Slow: the real `cdktf synth` and `cdktf get`, as a user runs them."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eas_lb.synth.framework_choice import CLI_BIN, FRAMEWORKS, Framework
from eas_lb.tools.regenerate_bindings import OUT, default_cli_config, generate
from tests.support.synth import REPO

pytestmark = pytest.mark.slow

CDKTF = REPO / "node_modules" / ".bin" / "cdktf"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), str(CDKTF.parent), env.get("PATH", "")])
    env.update(CHECKPOINT_DISABLE="1", **extra)
    return env


def _count(stack: dict[str, Any], type_name: str) -> int:
    return len(stack.get("resource", {}).get(type_name, {}))


@pytest.mark.skipif(not CDKTF.exists(), reason="cdktf CLI not installed (npm ci)")
def test_cdktf_synth_scenario1(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [str(CDKTF), "synth", "--output", str(out)],
        cwd=REPO,
        env=_env(EAS_SITE="examples/site-scenario1.yaml"),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lb = json.loads((out / "stacks" / "scenario1-pair1-lb" / "cdk.tf.json").read_text())
    vms = json.loads((out / "stacks" / "scenario1-pair1-vms" / "cdk.tf.json").read_text())
    assert _count(lb, "lborg_layer7_vip") == 5 and _count(lb, "lborg_layer7_real_server") == 10
    assert _count(lb, "lborg_layer4_vip") == 4 and _count(lb, "lborg_layer4_real_server") == 8
    assert _count(lb, "lborg_floating_ip") == 1
    for machine in vms["resource"]["vsphere_virtual_machine"].values():
        assert (machine["num_cpus"], machine["memory"]) == (8, 16384) and machine["disk"][0]["size"] >= 8
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["stacks"]["scenario1-pair1-lb"]["dependencies"] == ["scenario1-pair1-vms"]


@pytest.mark.skipif(default_cli_config() is None, reason="provider mirror not built (make provider)")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_committed_bindings_match_the_provider_schema(tmp_path: Path, framework: Framework) -> None:
    """Fails when the provider's schema changed and `eas_lb/bindings` (cdktf) or
    `eas_lb/bindings_cdktn` (cdktn) was not regenerated."""
    if not (CLI_BIN[framework] / framework).exists():
        pytest.fail(f"{framework} CLI not installed: run `make node`")
    generate(tmp_path / "bindings", framework=framework)
    committed = OUT[framework]
    differences = _diff(
        filecmp.dircmp(committed, tmp_path / "bindings", ignore=["README.md", "__init__.py", "__pycache__"])
    )
    assert not differences, (
        "bindings drifted; run `python -m eas_lb.tools.regenerate_bindings`: " + ", ".join(differences)
    )


def _diff(comparison: filecmp.dircmp[str], prefix: str = "") -> list[str]:
    found = [prefix + name for name in comparison.left_only + comparison.right_only + comparison.diff_files]
    found += [prefix + name for name in comparison.funny_files]
    for name, sub in comparison.subdirs.items():
        found += _diff(sub, f"{prefix}{name}/")
    return found


@pytest.mark.skipif(not CDKTF.exists(), reason="cdktf CLI not installed (npm ci)")
def test_cdktf_deploy_without_the_provider_mirror_stops_before_terraform(tmp_path: Path) -> None:
    """A forgotten `. ./env.sh`: the app stops, so no `terraform init` looks up `local` in DNS."""
    out = tmp_path / "out"
    env = _env(EAS_SITE="examples/site-demo.yaml")
    env.pop("TF_CLI_CONFIG_FILE", None)
    result = subprocess.run(
        [
            str(CDKTF),
            "deploy",
            "demo-pair1-lb",
            "--auto-approve",
            "--ignore-missing-stack-dependencies",
            "--output",
            str(out),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    text = result.stdout + result.stderr
    assert result.returncode != 0, text[-3000:]
    assert "stopped before Terraform runs: TF_CLI_CONFIG_FILE is not set" in text, text[-3000:]
    assert "export TF_CLI_CONFIG_FILE=" in text and "could not connect to local" in text
    assert (out / "stacks" / "demo-pair1-lb" / "cdk.tf.json").is_file()  # the app did run
    assert not list(out.rglob(".terraform")), "terraform init ran"
