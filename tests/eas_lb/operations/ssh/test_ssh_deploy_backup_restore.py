"""Backups before a deploy and a restore that brings the VIPs back, over a real OpenSSH server.

An HA pair of simulated appliances, `lb1` and `lb2`, answers the API on 127.15.1.1:10443 and
127.15.1.2:10443 and SSH on port 2225 of the same addresses, where sshd chroots each into a
directory whose `etc/loadbalancer.org/` is that simulator's state directory: backups read the
simulator's own lb_config.xml at the appliance's path. Stand-in EAS servers on 127.15.31.x serve
the VIPs 127.15.30.x. The site is deployed for real with `eas-lb deploy` (cdktf deploy),
verified, broken by hand through the API, and restored on the primary, whose reload replicates
the restored configuration to the secondary.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.operations.demo.layout import GUIDE_GLOBALS
from eas_lb.operations.ssh.backups import copies
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_env, lock_provider, run_cdktf
from lborg_simulator.eas_servers import eas_servers
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.sshd import SshServer, running_sshd

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

APPLIANCES = {"lb1": "127.15.1.1", "lb2": "127.15.1.2"}
SSH_PORT = 2225
API_PORT = 10443
STACK = "sshdeploy-pair1-lb"
POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.15.30.227 tcp 18080 2100 127.15.31.231 127.15.31.116
IMAP-10143 127.15.30.223 tcp 10143 0 127.15.31.231 127.15.31.116
"""
SERVERS = [(f"eas-{ip}", ip, port) for ip in ("127.15.31.231", "127.15.31.116") for port in (18080, 10143)]
CREDENTIALS = {
    "LBORG_USERNAME": TEST_USERNAME,
    "LBORG_PASSWORD": TEST_PASSWORD,
    "LBORG_API_KEY": TEST_API_KEY,
}


@dataclass
class ApplianceSite:
    sshd: SshServer
    simulators: dict[str, SimulatorProcess]
    root: Path
    site: Path
    output: Path
    backups: Path
    known_hosts: Path

    def deploy(self, *extra: str, verb: str = "deploy") -> int:
        args = ["--auto-approve", "--skip-synth", "--ignore-missing-stack-dependencies"]
        args += ["--output", str(self.output)]
        return eas_main([verb, "--site", str(self.site), "--app-dir", str(PROJECT_ROOT), *extra, "--", *args])

    @property
    def simulator(self) -> SimulatorProcess:
        """The primary."""
        return self.simulators["lb1"]

    def copies(self, appliance: str = "lb1") -> list[Path]:
        return copies(self.backups, appliance)

    def virtuals(self, appliance: str = "lb1") -> list[str]:
        config = self.simulators[appliance].call([{"action": "list", "function": "virtual", "layer": "7"}])[0]
        return sorted(item["label"] for item in config["data"]["virtual"])

    def verify(self, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, Any]]]:
        import json

        capsys.readouterr()
        code = eas_main(["verify", "--site", str(self.site), "--json"])
        rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["rows"]
        return code, rows


def _site_text(sshd: SshServer, ca: Path, root: Path) -> str:
    return f"""name: sshdeploy
pools: pools.txt
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{APPLIANCES["lb1"]}:{API_PORT}
      management_ip: {APPLIANCES["lb1"]}/24
      ca_file: {ca}
    secondary:
      name: lb2
      endpoint: https://{APPLIANCES["lb2"]}:{API_PORT}
      management_ip: {APPLIANCES["lb2"]}/24
      ca_file: {ca}
backend:
  kind: local
  config: {{path: {root}/state/{STACK}.tfstate}}
backup:
  user: {sshd.user}
  key_file: {sshd.key_file}
  known_hosts: ssh/known_hosts
  port: {SSH_PORT}
  directory: backups
  keep: 5
"""


