"""Apply exactly what was reviewed, and Ctrl-C told truly: a site on a simulated HA pair.

A scenario 1 site on two simulated appliances (127.28.10.1 and 127.28.10.2, loopback only), first
applied with the real terraform and lborg provider. Then, in order, as an operator would:
1. pools.txt changes and `plan-review` keeps the saved plan with its digests (in the review's
   text and in `reviewed-plans/manifest.json`); no plan file holds the API key or a password;
2. a real server deleted by hand on the appliance: `deploy --reviewed` refuses (the state is
   unchanged, a plan made now differs) and changes nothing;
3. the state changed since the review: refused as stale, before any terraform apply;
4. pools.txt edited again after the review: refused, naming the resources that differ;
5. reviewed again: `deploy --reviewed` applies exactly the reviewed plan, and a plan is empty;
6. a plain `deploy` removing a server is sent Ctrl-C (SIGINT to its process group, as a terminal
   does) while the server drains: Terraform's own message about the drain reaches the output,
   and one line says what was done and what is left; no traceback.
The steps share one deployment and run in order.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from lborg_support.waiting import wait_until
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port
from tests.support.terraform import dumpconfig

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

LB1, LB2 = "127.28.10.1", "127.28.10.2"
STACK = "reviewed-pair1-lb"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
SECRETS = (TEST_PASSWORD, TEST_API_KEY)
DRAIN_SECONDS = 30

SITE = f"""\
name: reviewed
pools: pools.txt
credentials:
  username_env: LBORG_USERNAME
  password_env: LBORG_PASSWORD
  api_key_env: LBORG_API_KEY
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{LB1}:{{port}}
      management_ip: {LB1}/24
      service_ip: 127.28.13.240/25
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{LB2}:{{port}}
      management_ip: {LB2}/24
      service_ip: 127.28.13.241/25
      ca_file: ca/ca.pem
    service_vip: 127.28.14.150
    service_gateway: 127.28.13.10
    eas_service_subnet: 127.28.13.0/25
drain:
  seconds: {DRAIN_SECONDS}
backend:
  kind: local
"""

POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.28.11.227 tcp 18080 2100 127.28.12.231 127.28.12.116
IMAP-10143 127.28.11.223 tcp 10143 0 127.28.12.231 127.28.12.116

# SERVICE
HTTP-18080 - tcp 18080 2100 127.28.13.61 127.28.13.5
"""
REVIEWED_POOLS = POOLS.replace(
    "tcp 18080 2100 127.28.12", "tcp 18080 2400 127.28.12"
)  # persistence 35 → 40 min
HAND_DELETED = ("SERV_HTTP-18080", "EAS_SSS-127.28.13.61")


