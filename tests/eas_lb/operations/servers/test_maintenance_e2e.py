"""An EAS server's maintenance round trip on a simulated HA pair, with the real terraform.

A scenario 1 site (127.24.10.1 and 127.24.10.2, loopback only) whose EAS server eas-61 has a
management address, 127.24.12.61, on two Layer 7 VIPs and a service address, 127.24.13.61, on one
Layer 4 VIP (`eas_servers:` names it with both), stand-in EAS servers behind every VIP. As the
README's "Upgrading an EAS server" does it: the site file puts the server in maintenance by name,
plan review says so once for both layers, the apply drains it on every VIP, `servers` shows it on
one line (with the lab's connection count) and `--wait-drained` returns saying what API v2
cannot tell, `verify` warns for each real server not online, by the server's name; then the
entry is removed, plan review says "back online", the apply brings it back; a drain made by hand
through the API is shown by plan review as an outside change the apply undoes; `verify
--disruptive` drains a server by itself on both layers; and the plan is empty after all of it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.eas_servers import eas_servers
from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port

pytestmark = pytest.mark.slow

LB1, LB2 = "127.24.10.1", "127.24.10.2"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
STACK = "maint-pair1-lb"
MGMT_61 = "127.24.12.61"  # eas-61's management address (Layer 7)
SERVER = "127.24.13.61"  # eas-61's service address (Layer 4)
EAS_61 = f"eas-61 ({MGMT_61}, {SERVER})"

SITE = """\
name: maint
pools: pools.txt
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
      service_ip: 127.24.13.240/25
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{lb2}:{port}
      management_ip: {lb2}/24
      service_ip: 127.24.13.241/25
      ca_file: ca/ca.pem
    service_vip: 127.24.14.150
    service_gateway: 127.24.13.10
    eas_service_subnet: 127.24.13.0/25
eas_servers:
  - name: eas-61
    addresses: [{mgmt_61}, {server}]
drain:
  seconds: 2
"""
MAINTENANCE = "maintenance:\n  - server: eas-61\n    note: upgrade\n"

POOLS = f"""\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-24080 127.24.11.227 tcp 24080 2100 127.24.12.231 {MGMT_61}
IMAP-24143 127.24.11.223 tcp 24143 0 127.24.12.231 127.24.12.116 {MGMT_61}

# SERVICE
IMAP-24143 - tcp 24143 0 {SERVER} 127.24.13.5
"""
SERVERS = [
    ("eas-231-http", "127.24.12.231", 24080),
    ("eas-61-http", MGMT_61, 24080),
    ("eas-231-imap", "127.24.12.231", 24143),
    ("eas-116-imap", "127.24.12.116", 24143),
    ("eas-61-imap-mgmt", MGMT_61, 24143),
    ("eas-61-imap", SERVER, 24143),
    ("eas-5-imap", "127.24.13.5", 24143),
]


def _run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run in the site's folder, as its user does: the local backend's state is written there."""
    return subprocess.run(
        command,
        cwd=Path(env["EAS_SITE"]).parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _ok(command: list[str], env: dict[str, str]) -> str:
    result = _run(command, env)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@pytest.fixture
def site(
    tmp_path: Path, terraform_home: tuple[Path, Path]
) -> Iterator[tuple[Path, dict[str, str], SimulatorProcess]]:
    """The site applied to two simulators, its EAS stand-ins running; yields (site dir, env, lb1)."""
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    directory = tmp_path / "site"
    directory.mkdir()
    port = free_port(LB1, LB2)
    site_text = SITE.format(lb1=LB1, lb2=LB2, port=port, mgmt_61=MGMT_61, server=SERVER)
    (directory / "site.yaml").write_text(site_text, encoding="utf-8")
    (directory / "pools.txt").write_text(POOLS, encoding="utf-8")
    _home, cli_config = terraform_home  # the provider mirror, built once per session
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [
                str(Path(sys.executable).parent),
                str(REPO_ROOT / "node_modules" / ".bin"),
                os.environ.get("PATH", ""),
            ]
        ),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "EAS_SITE": str(directory / "site.yaml"),
        "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    shared_ca = ["--ca-dir", str(directory / "ca")]
    with ExitStack() as stack:
        simulators = [
            stack.enter_context(
                running_simulator(
                    tmp_path / name, f"{ip}:{port}", name=name, advanced=GUIDE_GLOBALS, extra_args=shared_ca
                )
            )
            for name, ip in (("lb1", LB1), ("lb2", LB2))
        ]
        stack.enter_context(eas_servers(SERVERS))
        _apply(env)
        yield directory, env, simulators[0]


def _stack_dir(env: dict[str, str]) -> Path:
    return Path(env["CDKTF_OUTDIR"]) / "stacks" / STACK


def _apply(env: dict[str, str], *, synth: bool = True) -> None:
    """Synthesize (unless plan review just did) and apply the pair's stack."""
    if synth:
        _ok([sys.executable, str(REPO_ROOT / "main.py")], env)
    _ok(["terraform", f"-chdir={_stack_dir(env)}", "init", "-input=false", "-no-color"], env)
    _ok(
        ["terraform", f"-chdir={_stack_dir(env)}", "apply", "-input=false", "-no-color", "-auto-approve"], env
    )


def _review(env: dict[str, str]) -> str:
    _ok([sys.executable, str(REPO_ROOT / "main.py")], env)
    return _ok(
        [
            sys.executable,
            "-m",
            "eas_lb",
            "plan-review",
            "--synth-dir",
            env["CDKTF_OUTDIR"],
            "--stack",
            STACK,
            "--plans-dir",
            str(Path(env["CDKTF_OUTDIR"]).parent / "reviewed-plans"),
        ],
        env,
    )