@pytest.fixture(scope="module")
def appliance_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApplianceSite]:
    root = tmp_path_factory.mktemp("sshdeploy")
    saved = {name: os.environ.get(name) for name in CREDENTIALS}
    os.environ.update(CREDENTIALS)
    try:
        with running_sshd(tuple(APPLIANCES.values()), SSH_PORT) as sshd:
            simulators = {
                name: SimulatorProcess(
                    sshd.root(address) / "etc" / "loadbalancer.org",
                    f"{address}:{API_PORT}",
                    name=name,
                    advanced=GUIDE_GLOBALS,
                    extra_args=["--ca-dir", str(root / "ca")],
                )
                for name, address in APPLIANCES.items()
            }
            try:
                for simulator in simulators.values():
                    simulator.start()
                with eas_servers(SERVERS):
                    (root / "ssh").mkdir()
                    known_hosts = sshd.write_known_hosts(root / "ssh" / "known_hosts")
                    (root / "pools.txt").write_text(POOLS)
                    site = root / "site.yaml"
                    site.write_text(_site_text(sshd, root / "ca" / "ca.pem", root))
                    output = root / "cdktf.out"
                    env = cdktf_env(site, CREDENTIALS)
                    run_cdktf(["synth"], env, output)
                    lock_provider(output, [STACK])
                    yield ApplianceSite(sshd, simulators, root, site, output, root / "backups", known_hosts)
            finally:
                for simulator in simulators.values():
                    simulator.stop()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def test_a_deploy_stops_before_any_change_when_the_backup_fails(
    appliance_site: ApplianceSite, capsys: pytest.CaptureFixture[str]
) -> None:
    good = appliance_site.known_hosts.read_text()
    appliance_site.known_hosts.write_text("")
    try:
        capsys.readouterr()
        assert appliance_site.deploy() == 1
        err = capsys.readouterr().err
    finally:
        appliance_site.known_hosts.write_text(good)
    assert "backup of lb1 failed" in err and "backup of lb2 failed" in err and "unknown host key" in err
    assert "stopped before any change" in err and "--no-backup" in err
    assert appliance_site.virtuals("lb1") == appliance_site.virtuals("lb2") == []
    assert appliance_site.copies("lb1") == appliance_site.copies("lb2") == []


def test_a_deploy_takes_a_backup_first(
    appliance_site: ApplianceSite, capfd: pytest.CaptureFixture[str]
) -> None:
    capfd.readouterr()
    assert appliance_site.deploy() == 0
    out, err = capfd.readouterr()
    assert "\x1b" not in out + err  # no terminal: cdktf's final output only, no spinner frames
    assert "Apply complete!" in out
    assert "==> backing up lb_config.xml of lb1, lb2" in out
    assert out.index("lb1: saved") < out.index("==> cdktf deploy")
    assert out.index("lb2: saved") < out.index("==> cdktf deploy")
    for appliance in APPLIANCES:
        [copy] = appliance_site.copies(appliance)
        assert stat.S_IMODE(copy.stat().st_mode) == 0o600
        assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
        assert stat.S_IMODE(copy.parent.parent.stat().st_mode) == 0o700
        text = copy.read_text()
        assert text.startswith("<?xml") and "<config>" in text
        assert f"<hostname>{appliance}</hostname>" in text  # each appliance's own file
        assert "MGMT_HTTP-18080" not in text  # taken before the deploy added the VIPs
        assert appliance_site.virtuals(appliance) == ["MGMT_HTTP-18080", "MGMT_IMAP-10143"]
    code, rows = appliance_site.verify(capfd)
    assert code == 0, [row for row in rows if row["outcome"] == "fail"]


