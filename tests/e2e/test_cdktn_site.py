"""A deployed site moves from cdktf to CDK Terrain (cdktn) with its state, as the README says.

One test, the README's procedure on the demo site: deployed with cdktf; then, with nothing else
changed (same `cdktf.json`, stack names, logical ids and local state), `EAS_LB_FRAMEWORK=cdktn`
and cdktn's CLI (on the Node.js 22 that `make node` installs beside it) synthesize it, `cdktn diff`
(terraform init and plan on the same state) finds nothing to change, and a change to pools.txt
deploys with `cdktn deploy` and verifies.
"""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.appliances.clients import pair_clients
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_command, cdktf_env, lock_provider, run_cdktf
from eas_lb.synth.framework import Framework
from lborg_provider.model.config_view import find_virtual

if TYPE_CHECKING:
    from tests.e2e.conftest import DeployedSite

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.cdktn]


def _deploy(site: DeployedSite, env: dict[str, str], cli: Framework) -> None:
    run_cdktf(["synth"], env, site.output, cli)
    lock_provider(site.output, [site.lb_stack()])
    deploy = [
        "deploy",
        site.lb_stack(),
        "--auto-approve",
        "--ignore-missing-stack-dependencies",
        "--skip-synth",
    ]
    run_cdktf(deploy, env, site.output, cli)


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)


def test_a_site_deployed_with_cdktf_moves_to_cdktn_with_its_state_and_deploys_a_change(
    e2e_site: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    site, stack = e2e_site, e2e_site.lb_stack()
    _deploy(site, site.env, "cdktf")

    # The move: the framework setting and the CLI; the credentials are already in the environment.
    env = cdktf_env(site.site, {}, cli="cdktn")
    run_cdktf(["synth"], env, site.output, "cdktn")
    config = json.loads((site.output / "stacks" / stack / "cdk.tf.json").read_text())
    assert config["//"]["metadata"]["version"] == "0.24.0"  # written by cdktn, not cdktf
    lock_provider(site.output, [stack])
    diff = _run([*cdktf_command("cdktn"), "diff", stack, "--skip-synth", "--output", str(site.output)], env)
    assert diff.returncode == 0 and "No changes" in diff.stdout, diff.stdout + diff.stderr

    # Deploying with cdktn from now on, through the user's command (`eas-lb deploy` runs
    # the chosen framework's CLI): a sticky time changed in pools.txt reaches the appliance.
    text = site.pools.read_text()
    site.pools.write_text(text.replace("127.5.30.224 tcp 18087 86400", "127.5.30.224 tcp 18087 3600"))
    run_cdktf(["synth"], env, site.output, "cdktn")
    lock_provider(site.output, [stack])
    command = ["deploy", "--site", str(site.site), "--app-dir", str(PROJECT_ROOT), "--no-backup", "--"]
    cli_args = ["--auto-approve", "--skip-synth", "--output", str(site.output)]
    deploy = _run([sys.executable, "-m", "eas_lb", *command, *cli_args], env)
    assert deploy.returncode == 0, deploy.stdout[-3000:] + deploy.stderr[-3000:]
    assert f"cdktn deploy {stack}" in deploy.stdout, deploy.stdout[-3000:]
    primary = pair_clients(load_deployment(site.site))[0].primary
    vip = find_virtual(primary.dumpconfig(), "7", "MGMT_MVWEBPROV-18087")
    assert vip is not None and str(vip["persist_time"]) == "60", vip  # minutes on the appliance
    capsys.readouterr()
    code = eas_main(["verify", "--site", str(site.site), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, [row for row in report["rows"] if row["outcome"] == "fail"]
