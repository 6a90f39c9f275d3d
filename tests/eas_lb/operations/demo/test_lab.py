"""The lab for one's own site: `eas-lb lab up` and then the SSH features against it.

A site of an HA pair on 127.18.1.1-2 (API on 10443, SSH on 2228), stand-in EAS servers on
127.18.31.x that also answer SSH, VIPs on 127.18.30.x. The lab is started with the command a user
types; then fetch-pools reads pools.txt from the EAS servers, `eas_lb deploy` takes backups of
both appliances before deploying, and `restore` puts the primary's backup back. Loopback range
127.18.0.0/16. The refusals need neither root nor sshd and run in the fast suite.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.demo import lab, processes, runtime
from eas_lb.operations.demo.__main__ import main as demo_main
from eas_lb.operations.demo.layout import DemoLayout, demo_layout
from eas_lb.operations.ssh.backups import copies
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_env, lock_provider, run_cdktf
from lborg_simulator.eas_servers import HOLD_REQUEST, parse_identity
from tests.support.simulator_api import identity_via

API_PORT = 10443
SSH_PORT = 2228
STACK = "labsite-pair1-lb"
POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.18.30.227 tcp 18080 2100 127.18.31.231 127.18.31.116
IMAP-10143 127.18.30.223 tcp 10143 0 127.18.31.231 127.18.31.116
"""
CREDENTIAL_NAMES = ("LBORG_USERNAME", "LBORG_PASSWORD", "LBORG_API_KEY")


def _site_text(root: Path, appliance_net: str = "127.18.1", eas_host: str = "127.18.31.231") -> str:
    return f"""name: labsite
pools: pools.txt
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{appliance_net}.1:{API_PORT}
      management_ip: {appliance_net}.1/24
      ca_file: lab/ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{appliance_net}.2:{API_PORT}
      management_ip: {appliance_net}.2/24
      ca_file: lab/ca/ca.pem
backend:
  kind: local
  config: {{path: {root}/state/{STACK}.tfstate}}
eas:
  hosts: [{eas_host}:{SSH_PORT}, 127.18.31.116:{SSH_PORT}]
  user: root
  key_file: ssh/eas_ed25519
  known_hosts: ssh/known_hosts
backup:
  key_file: ssh/lb_ed25519
  known_hosts: ssh/known_hosts
  port: {SSH_PORT}
  directory: backups
"""


def _write_site(root: Path, **kwargs: str) -> Path:
    (root / "pools.txt").write_text(POOLS)
    site = root / "site.yaml"
    site.write_text(_site_text(root, **kwargs))
    return site