def test_a_configuration_broken_by_hand_is_restored_and_the_vips_answer_again(
    appliance_site: ApplianceSite, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert eas_main(["backup", "--site", str(appliance_site.site)]) == 0
    assert "lb1: saved" in capsys.readouterr().out
    good = appliance_site.copies()[-1]
    assert "MGMT_HTTP-18080" in good.read_text()
    assert eas_main(["backup", "--site", str(appliance_site.site)]) == 0  # nothing changed since
    assert f"lb1: unchanged since {good}" in capsys.readouterr().out

    # Broken by hand: a VIP deleted and the change applied, as a slip in the WebUI would.
    appliance_site.simulator.call_ok(
        [{"action": "delete-vip", "vip": "MGMT_HTTP-18080"}, {"action": "reload-haproxy"}]
    )
    assert appliance_site.virtuals("lb2") == ["MGMT_IMAP-10143"]  # replicated to the secondary
    code, rows = appliance_site.verify(capsys)
    assert code == 1
    assert any(r["subject"] == "MGMT_HTTP-18080" and r["outcome"] == "fail" for r in rows)

    restore = ["restore", "--site", str(appliance_site.site), "--from", str(good), "--appliance", "lb1"]
    capsys.readouterr()
    assert eas_main(restore) == 1  # no terminal to ask, no --yes: nothing changes
    assert "pass --yes" in capsys.readouterr().err
    assert "MGMT_HTTP-18080" not in appliance_site.virtuals()

    assert eas_main([*restore, "--yes"]) == 0
    out = capsys.readouterr().out
    assert "--- lb1:/etc/loadbalancer.org/lb_config.xml (on the appliance now)" in out
    assert any(line.startswith("+") and "MGMT_HTTP-18080" in line for line in out.splitlines())
    assert "VIPs the restore brings back: MGMT_HTTP-18080" in out
    assert "lb1: the file being replaced is kept as" in out
    assert "lb1: reloaded haproxy, ldirectord" in out
    for appliance in APPLIANCES:  # the primary's reload replicated the restored VIPs
        assert appliance_site.virtuals(appliance) == ["MGMT_HTTP-18080", "MGMT_IMAP-10143"]
    code, rows = appliance_site.verify(capsys)
    assert code == 0, [row for row in rows if row["outcome"] == "fail"]
    broken_copy = appliance_site.copies()[-1]
    assert "MGMT_HTTP-18080" not in broken_copy.read_text()  # the restore can itself be undone

    assert eas_main([*restore, "--yes"]) == 0
    assert "nothing to do" in capsys.readouterr().out


def test_a_deleted_configuration_file_is_put_back(
    appliance_site: ApplianceSite, capsys: pytest.CaptureFixture[str]
) -> None:
    good = appliance_site.copies()[-2]  # the working copy taken before the restore above
    assert "MGMT_HTTP-18080" in good.read_text()
    config = appliance_site.simulator.state_dir / "lb_config.xml"
    config.unlink()
    capsys.readouterr()
    code = eas_main(
        ["restore", "--site", str(appliance_site.site), "--from", str(good), "--appliance", "lb1", "--yes"]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "lb1: /etc/loadbalancer.org/lb_config.xml does not exist on the appliance" in out
    assert config.read_bytes() == good.read_bytes()
    assert appliance_site.virtuals() == ["MGMT_HTTP-18080", "MGMT_IMAP-10143"]


@pytest.mark.parametrize("verb", ["deploy", "destroy"])
def test_with_one_appliance_down_nothing_starts_and_the_message_says_what_to_do(
    appliance_site: ApplianceSite, capfd: pytest.CaptureFixture[str], verb: str
) -> None:
    before = {appliance: appliance_site.copies(appliance) for appliance in APPLIANCES}
    appliance_site.simulators["lb2"].stop()
    try:
        capfd.readouterr()
        assert appliance_site.deploy(verb=verb) == 1
        out, err = capfd.readouterr()
    finally:
        appliance_site.simulators["lb2"].start()
    assert f"{verb}: lb2 (secondary of pair pair1) does not answer at https://127.15.1.2:{API_PORT}" in err
    assert "stopped before any change" in err
    assert "bring lb2 back" in err and "make it by hand on lb1" in err
    assert "eas-lb verify" in err and "config lb2" in err
    assert "backing up" not in out and "cdktf" not in out  # nothing started
    assert {appliance: appliance_site.copies(appliance) for appliance in APPLIANCES} == before
    assert appliance_site.virtuals("lb1") == ["MGMT_HTTP-18080", "MGMT_IMAP-10143"]


def test_destroy_takes_a_backup_first_then_removes_the_site(
    appliance_site: ApplianceSite, capfd: pytest.CaptureFixture[str]
) -> None:
    config = appliance_site.simulator.state_dir / "lb_config.xml"
    deployed = config.read_text()
    capfd.readouterr()
    assert appliance_site.deploy(verb="destroy") == 0
    out, err = capfd.readouterr()
    assert "\x1b" not in out + err  # readable as a log: no escape codes without a terminal
    assert "==> backing up lb_config.xml of lb1, lb2" in out
    assert out.index("lb1: ") < out.index(f"==> cdktf destroy {STACK}")
    assert "Destroy complete!" in out
    for appliance in APPLIANCES:
        assert appliance_site.virtuals(appliance) == []
    # The copy taken first is the deployed configuration: restore can bring the site back.
    newest = appliance_site.copies("lb1")[-1]
    assert newest.read_text() == deployed and "MGMT_HTTP-18080" in newest.read_text()
