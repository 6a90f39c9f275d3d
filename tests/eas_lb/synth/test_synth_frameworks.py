"""The same sites on cdktf and on CDK Terrain (cdktn): the same Terraform JSON, file by file.

Each framework runs in a process of its own (`EAS_LB_FRAMEWORK` chooses it once per process, as
per installation), synthesizing every example site: the demo and the deployment guide's two
scenarios with its example pools files. The snapshot tests hold cdktf's output to the reviewed
snapshots; this test holds cdktn's to cdktf's. The VM stacks are cdktf's only (no vSphere bindings
for cdktn: `framework.VSPHERE_STACKS`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eas_lb.inputs.site import load_site
from eas_lb.synth import framework
from tests.support.synth import EXAMPLES, REPO

SITES = sorted(EXAMPLES.glob("site-*.yaml"))


def _synthesize(name: str, outdir: Path) -> subprocess.Popen[str]:
    env = {**os.environ, framework.SETTING: name}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.synth_app", str(outdir), *map(str, SITES)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.slow
@pytest.mark.cdktn
def test_cdktf_and_cdktn_write_the_same_files_for_every_example_site(tmp_path: Path) -> None:
    runs = {name: _synthesize(name, tmp_path / name) for name in framework.FRAMEWORKS}
    for name, process in runs.items():
        stdout, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name}: {stderr[-3000:]}"
        ran = json.loads(stdout.strip().splitlines()[-1])
        assert ran == {"framework": name, "app": name}, f"{framework.SETTING}={name} ran {ran}"
    cdktf, cdktn = tmp_path / "cdktf", tmp_path / "cdktn"
    stacks = [f for f in _files(cdktf) if f.endswith("cdk.tf.json")]
    lb_stacks = [f for f in stacks if "-lb/" in f]
    # An appliance stack per pair of every example site, and a VM stack per pair of those with a
    # hypervisor; cdktn has no vSphere bindings, so it writes the appliance stacks only (and its
    # manifests name no VM stack for them to wait on).
    sites = [load_site(path) for path in SITES]
    pairs = sum(len(site.pairs) for site in sites)
    vm_pairs = sum(len(site.pairs) for site in sites if site.hypervisor is not None)
    assert len(SITES) >= 5 and vm_pairs >= 2
    assert len(lb_stacks) == pairs and len(stacks) == pairs + vm_pairs
    assert [f for f in _files(cdktn) if f.endswith("cdk.tf.json")] == lb_stacks
    for name in lb_stacks:
        ours, fork = _terraform(cdktf / name, "0.21.0"), _terraform(cdktn / name, "0.24.0")
        assert ours == fork, f"{name}: cdktn's synth differs from cdktf's"


def _terraform(path: Path, framework_version: str) -> dict[str, Any]:
    """A `cdk.tf.json` without the one line that may differ: the framework's version in the `//`
    comment block, which Terraform ignores (the files also differ in how `{}` is spaced)."""
    config: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert config["//"]["metadata"].pop("version") == framework_version
    return config


@pytest.mark.parametrize("value", ["cdk", "terraform", "cdktf,cdktn"])
def test_an_unknown_framework_setting_is_a_clear_error(value: str) -> None:
    with pytest.raises(framework.FrameworkError, match=r"EAS_LB_FRAMEWORK=.* names no framework: use cdktf"):
        framework.chosen({framework.SETTING: value})


def test_the_setting_is_cdktf_unless_it_says_cdktn() -> None:
    assert framework.chosen({}) == "cdktf"
    assert framework.chosen({framework.SETTING: ""}) == "cdktf"
    assert framework.chosen({framework.SETTING: " CDKTN "}) == "cdktn"


def test_a_framework_that_is_not_installed_names_what_to_install() -> None:
    with pytest.raises(framework.FrameworkError, match=r"EAS_LB_FRAMEWORK=cdktn, but no_such_fork is not"):
        framework._load("no_such_fork", "cdktn")
    with pytest.raises(framework.FrameworkError, match=r'install the extra "eas-lb\[cdktn\]"'):
        framework._load("no_such_fork", "cdktn")


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["-m", "eas_lb", "deploy", "--site", "examples/site-demo.yaml"],
        ["-m", "eas_lb.demo", "--site", "examples/site-demo.yaml", "down"],
        ["main.py"],
    ],
)
def test_an_unknown_setting_stops_every_entry_point_with_one_line(argv: list[str]) -> None:
    env = {**os.environ, framework.SETTING: "cdkft"}
    result = subprocess.run(
        [sys.executable, *argv], cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode in (1, 2)
    assert "EAS_LB_FRAMEWORK='cdkft' names no framework" in result.stderr
    assert "Traceback" not in result.stderr, result.stderr


_VM_STACK_ON_THE_FRAMEWORK = """
import sys
from pathlib import Path
from eas_lb.inputs.site import load_deployment
from eas_lb.synth.framework import App
from eas_lb.synth.stacks.names import vm_stack_name
from eas_lb.synth.stacks.vms import VmStack
deployment = load_deployment(Path(sys.argv[1]))
site, plan = deployment.site, deployment.pairs[0]
app = App(outdir=sys.argv[2])
VmStack(app, vm_stack_name(site, plan), site=site, plan=plan, hypervisor=site.hypervisor)
app.synth()
"""


@pytest.mark.slow
@pytest.mark.cdktn
def test_cdktfs_prebuilt_vsphere_bindings_do_not_run_in_a_cdktn_stack(tmp_path: Path) -> None:
    """Why `framework.VSPHERE_STACKS` is cdktf only (README: CDKTF and its community fork). When a
    cdktn release runs them, this fails: then the VM stacks can be built on cdktn too."""
    env = {**os.environ, framework.SETTING: "cdktn"}
    result = subprocess.run(
        [sys.executable, "-c", _VM_STACK_ON_THE_FRAMEWORK, str(EXAMPLES / "site-demo.yaml"), str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode != 0, "cdktn synthesized cdktf's vSphere bindings: enable VSPHERE_STACKS"
    assert "_resetResolveDiscoveredProviderFeatureUsage is not a function" in result.stderr, result.stderr