def test_a_site_off_loopback_is_refused_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _write_site(tmp_path, appliance_net="10.20.1")
    assert demo_main(["lab", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "10.20.1.1 is not a loopback address" in err and "Traceback" not in err
    assert not (tmp_path / "lab").exists()  # nothing was started or written


def test_a_ca_file_the_simulators_cannot_make_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _write_site(tmp_path)
    site.write_text(site.read_text().replace("lab/ca/ca.pem", "ca/appliance-ca.pem"))
    assert demo_main(["lab", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "simulated appliances write their CA as ca.pem" in err and "Traceback" not in err
    assert not (tmp_path / "ssh").exists()


def test_an_eas_server_off_loopback_is_refused_before_root_is_asked_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    site = _write_site(tmp_path, eas_host="192.0.2.7")
    assert demo_main(["lab", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "EAS server 192.0.2.7 is not a loopback address" in err and "Traceback" not in err


def test_without_root_the_lab_says_what_it_needs_and_how_to_do_without(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    site = _write_site(tmp_path)
    assert demo_main(["lab", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "needs root" in err and "--no-ssh" in err and "Traceback" not in err
    assert not (tmp_path / "ssh").exists()  # no key made before the refusal


def _listening(address: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((address, port)) == 0


@pytest.fixture
def running_lab(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Path, str]]:
    if os.geteuid() != 0:
        pytest.skip("the lab's chrooted sshd needs root (as in CI)")
    site = _write_site(tmp_path)
    saved = {name: os.environ.pop(name, None) for name in CREDENTIAL_NAMES}
    try:
        code = demo_main(["lab", "--site", str(site)])
        out = capsys.readouterr().out
        assert code == 0, out
        yield site, out
    finally:
        assert demo_main(["down", "--site", str(site)]) == 0
        shutil.rmtree(lab.base_dir(demo_layout(load_deployment(site))), ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.mark.slow
@pytest.mark.e2e
def test_fetch_pools_a_deploy_with_backups_and_a_restore_against_the_lab(
    running_lab: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    site, out = running_lab
    root = site.parent
    layout = demo_layout(load_deployment(site))
    credentials = dict(
        line.partition("=")[::2] for line in layout.credentials_file.read_text().splitlines() if "=" in line
    )
    # what the lab prints: where it serves, and the environment by file, never a secret's value
    assert f"started sshd on 127.18.1.1:{SSH_PORT}" in out
    assert f"set -a; . {layout.credentials_file}; set +a" in out and f"export EAS_SITE={site}" in out
    assert credentials["LBORG_PASSWORD"] not in out and credentials["LBORG_API_KEY"] not in out
    assert (root / "ssh" / "lb_ed25519").exists() and (root / "ssh" / "eas_ed25519").exists()
    assert (layout.run_dir / ".gitignore").read_text().splitlines()[-1] == "*"  # credentials stay out of git
    assert f"[127.18.31.116]:{SSH_PORT} ssh-ed25519 " in (root / "ssh" / "known_hosts").read_text()
    os.environ.update(credentials)

    # lab status: what runs, on which addresses, as JSON a script reads
    capsys.readouterr()
    assert eas_main(["lab", "status", "--site", str(site), "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    parts = {part["what"]: part for part in status["parts"]}
    assert status["all_running"] and parts["SSH server"]["running"]
    assert f"127.18.1.1:{SSH_PORT}" in parts["SSH server"]["addresses"]
    assert parts["appliance lb1"]["addresses"] == [f"https://127.18.1.1:{API_PORT}"]

    # fetch-pools: both EAS servers serve the site's pools.txt; then both change on the "EAS"
    assert eas_main(["fetch-pools", "--site", str(site)]) == 0
    plan = lab.plan_ssh(load_deployment(site), layout)
    for copy in plan.pools_copies:
        copy.write_text(POOLS.replace("127.18.31.231 127.18.31.116\nIMAP", "127.18.31.231\nIMAP"))
    capsys.readouterr()
    assert eas_main(["fetch-pools", "--site", str(site)]) == 2
    assert "server 127.18.31.116 removed" in capsys.readouterr().out

    # a deploy takes a backup of both appliances first, from the simulators' own lb_config.xml
    output = root / "cdktf.out"
    run_cdktf(["synth"], cdktf_env(site, credentials), output)
    lock_provider(output, [STACK])
    args = ["--auto-approve", "--skip-synth", "--ignore-missing-stack-dependencies", "--output", str(output)]
    assert eas_main(["deploy", "--site", str(site), "--app-dir", str(PROJECT_ROOT), "--", *args]) == 0
    backups = root / "backups"
    [before] = copies(backups, "lb1")
    assert len(copies(backups, "lb2")) == 1
    assert "MGMT_HTTP-18080" not in before.read_text()
    live = plan.state_dirs["lb1"] / "lb_config.xml"
    assert "MGMT_HTTP-18080" in live.read_text()
    assert _listening("127.18.30.227", 18080)

    # restore the copy taken before the deploy: the VIPs go away again
    restore = ["restore", "--site", str(site), "--from", str(before), "--appliance", "lb1", "--yes"]
    assert eas_main(restore) == 0
    assert "MGMT_HTTP-18080" not in live.read_text()

    # down stops every process the lab started, sshd included
    assert demo_main(["down", "--site", str(site)]) == 0
    assert not processes.tracked(layout.run_dir)
    assert not _listening("127.18.1.1", SSH_PORT) and not _listening("127.18.1.1", API_PORT)
    capsys.readouterr()
    assert eas_main(["lab", "status", "--site", str(site)]) == 1  # nothing runs: not all of it
    assert "stopped  appliance lb1: https://127.18.1.1" in capsys.readouterr().out


def test_an_appliance_whose_lab_state_is_gone_says_how_to_get_it_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _write_site(tmp_path)
    layout = demo_layout(load_deployment(site))
    layout.run_dir.mkdir()
    layout.state_dir("lb1").symlink_to(tmp_path / "gone" / "etc" / "loadbalancer.org")
    assert demo_main(["appliance", "start", "lb1", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "lab's SSH chroot, which is gone" in err and "Traceback" not in err
    assert not processes.tracked(layout.run_dir)


def test_a_lab_folder_that_would_hold_the_site_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _write_site(tmp_path)
    site.write_text(site.read_text().replace("lab/ca/ca.pem", "ca/ca.pem"))
    assert demo_main(["lab", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "which holds the site file" in err and "lab/ca/ca.pem" in err and "Traceback" not in err
    assert not (tmp_path / ".gitignore").exists()


def _hold(address: str, port: int) -> socket.socket:
    """A connection the stand-in EAS server keeps open (`EAS-SIM hold`)."""
    sock = socket.create_connection((address, port), timeout=5)
    sock.sendall(HOLD_REQUEST)
    assert parse_identity(sock.recv(512).decode())
    return sock


def _answers(sock: socket.socket) -> bool:
    try:
        sock.sendall(b"still there\n")
        return sock.recv(512).endswith(b"still there\n")
    except OSError:
        return False


def _pids(layout: DemoLayout) -> dict[str, str]:
    pid_files = layout.run_dir.glob("*.pid")
    return {path.stem: path.read_text() for path in pid_files if path.stem != lab.SSHD_PROCESS}


@pytest.mark.slow
@pytest.mark.e2e
def test_a_running_lab_takes_new_servers_and_ssh_without_restarting_and_a_stop_cuts_connections(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`lab up` again after pools.txt gained a server and the site gained `eas:` and `backup:`:
    the new stand-in and the SSH server start, the appliances and stand-ins that ran go on (same
    processes, held connection intact), a backup reads the running appliances' configuration; then
    stopping a stand-in closes its established connections, as an EAS restart does."""
    if os.geteuid() != 0:
        pytest.skip("the lab's chrooted sshd needs root (as in CI)")
    site = _write_site(tmp_path)
    full = site.read_text()
    site.write_text(full.split("eas:\n")[0])  # first without SSH sections
    saved = {name: os.environ.pop(name, None) for name in CREDENTIAL_NAMES}
    layout = demo_layout(load_deployment(site))
    try:
        assert demo_main(["lab", "--site", str(site)]) == 0
        before = _pids(layout)
        held = _hold("127.18.31.231", 18080)
        (tmp_path / "pools.txt").write_text(POOLS.replace("127.18.31.116\n", "127.18.31.116 127.18.31.117\n"))
        site.write_text(full)
        capsys.readouterr()
        assert demo_main(["lab", "--site", str(site)]) == 0
        out = capsys.readouterr().out
        assert "already runs outside the lab" not in out
        assert f"started sshd on 127.18.1.1:{SSH_PORT}" in out, out
        assert "started stand-ins for 127.18.31.117:10143, 127.18.31.117:18080 (new in the pools)" in out, out
        assert _pids(layout) == before  # nothing that ran was restarted
        assert _answers(held)
        assert identity_via("127.18.31.117", 10143) == "eas-127.18.31.117"
        os.environ.update(runtime.demo_credentials(layout))
        assert eas_main(["backup", "--site", str(site)]) == 0
        assert len(copies(tmp_path / "backups", "lb1")) == len(copies(tmp_path / "backups", "lb2")) == 1

        assert demo_main(["server", "stop", "127.18.31.231", "--site", str(site)]) == 0
        held.settimeout(5)
        assert held.recv(512) == b""  # the stop closed it, as a restart of the EAS does
        held.close()
    finally:
        assert demo_main(["down", "--site", str(site)]) == 0
        # down removed the mounts: the chroots no longer show the appliances' state
        left = list((lab.base_dir(layout) / "roots").glob("*/etc/loadbalancer.org/lb_config.xml"))
        shutil.rmtree(lab.base_dir(layout), ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert not left, left
    assert (layout.state_dir("lb1") / "lb_config.xml").is_file()  # the state stays where it ran
