"""The main job end to end: cdktf deploy of the demo site to a simulated HA pair, then verify.

One module-scoped deployment walks the life of a site: deploy, verify, no diff, a redeploy that
changes nothing (no reload), a sticky change (one HAProxy reload), drift made by hand (verify
reports it), the disruptive tests, destroy (appliances empty), a deploy after destroy (the
HA pair adopted, not created twice), and last the README's move to CDK Terrain: with nothing else
changed (same `cdktf.json`, stack names, logical ids and local state), `EAS_LB_FRAMEWORK=cdktn` and
cdktn's CLI (on the Node.js 22 that `make node` installs beside it) synthesize the site deployed
with cdktf, `cdktn diff` (terraform init and plan on the same state) finds nothing to change, and
a change to pools.txt deploys with `cdktn deploy` and verifies.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.appliances.clients import pair_clients
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_command, cdktf_env, lock_provider, run_cdktf
from lborg_provider.model.config_view import find_virtual

if TYPE_CHECKING:
    from tests.e2e.conftest import DeployedSite

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _deploy(site: DeployedSite) -> None:
    run_cdktf(["synth"], site.env, site.output)
    lock_provider(site.output, [site.lb_stack()])
    run_cdktf(
        ["deploy", site.lb_stack(), "--auto-approve", "--ignore-missing-stack-dependencies", "--skip-synth"],
        site.env,
        site.output,
    )


def _counters(site: DeployedSite) -> dict[str, dict[str, Any]]:
    pair = pair_clients(load_deployment(site.site))[0]
    nodes = [pair.primary] + ([pair.secondary] if pair.secondary else [])
    return {client.name: client.nodestatus()["counters"]["reloads"] for client in nodes}


def _verify_json(
    site: DeployedSite, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = eas_main(["verify", "--site", str(site.site), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def deployed(e2e_site: DeployedSite) -> DeployedSite:
    _deploy(e2e_site)
    return e2e_site


def test_every_vip_of_the_demo_site_answers_and_matches_pools(
    deployed: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = _verify_json(deployed, capsys)
    failed = [row for row in report["rows"] if row["outcome"] == "fail"]
    assert failed == [] and code == 0
    connects = [row for row in report["rows"] if row["test"] == "connect"]
    assert len(connects) == 9  # 5 management + 4 service VIPs of pools-demo.txt
    assert all("answered by eas-127.5." in row["detail"] for row in connects)
    persistence = [row for row in report["rows"] if row["test"] == "persistence"]
    assert persistence and all(row["outcome"] == "pass" for row in persistence)


def test_plan_after_deploy_is_empty_for_cdktf_and_plain_terraform(deployed: DeployedSite) -> None:
    diff = subprocess.run(
        [*cdktf_command(), "diff", deployed.lb_stack(), "--skip-synth", "--output", str(deployed.output)],
        cwd=PROJECT_ROOT,
        env=deployed.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert diff.returncode == 0, diff.stdout + diff.stderr
    assert "No changes" in diff.stdout, diff.stdout
    plan = subprocess.run(
        [
            "terraform",
            f"-chdir={deployed.output}/stacks/{deployed.lb_stack()}",
            "plan",
            "-detailed-exitcode",
            "-input=false",
            "-no-color",
        ],
        env=deployed.env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert plan.returncode == 0, plan.stdout + plan.stderr
    # Right after a clean deploy no heartbeat (or other) section counts as edited by hand (issue 34).
    assert "outside Terraform" not in diff.stdout + diff.stderr + plan.stdout + plan.stderr


def test_redeploy_without_change_reloads_nothing_and_a_sticky_change_reloads_haproxy_once(
    deployed: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _counters(deployed)
    _deploy(deployed)
    assert _counters(deployed) == before

    text = deployed.pools.read_text()
    deployed.pools.write_text(text.replace("127.5.30.224 tcp 18087 86400", "127.5.30.224 tcp 18087 3600"))
    _deploy(deployed)
    after = _counters(deployed)
    primary = next(iter(after))
    assert after[primary]["haproxy"] == before[primary]["haproxy"] + 1
    assert after[primary]["ldirectord"] == before[primary]["ldirectord"]
    code, report = _verify_json(deployed, capsys)
    assert code == 0, [row for row in report["rows"] if row["outcome"] == "fail"]


def test_verify_reports_a_change_made_by_hand(
    deployed: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    pair = pair_clients(load_deployment(deployed.site))[0]
    original = find_virtual(pair.primary.dumpconfig(), "7", "MGMT_IMAP-10143")
    assert original is not None
    pair.primary.run(
        [{"action": "edit-vip", "vip": "MGMT_IMAP-10143", "persistence": "ip", "persist_time": "5"}]
    )
    try:
        code, report = _verify_json(deployed, capsys)
        assert code == 1
        bad = [r for r in report["rows"] if r["outcome"] == "fail"]
        assert any(r["subject"] == "MGMT_IMAP-10143" and "persistence" in r["detail"] for r in bad), bad
    finally:
        restore: dict[str, Any] = {
            key: str(original[key]) for key in ("persistence", "persist_time") if key in original
        }
        pair.primary.run([{"action": "edit-vip", "vip": "MGMT_IMAP-10143", **restore}])


def test_disruptive_health_check_and_fail_over(
    deployed: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    from eas_lb.operations.demo.__main__ import _hooks

    code, report = _verify_json(deployed, capsys, "--disruptive", *_hooks(deployed.site))
    rows = report["rows"]
    assert [r for r in rows if r["outcome"] == "fail"] == [] and code == 0
    assert any(r["test"] == "health-check" and r["outcome"] == "pass" for r in rows)
    failover = [r for r in rows if r["test"] == "fail-over"]
    assert failover and all(r["outcome"] == "pass" for r in failover)


def test_destroy_leaves_the_appliances_empty(deployed: DeployedSite) -> None:
    run_cdktf(
        [
            "destroy",
            deployed.lb_stack(),
            "--auto-approve",
            "--ignore-missing-stack-dependencies",
            "--skip-synth",
        ],
        deployed.env,
        deployed.output,
    )
    pair = pair_clients(load_deployment(deployed.site))[0]
    config = pair.primary.dumpconfig()
    assert not config.get("haproxy", {}).get("virtual")
    assert not config.get("ldirectord", {}).get("virtual")


def test_deploy_after_destroy_adopts_the_existing_ha_pair(deployed: DeployedSite) -> None:
    """Destroy forgets the HA pair (API v2 cannot break one); deploying again finds the same pair in
    the configuration and adopts it instead of running `ha_create` a second time, which fails."""
    _deploy(deployed)
    pair = pair_clients(load_deployment(deployed.site))[0]
    assert pair.secondary is not None
    primary, secondary = pair.primary.dumpconfig(), pair.secondary.dumpconfig()
    assert primary["heartbeat"]["ucast_ip"] == secondary["heartbeat"]["ucast_ip"]
    assert primary["haproxy"]["virtual"]
    assert [v["label"] for v in secondary["haproxy"]["virtual"]] == [
        v["label"] for v in primary["haproxy"]["virtual"]
    ]


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.cdktn
def test_a_site_deployed_with_cdktf_moves_to_cdktn_with_its_state_and_deploys_a_change(
    deployed: DeployedSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """The site as the tests above leave it: deployed with cdktf (alone, the fixture deploys it)."""
    site, stack = deployed, deployed.lb_stack()

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
    text = site.pools.read_text()  # 86400 at first, 3600 after the sticky change above
    site.pools.write_text(re.sub(r"127\.5\.30\.224 tcp 18087 \d+", "127.5.30.224 tcp 18087 7200", text))
    run_cdktf(["synth"], env, site.output, "cdktn")
    lock_provider(site.output, [stack])
    command = ["deploy", "--site", str(site.site), "--app-dir", str(PROJECT_ROOT), "--no-backup", "--"]
    cli_args = ["--auto-approve", "--skip-synth", "--output", str(site.output)]
    deploy = _run([sys.executable, "-m", "eas_lb", *command, *cli_args], env)
    assert deploy.returncode == 0, deploy.stdout[-3000:] + deploy.stderr[-3000:]
    assert f"cdktn deploy {stack}" in deploy.stdout, deploy.stdout[-3000:]
    primary = pair_clients(load_deployment(site.site))[0].primary
    vip = find_virtual(primary.dumpconfig(), "7", "MGMT_MVWEBPROV-18087")
    assert vip is not None and str(vip["persist_time"]) == "120", vip  # minutes on the appliance
    capsys.readouterr()
    code = eas_main(["verify", "--site", str(site.site), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0, [row for row in report["rows"] if row["outcome"] == "fail"]
