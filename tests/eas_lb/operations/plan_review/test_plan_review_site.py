"""The review as a new user meets it: a site deployed with the constructs, pools.txt edited.

A scenario 1 site on a simulated HA pair (127.4.10.1 and 127.4.10.2, loopback only) is
synthesized by ``main.py`` (the constructs), applied with the real terraform and lborg provider;
then the user edits pools.txt, synthesizes again and runs ``eas-lb plan-review``,
exactly as the workflow does. Then a real server is deleted by hand through the API and the
review must report the drift.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port
from tests.support.simulator_api import nodestatus

REPO = REPO_ROOT
LB1, LB2 = "127.4.10.1", "127.4.10.2"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
STACK = "review-pair1-lb"

SITE = """\
name: review
pools: pools.txt
scenario: 1
subscribers: 250000
credentials:
  username_env: LBORG_USERNAME
  password_env: LBORG_PASSWORD
  api_key_env: LBORG_API_KEY
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{lb1}:{port}
      management_ip: {lb1}/24
      service_ip: 127.4.13.240/25
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{lb2}:{port}
      management_ip: {lb2}/24
      service_ip: 127.4.13.241/25
      ca_file: ca/ca.pem
    service_vip: 127.4.14.150
    service_gateway: 127.4.13.10
    eas_service_subnet: 127.4.13.0/25
backend:
  kind: local
"""

POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.4.11.227 tcp 18080 2100 127.4.12.231 127.4.12.116
IMAP-10143 127.4.11.223 tcp 10143 0 127.4.12.231 127.4.12.116

# SERVICE
HTTP-18080 - tcp 18080 2100 127.4.13.61 127.4.13.5
"""


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run in the site's folder, as its user does: the local backend's state is written there."""
    cwd = Path(env["EAS_SITE"]).parent if "EAS_SITE" in env else REPO
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _ok(command: list[str], env: dict[str, str]) -> str:
    result = _run(command, env)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture
def deployed_site(tmp_path: Path) -> Iterator[tuple[Path, dict[str, str], list[SimulatorProcess]]]:
    """The site applied to two simulators; yields (site dir, environment, simulators)."""
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    site = tmp_path / "site"
    site.mkdir()
    port = free_port(LB1, LB2)
    (site / "site.yaml").write_text(SITE.format(lb1=LB1, lb2=LB2, port=port), encoding="utf-8")
    (site / "pools.txt").write_text(POOLS, encoding="utf-8")
    mirror = _run(
        [
            sys.executable,
            "-m",
            "lborg_provider",
            "install",
            "--dir",
            str(tmp_path / "mirror"),
            "--cli-config",
            str(tmp_path / "terraformrc"),
        ],
        dict(os.environ),
    )
    assert mirror.returncode == 0, mirror.stderr
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [
                str(Path(sys.executable).parent),
                str(REPO / "node_modules" / ".bin"),
                os.environ.get("PATH", ""),
            ]
        ),
        "TF_CLI_CONFIG_FILE": mirror.stdout.strip().splitlines()[-1],
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "EAS_SITE": str(site / "site.yaml"),
        "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    shared_ca = ["--ca-dir", str(site / "ca")]
    with ExitStack() as stack:
        simulators = [
            stack.enter_context(
                running_simulator(
                    tmp_path / name, f"{ip}:{port}", name=name, advanced=GUIDE_GLOBALS, extra_args=shared_ca
                )
            )
            for name, ip in (("lb1", LB1), ("lb2", LB2))
        ]
        _ok([sys.executable, str(REPO / "main.py")], env)
        stack_dir = tmp_path / "cdktf.out" / "stacks" / STACK
        _ok(["terraform", f"-chdir={stack_dir}", "init", "-input=false", "-no-color"], env)
        _ok(["terraform", f"-chdir={stack_dir}", "apply", "-input=false", "-no-color", "-auto-approve"], env)
        yield site, env, simulators


def _review(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    _ok([sys.executable, str(REPO / "main.py")], env)
    synth = env["CDKTF_OUTDIR"]
    plans = str(Path(synth).parent / "reviewed-plans")
    return _run(
        [
            sys.executable,
            "-m",
            "eas_lb",
            "plan-review",
            "--synth-dir",
            synth,
            "--stack",
            STACK,
            "--plans-dir",
            plans,
            *extra,
        ],
        env,
    )


@pytest.mark.slow
@pytest.mark.smoke
def test_user_edits_pools_and_reads_the_review(
    deployed_site: tuple[Path, dict[str, str], list[SimulatorProcess]],
) -> None:
    site, env, simulators = deployed_site
    unchanged = _review(env, "--fail-on", "replace,destroy,drift")
    assert unchanged.returncode == 0, unchanged.stderr
    assert "No changes" in unchanged.stdout and "**2 appliances** (`lb1`, `lb2`)" in unchanged.stdout

    pools = site / "pools.txt"
    pools.write_text(
        POOLS.replace(
            "HTTP-18080 127.4.11.227 tcp 18080 2100", "HTTP-18080 127.4.11.227 tcp 18080 2400"
        ).replace(
            "IMAP-10143 127.4.11.223 tcp 10143 0 127.4.12.231 127.4.12.116",
            "IMAP-10143 127.4.11.223 tcp 10143 0 127.4.12.231",
        ),
        encoding="utf-8",
    )
    edited = _review(env, "--fail-on", "destroy")
    assert edited.returncode == 2, edited.stderr  # changes a --fail-on gate refuses
    text = edited.stdout
    assert "persistence 35 → 40 min" in text
    assert "EAS 127.4.12.116 removed from MGMT_IMAP-10143" in text
    assert "⚠ persistence change: `MGMT_HTTP-18080` on lb1" in text
    assert "Reloads: haproxy\n" in text
    assert TEST_PASSWORD not in text and TEST_API_KEY not in text
    # edit-vip (persistence), drain and delete-rip (the removed server), reload-haproxy
    assert "**about 4 appliance actions**" in text

    pools.write_text(POOLS, encoding="utf-8")
    lb1 = simulators[0]
    lb1.call_ok([{"action": "delete-rip", "vip": "SERV_HTTP-18080", "rip": "EAS_SSS-127.4.13.61"}])
    drifted = _review(env, "--fail-on", "drift")
    assert drifted.returncode == 2, drifted.stderr
    drift_part = drifted.stdout.split("### Drift found during refresh", 1)[1]
    assert "EAS 127.4.13.61 missing on the appliance\n" in drift_part
    assert "Reloads: ldirectord (to repair drift)" in drifted.stdout

    # The count is what the apply sends: add-rip and reload-ldirectord, as the simulator counts them.
    assert "**about 2 appliance actions**" in drifted.stdout
    before = nodestatus(lb1)["counters"]["write_actions"]
    stack_dir = Path(env["CDKTF_OUTDIR"]) / "stacks" / STACK
    _ok(["terraform", f"-chdir={stack_dir}", "apply", "-input=false", "-no-color", "-auto-approve"], env)
    assert nodestatus(lb1)["counters"]["write_actions"] - before == 2
