"""`eas-lb doctor` run as a new user would, against the simulator: it reports
TLS (with the fingerprint when untrusted), login, role, counts and globals, refuses shapes it does
not know with a non-zero exit, captures redacted responses, answers in JSON with --json, and never
writes (the simulator's write counter stays 0). Loopback range 127.16.30-39.x."""

from __future__ import annotations

import hashlib
import json
import os
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from eas_lb.guide.mapping import GLOBAL_CHECKS_L4 as VERIFY_GUIDE_L4
from eas_lb.guide.mapping import GLOBAL_CHECKS_L7 as VERIFY_GUIDE_L7
from lborg_provider.tools.doctor import GUIDE_L4, GUIDE_L7
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
PORT = 11946
GUIDE = ["--advanced", "l7.interval=3000", "--advanced", "l4.checkinterval=3"]
GUIDE += ["--advanced", "l4.checktimeout=3", "--advanced", "l4.failurecount=2"]


def _doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    return subprocess.run(
        [sys.executable, "-m", "lborg_provider", "doctor", *args],
        cwd=REPO,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _writes(sim: SimulatorProcess) -> int:
    return int(json.loads((sim.state_dir / "stats.json").read_text())["write_actions"])


def _populate(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "MGMT_HTTPS-443",
                "ip": f"{subnet}.10",
                "ports": "18443",
                "mode": "tcp",
            },
            {
                "action": "add-rip",
                "vip": "MGMT_HTTPS-443",
                "rip": "EAS_SSS-1",
                "ip": f"{subnet}.21",
                "port": "18443",
            },
            {
                "action": "add-rip",
                "vip": "MGMT_HTTPS-443",
                "rip": "EAS_SSS-2",
                "ip": f"{subnet}.22",
                "port": "18443",
            },
            {
                "action": "add-vip",
                "layer": "4",
                "vip": "SERV_SIP-5060",
                "ip": f"{subnet}.11",
                "ports": "15060",
                "forwarding": "masq",
                "protocol": "udp",
            },
            {"action": "add-rip", "vip": "SERV_SIP-5060", "rip": "EAS_SSS-1", "ip": f"{subnet}.21"},
            {"action": "drain", "vip": "SERV_SIP-5060", "rip": "EAS_SSS-1"},
            {"action": "add-floating-ip", "ip": f"{subnet}.100"},
        ]
    )


def test_guide_values_agree_with_verify() -> None:
    assert GUIDE_L7 == VERIFY_GUIDE_L7 and GUIDE_L4 == VERIFY_GUIDE_L4