@dataclass
class Site:
    path: Path
    env: dict[str, str]
    lb1: SimulatorProcess

    @property
    def stack_dir(self) -> Path:
        return Path(self.env["CDKTF_OUTDIR"]) / "stacks" / STACK

    def run(self, *command: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(command),
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def ok(self, *command: str) -> str:
        result = self.run(*command)
        assert result.returncode == 0, (
            f"{' '.join(command)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result.stdout

    def eas_lb(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "eas_lb", *arguments)

    def review(self) -> subprocess.CompletedProcess[str]:
        """What the workflow runs: synth, then plan-review."""
        self.ok(sys.executable, str(REPO_ROOT / "main.py"))
        synth = self.env["CDKTF_OUTDIR"]
        return self.eas_lb("plan-review", "--synth-dir", synth, "--out", "review.md")

    def write_pools(self, text: str) -> None:
        (self.path / "pools.txt").write_text(text, encoding="utf-8")

    def plan_is_empty(self) -> bool:
        plan = self.run("terraform", f"-chdir={self.stack_dir}", "plan", "-input=false", "-detailed-exitcode")
        return plan.returncode == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site applied to two simulators with the real terraform (no cdktf CLI needed for that)."""
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    root = tmp_path_factory.mktemp("reviewed")
    path = root / "site"
    path.mkdir()
    port = free_port(LB1, LB2)
    (path / "site.yaml").write_text(SITE.format(port=port), encoding="utf-8")
    (path / "pools.txt").write_text(POOLS, encoding="utf-8")
    outdir = root / "cdktf.out"
    app = {"language": "python", "app": f"{sys.executable} {REPO_ROOT / 'main.py'}", "output": str(outdir)}
    (path / "cdktf.json").write_text(json.dumps(app), encoding="utf-8")
    mirror = subprocess.run(
        [sys.executable, "-m", "lborg_provider", "install", "--dir", str(root / "mirror"),
         "--cli-config", str(root / "terraformrc")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert mirror.returncode == 0, mirror.stderr
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [
                str(Path(sys.executable).parent),
                str(REPO_ROOT / "node_modules" / ".bin"),
                os.environ.get("PATH", ""),
            ]
        ),
        "TF_CLI_CONFIG_FILE": mirror.stdout.strip().splitlines()[-1],
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "EAS_SITE": str(path / "site.yaml"),
        "CDKTF_OUTDIR": str(outdir),
        "LBORG_JOURNAL_DIR": str(root / "journal"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    shared_ca = ["--ca-dir", str(path / "ca")]
    with ExitStack() as stack:
        lb1, _ = (
            stack.enter_context(
                running_simulator(
                    root / name, f"{ip}:{port}", name=name, advanced=GUIDE_GLOBALS, extra_args=shared_ca
                )
            )
            for name, ip in (("lb1", LB1), ("lb2", LB2))
        )
        site = Site(path, env, lb1)
        site.ok(sys.executable, str(REPO_ROOT / "main.py"))
        site.ok("terraform", f"-chdir={site.stack_dir}", "init", "-input=false")
        site.ok("terraform", f"-chdir={site.stack_dir}", "apply", "-input=false", "-auto-approve")
        yield site


def test_1_review_keeps_the_plans_their_digests_and_no_secret(site: Site) -> None:
    site.write_pools(REVIEWED_POOLS)
    review = site.review()
    assert review.returncode == 0, review.stderr
    manifest = json.loads((site.path / "reviewed-plans" / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["stacks"][STACK]
    plan_file = site.path / "reviewed-plans" / f"{STACK}.tfplan"
    text = (site.path / "review.md").read_text(encoding="utf-8")
    assert "### Reviewed plans" in text and entry["plan_sha256"] in text and entry["config_sha256"] in text
    assert oct(plan_file.stat().st_mode & 0o777) == "0o600"
    with zipfile.ZipFile(plan_file) as archive:  # the members are compressed: read each one
        members = {name: archive.read(name) for name in archive.namelist()}
    assert "tfconfig/m-/cdk.tf.json" in members
    for secret in SECRETS:
        assert not [name for name, data in members.items() if secret.encode() in data]
    shown = site.ok("terraform", f"-chdir={site.stack_dir}", "show", "-json", str(plan_file))
    assert '"resource_changes"' in shown
    for secret in SECRETS:
        assert secret not in shown


def test_2_a_hand_edit_after_the_review_is_refused_and_nothing_changes(site: Site) -> None:
    vip, rip = HAND_DELETED
    site.lb1.call_ok([{"action": "delete-rip", "vip": vip, "rip": rip}])
    before = dumpconfig(site.lb1)
    refused = site.eas_lb("deploy", "--reviewed", "--no-backup")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    said = refused.stderr
    assert f"stack {STACK}: a plan made now differs from the reviewed one" in said, said
    assert "changed outside Terraform (on the appliance) since the review" in said, said
    assert "to review again: eas-lb plan-review" in said, said
    assert "Traceback" not in said
    assert dumpconfig(site.lb1) == before


def test_3_a_state_changed_since_the_review_is_refused_as_stale(site: Site) -> None:
    state_file = site.path / f"terraform.{STACK}.tfstate"
    original = state_file.read_text(encoding="utf-8")
    state = json.loads(original)
    state["serial"] += 1  # what any apply does to it
    state_file.write_text(json.dumps(state), encoding="utf-8")
    try:
        refused = site.eas_lb("deploy", "--reviewed", "--no-backup")
    finally:
        state_file.write_text(original, encoding="utf-8")
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert f"stack {STACK}: the state changed since the review" in refused.stderr, refused.stderr
    assert "terraform apply" not in refused.stdout


def test_4_pools_edited_after_the_review_is_refused_naming_what_differs(site: Site) -> None:
    site.write_pools(
        REVIEWED_POOLS.replace("tcp 10143 0 127.28.12.231 127.28.12.116", "tcp 10143 0 127.28.12.231")
    )
    try:
        refused = site.eas_lb("deploy", "--reviewed", "--no-backup")
    finally:
        site.write_pools(REVIEWED_POOLS)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    said = refused.stderr
    assert f"stack {STACK}: the configuration synthesized now differs from the reviewed one" in said, said
    assert (
        "(pair1/lb1/MGMT_IMAP-10143/EAS_127_28_12_116): reviewed, no longer in the configuration" in said
    ), said


def test_5_reviewed_again_the_reviewed_plan_is_applied(site: Site) -> None:
    review = site.review()
    assert review.returncode == 0, review.stderr
    applied = site.eas_lb("deploy", "--reviewed", "--no-backup")
    assert applied.returncode == 0, applied.stdout[-3000:] + applied.stderr[-3000:]
    assert f"reviewed-plans/{STACK}.tfplan" in applied.stdout
    assert HAND_DELETED[1] in json.dumps(dumpconfig(site.lb1))  # the review repaired the hand edit
    assert site.plan_is_empty()


def _journal_drains(site: Site) -> bool:
    return any(
        path.read_text().strip() not in ("", "{}")
        for path in Path(site.env["LBORG_JOURNAL_DIR"]).glob("*.drains.json")
    )


def test_6_ctrl_c_while_a_server_drains_says_what_is_left(site: Site) -> None:
    site.write_pools(
        REVIEWED_POOLS.replace("tcp 10143 0 127.28.12.231 127.28.12.116", "tcp 10143 0 127.28.12.231")
    )
    deploy = subprocess.Popen(
        [sys.executable, "-m", "eas_lb", "deploy", "--no-backup", "--", "--auto-approve"],
        cwd=site.path, env=site.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )  # fmt: skip
    try:
        wait_until(lambda: _journal_drains(site) or deploy.poll() is not None, timeout=600, interval=0.5)
        time.sleep(2)  # the commit is waiting for the drain now
        os.killpg(deploy.pid, signal.SIGINT)
        output, _ = deploy.communicate(timeout=300)
    finally:
        if deploy.poll() is None:
            os.killpg(deploy.pid, signal.SIGKILL)
    said = " ".join(output.split())
    assert deploy.returncode != 0, output[-3000:]
    assert "stopped while 'MGMT_IMAP-10143/EAS_SSS-127.28.12.116'" in said, output[-3000:]
    # while it waited, the deploy said who drains where until when, and the time left
    assert "==> EAS 127.28.12.116 drains on 1 VIP (MGMT_IMAP-10143) on lb1 for " in output, output[-3000:]
    assert "==> waiting for the drain of EAS 127.28.12.116 before the reload: " in output, output[-3000:]
    lines = [line for line in output.splitlines() if line.startswith("deploy: interrupted (Ctrl-C)")]
    assert len(lines) == 1, output[-3000:]
    assert "real servers are still draining (lb1: 'MGMT_IMAP-10143/EAS_SSS-127.28.12.116'" in lines[0]
    assert f"left: {STACK}; to finish: eas-lb deploy --stack={STACK}" in lines[0]
    for noise in ("Traceback", "KeyboardInterrupt", "BrokenPipeError", "not compiled for this architecture"):
        assert noise not in output, output[-3000:]