def _plan_is_empty(env: dict[str, str]) -> None:
    plan = _run(
        ["terraform", f"-chdir={_stack_dir(env)}", "plan", "-input=false", "-no-color", "-detailed-exitcode"],
        env,
    )
    assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-3000:]


def _verify(env: dict[str, str], *extra: str) -> list[dict[str, str]]:
    """verify's rows (JSON); it must exit 0: no check failed."""
    result = _run([sys.executable, "-m", "eas_lb", "verify", "--json", *extra], env)
    rows: list[dict[str, str]] = json.loads(result.stdout)["rows"]
    failed = [row for row in rows if row["outcome"] == "fail"]
    assert result.returncode == 0, json.dumps(failed, indent=1) + result.stderr[-2000:]
    return rows


def _rows(rows: list[dict[str, str]], test: str) -> list[dict[str, str]]:
    return [row for row in rows if row["test"] == test]


def test_an_eas_server_goes_into_maintenance_on_every_vip_and_comes_back(
    site: tuple[Path, dict[str, str], SimulatorProcess],
) -> None:
    directory, env, lb1 = site
    site_file = directory / "site.yaml"
    original = site_file.read_text(encoding="utf-8")

    site_file.write_text(original + MAINTENANCE, encoding="utf-8")
    review = _review(env)
    assert (
        f"- EAS {EAS_61} in maintenance (drain) on 2 + 1 VIPs (MGMT_HTTP-24080, MGMT_IMAP-24143, "
        "SERV_IMAP-24143)" in review
    ), review
    assert "**Risk:** no interrupting change found" in review and "**0 reloads**" in review, review
    _apply(env, synth=False)
    _plan_is_empty(env)  # the drains are read back as they were written

    shown = json.loads(_ok([sys.executable, "-m", "eas_lb", "servers", "--json"], env))
    listed = shown["servers"]
    on_primary = {
        (s["vip"], s["address"], s["state"])
        for s in listed
        if s["eas_server"] == "eas-61" and s["appliance"] == "lb1"
    }
    assert on_primary == {
        ("MGMT_HTTP-24080", MGMT_61, "drain"),
        ("MGMT_IMAP-24143", MGMT_61, "drain"),
        ("SERV_IMAP-24143", SERVER, "drain"),
    }
    assert all(s["note"] == "maintenance (drain): upgrade" for s in listed if s["eas_server"] == "eas-61")
    (named,) = [item for item in shown["eas_servers"] if item["name"] == "eas-61"]
    assert named["addresses"] == [MGMT_61, SERVER] and (named["layer7_vips"], named["layer4_vips"]) == (2, 1)
    assert named["states"] == {"drain": 3} and named["connections"] is None  # API v2 reports none
    assert named["lab_connections"] == 0  # the lab's own count: no client holds one
    summary = _ok([sys.executable, "-m", "eas_lb", "servers"], env)
    (line,) = [row for row in summary.splitlines() if EAS_61 in row]
    assert "2 + 1 VIPs" in line and " drain " in line and "(lab's count" in line, summary
    assert MGMT_61 not in summary.replace(EAS_61, ""), summary  # one line for the server, not one per VIP
    waited = _ok(
        [sys.executable, "-m", "eas_lb", "servers", "--wait-drained", "--timeout", "60", "--interval", "0.5"],
        env,
    )
    assert (
        "drained: the drain time has run; API v2 does not report established connections: long-lived "
        "ones may still be open" in waited
    ), waited

    report = _verify(env)
    warned = _rows(report, "server state")
    assert {(row["subject"], row["outcome"]) for row in warned if "on lb1" in row["detail"]} == {
        ("MGMT_HTTP-24080", "warn"),
        ("MGMT_IMAP-24143", "warn"),
        ("SERV_IMAP-24143", "warn"),
    }, warned
    assert all("in maintenance in the site file" in row["detail"] for row in warned)
    assert all(row["detail"].startswith(f"EAS {EAS_61}: ") for row in warned), warned

    site_file.write_text(original, encoding="utf-8")
    review = _review(env)
    assert (
        f"- EAS {EAS_61} back online on 2 + 1 VIPs (MGMT_HTTP-24080, MGMT_IMAP-24143, SERV_IMAP-24143)"
        in review
    ), review
    _apply(env, synth=False)

    # A drain made by hand (the WebUI's, here the raw API) is a change plan review shows, and its
    # undoing a risk; the apply puts the site file's state back.
    label = next(s["label"] for s in listed if s["address"] == MGMT_61 and s["vip"] == "MGMT_HTTP-24080")
    lb1.call_ok([{"action": "drain", "vip": "MGMT_HTTP-24080", "rip": label}])
    review = _review(env)
    assert f"- EAS {MGMT_61} was set to drain on MGMT_HTTP-24080 outside Terraform" in review, review
    assert (
        f"⚠ outside change: `EAS {MGMT_61} in MGMT_HTTP-24080` on lb1 ({STACK}): set to drain outside "
        "Terraform; this apply puts it back to online"
    ) in review, review
    _apply(env, synth=False)

    report = _verify(env, "--disruptive")
    assert not _rows(report, "server state")
    drains = {row["subject"]: row for row in _rows(report, "drain")}
    assert set(drains) == {"MGMT_IMAP-24143", "SERV_IMAP-24143"}, drains
    assert all(
        row["outcome"] == "pass" and "its established connection kept" in row["detail"]
        for row in drains.values()
    ), drains
    _plan_is_empty(env)  # back online as the site file says, and the drain check undid its drains