@pytest.mark.slow
def test_doctor_reads_everything_and_writes_nothing(tmp_path: Path) -> None:
    subnet = "127.16.30"
    listen = f"{subnet}.1:{PORT}"
    setup = SimulatorProcess(tmp_path / "sim", listen, name="lbdoc", extra_args=GUIDE)
    setup.start()
    try:
        _populate(setup, subnet)
    finally:
        setup.stop()

    # A fresh start: the write counter begins at 0 and the configuration survived.
    sim = SimulatorProcess(tmp_path / "sim", listen, name="lbdoc", extra_args=GUIDE)
    sim.start()
    try:
        assert _writes(sim) == 0
        endpoint = f"https://{listen}"

        untrusted = _doctor("--endpoint", endpoint)
        assert untrusted.returncode == 1 and "Traceback" not in untrusted.stderr
        pem = ssl.get_server_certificate((f"{subnet}.1", PORT))
        fingerprint = hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest().upper()
        assert ":".join(fingerprint[i : i + 2] for i in range(0, 64, 2)) in untrusted.stdout
        assert "not trusted" in untrusted.stdout

        capture = tmp_path / "capture.json"
        checked = _doctor("--endpoint", endpoint, "--ca-file", str(sim.ca_file), "--capture", str(capture))
        assert checked.returncode == 0, checked.stdout + checked.stderr
        out = checked.stdout
        assert "1 Layer 7 VIPs, 1 Layer 4 VIPs, 3 real servers, 1 floating IPs" in out
        assert "role master, not in an HA pair" in out
        assert "3 real servers reported: 1 draining, 0 halted" in out
        assert "interval 3000: as the deployment guide says" in out
        assert "checkinterval 3, checktimeout 3, failurecount 2: as the deployment guide says" in out
        assert "elements the provider does not read" in out  # e.g. Layer 7 `timeout`
        saved = capture.read_text()
        assert json.loads(saved)["exchanges"][1]["request"]["lbcli"][0]["function"] == "dumpconfig"
        as_json = _doctor("--endpoint", endpoint, "--ca-file", str(sim.ca_file), "--json")
        report = json.loads(as_json.stdout)  # the whole of standard output is the JSON object
        assert as_json.returncode == report["exit_status"] == 0 and report["reads_correctly"]
        assert [check["topic"] for check in report["checks"]][:2] == ["TLS", "authentication"]
        untrusted_json = json.loads(_doctor("--endpoint", endpoint, "--json").stdout)
        assert not untrusted_json["reads_correctly"] and untrusted_json["exit_status"] == 1
        assert (
            untrusted_json["checks"][0]["result"] == "fail" and "not trusted" in untrusted_json["problems"][0]
        )
        assert "MGMT_HTTPS-443" in saved
        for secret in (TEST_PASSWORD, TEST_API_KEY, subnet):
            assert secret not in saved

        wrong = _doctor("--endpoint", endpoint, "--ca-file", str(sim.ca_file), env={"LBORG_PASSWORD": "nope"})
        assert wrong.returncode == 1 and "authentication failed" in wrong.stdout
        assert "nope" not in wrong.stdout + wrong.stderr and "Traceback" not in wrong.stderr

        missing = _doctor("--endpoint", endpoint, env={"LBORG_API_KEY": ""})
        assert (
            missing.returncode == 1
            and "LBORG_API_KEY" in missing.stderr
            and "Traceback" not in missing.stderr
        )
        bad_ca = _doctor("--endpoint", endpoint, "--ca-file", str(tmp_path / "absent.pem"))
        assert bad_ca.returncode == 1 and "--ca-file" in bad_ca.stderr
        assert _writes(sim) == 0
    finally:
        sim.stop()

    closed = _doctor("--endpoint", endpoint, "--ca-file", str(sim.ca_file), "--timeout", "5")
    assert closed.returncode == 1 and "cannot open a TLS connection" in closed.stdout
    assert "Traceback" not in closed.stderr


@pytest.mark.slow
def test_doctor_accepts_every_documented_layout_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    from lborg_simulator.layouts import LAYOUTS

    listen = f"127.16.31.1:{PORT}"
    for layout in LAYOUTS:
        sim = SimulatorProcess(tmp_path / "sim", listen, name="lbdoc", response_layout=layout)
        sim.start()
        try:
            if layout == LAYOUTS[0]:
                _populate(sim, "127.16.31")
            result = _doctor("--endpoint", f"https://{listen}", "--ca-file", str(sim.ca_file))
            if layout == "unknown":
                assert result.returncode == 1, result.stdout
                assert "FAIL  list dumpconfig: not in a layout the provider recognizes" in result.stdout
            else:
                assert result.returncode == 0, result.stdout
                assert "1 Layer 7 VIPs, 1 Layer 4 VIPs, 3 real servers, 1 floating IPs" in result.stdout
            assert "Traceback" not in result.stderr
        finally:
            sim.stop()


@pytest.mark.slow
def test_doctor_names_values_it_cannot_read(tmp_path: Path) -> None:
    """A configuration with a value the provider would have to guess at makes the doctor fail."""
    listen = f"127.16.32.1:{PORT}"
    sim = SimulatorProcess(tmp_path / "sim", listen, name="lbdoc")
    sim.start()
    try:
        _populate(sim, "127.16.32")
    finally:
        sim.stop()
    config = (tmp_path / "sim" / "lb_config.xml").read_text()
    assert "<persist_time>" in config
    (tmp_path / "sim" / "lb_config.xml").write_text(
        config.replace("<persist_time>30</persist_time>", "<persist_time>thirty</persist_time>", 1).replace(
            "<scheduler>roundrobin</scheduler>", "<scheduler>source</scheduler>", 1
        )
    )
    sim.start()
    try:
        result = _doctor("--endpoint", f"https://{listen}", "--ca-file", str(sim.ca_file))
        assert result.returncode == 1
        assert (
            "FAIL  layer 7 VIP 'MGMT_HTTPS-443': element persist_time = 'thirty' is not a number"
            in result.stdout
        )
        unlisted = (
            "warn  layer 7 VIP 'MGMT_HTTPS-443': scheduler 'source' is not among the lbcli help's values"
        )
        assert unlisted in result.stdout
    finally:
        sim.stop()
