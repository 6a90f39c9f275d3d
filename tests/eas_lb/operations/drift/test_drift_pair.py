"""`eas-lb drift` on a deployed simulated pair, drift made by raw API calls.

One scenario 1 site is deployed once for the module (two simulators on 127.21.10.1 and
127.21.10.2, real terraform and lborg provider); the tests then run in file order: a clean pair
(exit 0), drift of every kind the provider reads made by hand through the API (exit 2, each named
with its appliance, its two ways out and whether it waits for a reload), the same after a reload
(live), and one appliance that does not answer (exit 1, named). The state file is compared before
and after every run: drift never writes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

pytestmark = pytest.mark.slow

LB1, LB2 = "127.21.10.1", "127.21.10.2"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
STACK = "drift-pair1-lb"

SITE = """\
name: drift
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
      service_ip: 127.21.13.240/25
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{lb2}:{port}
      management_ip: {lb2}/24
      service_ip: 127.21.13.241/25
      ca_file: ca/ca.pem
    service_vip: 127.21.14.150
    service_gateway: 127.21.13.10
    eas_service_subnet: 127.21.13.0/25
backend:
  kind: local
  config:
    path: {state}
"""

POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.21.11.227 tcp 18080 2100 127.21.12.231 127.21.12.116
IMAP-10143 127.21.11.223 tcp 10143 0 127.21.12.231 127.21.12.116

# SERVICE
HTTP-18080 - tcp 18080 2100 127.21.13.61 127.21.13.5
"""


def _run(command: list[str], env: dict[str, str], cwd: Path = REPO_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False)


def _ok(command: list[str], env: dict[str, str]) -> str:
    result = _run(command, env)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result.stdout


@dataclass
class DeployedPair:
    site: Path
    env: dict[str, str]
    simulators: list[SimulatorProcess]
    state_files: list[Path]
    cleanups: list[Callable[[], None]]

    def state_digest(self) -> str:
        digest = hashlib.sha256()
        for path in self.state_files:
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def appliance_snapshots(self) -> list[tuple[str, Any, Any]]:
        """Each answering appliance's configuration, pending services and reload counts."""
        found = []
        for sim in self.simulators:
            try:
                config = sim.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
                status = sim.call([{"action": "nodestatus"}])[0]["data"]
            except Exception:  # a stopped appliance has nothing to compare
                continue
            found.append((sim.name, config, (status["pending"], status["counters"]["reloads"])))
        return found

    def drift(self, *extra: str) -> tuple[subprocess.CompletedProcess[str], str, dict[str, Any]]:
        """Run drift (markdown to a file, JSON on stdout); the state must be unchanged after it."""
        before = self.state_digest()
        appliances = self.appliance_snapshots()
        out = self.site.parent / "drift.md"
        out.unlink(missing_ok=True)
        result = _run(
            [
                sys.executable,
                "-m",
                "eas_lb",
                "drift",
                "--site",
                str(self.site / "site.yaml"),
                "--synth-dir",
                self.env["CDKTF_OUTDIR"],
                "--json",
                "--out",
                str(out),
                *extra,
            ],
            self.env,
        )
        assert self.state_digest() == before, "drift changed the Terraform state"
        assert self.appliance_snapshots() == appliances, "drift changed an appliance"
        assert not list(Path(self.env["CDKTF_OUTDIR"]).rglob("*.tfplan")), "a plan file was left behind"
        markdown = out.read_text(encoding="utf-8") if out.exists() else ""
        document = json.loads(result.stdout) if result.stdout.strip() else {}
        return result, markdown, document


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeployedPair]:
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    tmp_path = tmp_path_factory.mktemp("drift")
    site = tmp_path / "site"
    site.mkdir()
    port = free_port(LB1, LB2)
    (site / "site.yaml").write_text(
        SITE.format(lb1=LB1, lb2=LB2, port=port, state=tmp_path / "drift.tfstate"), encoding="utf-8"
    )
    (site / "pools.txt").write_text(POOLS, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": os.pathsep.join(
            [
                str(Path(sys.executable).parent),
                str(REPO_ROOT / "node_modules" / ".bin"),
                os.environ.get("PATH", ""),
            ]
        ),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "EAS_SITE": str(site / "site.yaml"),
        "CDKTF_OUTDIR": str(tmp_path / "cdktf.out"),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    assert env.get("TF_CLI_CONFIG_FILE"), "run with the Makefile's environment (TF_CLI_CONFIG_FILE)"
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
        _ok([sys.executable, "main.py"], env)
        stack_dir = tmp_path / "cdktf.out" / "stacks" / STACK
        _ok(["terraform", f"-chdir={stack_dir}", "init", "-input=false", "-no-color"], env)
        _ok(["terraform", f"-chdir={stack_dir}", "apply", "-input=false", "-no-color", "-auto-approve"], env)
        states = [tmp_path / "drift.tfstate"]
        assert states[0].is_file(), "no state file after apply"
        deployed = DeployedPair(site, env, simulators, states, [])
        try:
            yield deployed
        finally:
            for cleanup in deployed.cleanups:
                cleanup()


def _findings(document: dict[str, Any], appliance: str, subject: str) -> list[str]:
    return [
        item["what"]
        for item in document["findings"]
        if item["appliance"] == appliance and item["subject"] == subject
    ]


def test_a_clean_pair_exits_0(pair: DeployedPair) -> None:
    result, markdown, document = pair.drift()
    assert result.returncode == 0, result.stderr + markdown
    assert document["status"] == "clean" and document["findings"] == []
    assert "**No drift**: the appliances `lb1`, `lb2` match the last deploy of `drift-pair1-lb`." in markdown


def test_a_synth_older_than_pools_txt_cannot_tell(pair: DeployedPair) -> None:
    """One comment line appended to pools.txt: the stack is not refreshed, and nothing of it is
    reported (its own service gateway above all: deleting it cuts every Layer 4 VIP's NAT return)."""
    pools = pair.site / "pools.txt"
    pools.write_text(POOLS + "# reviewed\n", encoding="utf-8")
    try:
        result, markdown, document = pair.drift()
    finally:
        pools.write_text(POOLS, encoding="utf-8")
    assert result.returncode == 1, result.stderr + markdown
    assert document["could_not_tell"] == [
        f"stack {STACK} was not refreshed: pools.txt changed since the last `cdktf synth`; "
        "run `cdktf synth`, then drift again"
    ]
    assert document["findings"] == [] and "127.21.13.10" not in markdown


def _without_state(pair: DeployedPair) -> Callable[[], object]:
    """The state of the last deploy moved away, as on a fresh clone of the site (local backend)."""
    state = pair.state_files[0]
    state.rename(state.with_name("away.tfstate"))
    pair.state_files = []

    def back() -> None:
        state.with_name("away.tfstate").rename(state)
        pair.state_files = [state]

    return back


def _moved(path: Path) -> Callable[[], object]:
    path.rename(path.with_name(path.name + ".away"))
    return lambda: path.with_name(path.name + ".away").rename(path)


def _endpoint_typo(pair: DeployedPair) -> Callable[[], object]:
    site = pair.site / "site.yaml"
    text = site.read_text(encoding="utf-8")
    site.write_text(
        text.replace(f"endpoint: https://{LB2}:", "endpoint: https://127.21.10.3:"), encoding="utf-8"
    )
    return lambda: site.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("case", "said"),
    [
        ("no state", f"stack {STACK} was not refreshed: its Terraform state (the local file "),
        ("no credentials", "LBORG_PASSWORD and LBORG_API_KEY are not set in this shell (lb1, lb2): export"),
        ("no env.sh", "TF_CLI_CONFIG_FILE is not set, so Terraform cannot find local/lborg/lborg"),
        ("no CA file", "lb1: its CA file "),
        ("endpoint typo", "lb2 (secondary of pair pair1) does not answer at https://127.21.10.3:"),
    ],
)
def test_what_a_user_can_get_wrong_is_could_not_tell_with_its_fix(
    pair: DeployedPair, case: str, said: str
) -> None:
    """Exit 1, the reason and its fix, no traceback, and nothing of the stack reported as drift."""
    env = dict(pair.env)
    if case == "no state":
        undo = _without_state(pair)
    elif case == "no CA file":
        undo = _moved(pair.site / "ca" / "ca.pem")
    elif case == "endpoint typo":
        undo = _endpoint_typo(pair)
    else:
        gone = ["LBORG_PASSWORD", "LBORG_API_KEY"] if case == "no credentials" else ["TF_CLI_CONFIG_FILE"]
        pair.env = {name: value for name, value in env.items() if name not in gone}
        undo = lambda: None  # noqa: E731
    try:
        result, markdown, document = pair.drift()
    finally:
        undo()
        pair.env = env
    assert result.returncode == 1, result.stderr + markdown
    assert "Traceback" not in result.stderr
    assert document["status"] == "unknown" and document["findings"] == [], markdown
    reasons = " | ".join(document["could_not_tell"])
    assert said in reasons, reasons
    assert "**⚠ Could not tell:**" in markdown and "127.21.13.10" not in markdown
    fixes = {
        "no state": "Run drift where the state of the last deploy is",
        "no credentials": "then drift again",
        "no env.sh": "`. ./env.sh` exports it",
        "no CA file": "does not exist (site file, pair pair1, primary.ca_file)",
        "endpoint typo": "is not the address the last deploy paired lb2 at (127.21.10.2, in the state)",
    }
    assert fixes[case] in reasons, reasons


def test_a_clean_pair_plans_nothing_and_warns_of_no_outside_edit(pair: DeployedPair) -> None:
    stack_dir = Path(pair.env["CDKTF_OUTDIR"]) / "stacks" / STACK
    command = ["terraform", f"-chdir={stack_dir}", "plan", "-input=false", "-no-color", "-detailed-exitcode"]
    result = _run(command, pair.env)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "outside Terraform" not in result.stdout + result.stderr


def _heartbeat_edited_by_hand(pair: DeployedPair, udpport: str) -> Callable[[], None]:
    """Change lb1's heartbeat UDP port as the WebUI would (no API action sets it): its
    lb_config.xml rewritten, which the appliance reads on its next action. Returns the undo."""
    path = pair.simulators[0].state_dir / "lb_config.xml"
    original = path.read_text(encoding="utf-8")
    assert original.count("<udpport>6694</udpport>") == 1
    path.write_text(original.replace("<udpport>6694</udpport>", f"<udpport>{udpport}</udpport>"))

    def undo() -> None:
        path.write_text(original, encoding="utf-8")

    return undo


def _heartbeat_replicated(pair: DeployedPair) -> None:
    """Wait until the secondary holds the primary's heartbeat section (the pair's next beat
    replicates it), so that no replication lands while drift compares the appliances."""

    def same() -> bool:
        sections = [
            sim.call([{"action": "list", "function": "dumpconfig"}])[0]["data"].get("heartbeat")
            for sim in pair.simulators
        ]
        return bool(sections[0] == sections[1])

    assert wait_until(same, 20, interval=0.2) is not None, "the pair did not replicate its heartbeat section"


def test_heartbeat_edits_by_hand_are_each_reported_once_with_one_webui_step(pair: DeployedPair) -> None:
    """A floating IP added and the UDP port changed on the primary: one finding each, on the
    primary only (the secondary holds the replicated copy), and neither says to restore a backup."""
    lb1 = pair.simulators[0]
    undo = _heartbeat_edited_by_hand(pair, "6695")
    lb1.call_ok([{"action": "add-floating-ip", "ip": "127.21.13.98"}])
    try:
        _heartbeat_replicated(pair)
        result, markdown, document = pair.drift()
    finally:
        lb1.call_ok([{"action": "delete-floating-ip", "ip": "127.21.13.98"}])
        undo()
        _heartbeat_replicated(pair)
    assert result.returncode == 2, result.stderr + markdown
    found = {(item["appliance"], item["subject"], item["what"]): item for item in document["findings"]}
    assert sorted(found) == [
        (
            "lb1",
            "appliance settings",
            "heartbeat configuration edited outside Terraform (no managed attribute covers it)",
        ),
        ("lb1", "floating IPs", "floating IP 127.21.13.98 on the appliance"),
    ], markdown
    assert all("restore" not in item["put_back"] for item in found.values()), markdown
    assert (
        "High-Availability Configuration"
        in found[next(k for k in found if k[1] == "appliance settings")]["put_back"]
    )
    assert "Floating IPs" in found[next(k for k in found if k[1] == "floating IPs")]["put_back"]
    # Undone by hand: nothing left to report.
    result, markdown, document = pair.drift()
    assert result.returncode == 0, result.stderr + markdown


def test_drift_of_every_kind_is_named_with_its_appliance(pair: DeployedPair) -> None:
    lb1 = pair.simulators[0]
    lb1.call_ok(
        [
            {"action": "edit-vip", "vip": "MGMT_HTTP-18080", "persist_time": "60"},
            {"action": "edit-vip", "vip": "SERV_HTTP-18080", "scheduler": "wlc"},
            {"action": "edit-rip", "vip": "MGMT_IMAP-10143", "rip": "EAS_SSS-127.21.12.231", "weight": "40"},
            {"action": "delete-rip", "vip": "SERV_HTTP-18080", "rip": "EAS_SSS-127.21.13.5"},
            {
                "action": "add-rip",
                "vip": "MGMT_IMAP-10143",
                "rip": "EXTRA",
                "ip": "127.21.12.99",
                "port": "10143",
            },
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "TEST-80",
                "ip": "127.21.11.80",
                "ports": "80",
                "mode": "tcp",
            },
            {"action": "delete-floating-ip", "ip": "127.21.13.10"},
            {"action": "add-floating-ip", "ip": "127.21.13.99"},
        ]
    )
    result, markdown, document = pair.drift()
    assert result.returncode == 2, result.stderr + markdown
    assert document["status"] == "drift"
    http = _findings(document, "lb1", "MGMT_HTTP-18080")
    assert "persistence 35 → 60 min on the appliance" in http
    assert "balancing wrr → wlc on the appliance" in _findings(document, "lb1", "SERV_HTTP-18080")
    assert "EAS 127.21.12.231: weight 100 → 40 on the appliance" in _findings(
        document, "lb1", "MGMT_IMAP-10143"
    )
    assert "EAS 127.21.13.5 missing on the appliance" in _findings(document, "lb1", "SERV_HTTP-18080")
    assert "server EXTRA in MGMT_IMAP-10143 on the appliance" in _findings(document, "lb1", "MGMT_IMAP-10143")
    assert "VIP TEST-80 on the appliance" in _findings(document, "lb1", "TEST-80")
    floating = _findings(document, "lb1", "floating IPs")
    assert "floating IP 127.21.13.10 deleted on the appliance" in floating
    assert "floating IP 127.21.13.99 on the appliance" in floating
    # Nothing was reloaded: the appliance says each change waits for a reload.
    assert {item["name"]: item["pending_reload"] for item in document["appliances"]}["lb1"] == [
        "haproxy",
        "heartbeat",
        "ldirectord",
    ]
    assert (
        "- persistence 35 → 60 min on the appliance — changed outside the code; **pending a reload of haproxy"
        in markdown
    )
    # The two ways out: the exact deploy command, and the pools.txt line to change.
    deploy = f"`eas-lb deploy --site {pair.site / 'site.yaml'} --stack {STACK}`"
    block = markdown.split("- persistence 35 → 60 min on the appliance", 1)[1].split("\n- ", 1)[0]
    assert f"put it back: {deploy}" in block
    assert (
        "keep it: not possible in the site file: it is the STICKY column of pool HTTP-18080 in the "
        "EAS's pools.txt (pools.txt line 2)" in block
    )
    assert TEST_PASSWORD not in markdown and TEST_API_KEY not in markdown


def test_after_a_reload_the_changes_are_live(pair: DeployedPair) -> None:
    pair.simulators[0].call_ok([{"action": "reload-haproxy"}])
    result, markdown, document = pair.drift()
    assert result.returncode == 2, result.stderr + markdown
    assert {item["name"]: item["pending_reload"] for item in document["appliances"]}["lb1"] == [
        "heartbeat",
        "ldirectord",
    ]
    assert "- persistence 35 → 60 min on the appliance — changed outside the code; live" in markdown


@pytest.mark.parametrize(
    ("action", "vip", "server", "words"),
    [
        (
            "halt",
            "MGMT_HTTP-18080",
            "127.21.12.116",
            "halted on the appliance: it takes no new connections; the next deploy, for any change, puts "
            "it back online",
        ),
        (
            "drain",
            "SERV_HTTP-18080",  # Layer 4: drained as IPVS does, weight 0
            "127.21.13.61",
            "draining on the appliance: it takes no new connections, except its persistent clients; the "
            "next deploy, for any change, puts it back online",
        ),
    ],
)
def test_a_halted_or_drained_server_is_named_with_its_appliance(
    pair: DeployedPair, action: str, vip: str, server: str, words: str
) -> None:
    """Halted or drained through the API (the WebUI's System Overview does the same)."""
    lb1 = pair.simulators[0]
    lb1.call_ok([{"action": action, "vip": vip, "rip": f"EAS_SSS-{server}"}])
    try:
        result, markdown, document = pair.drift()
    finally:
        lb1.call_ok([{"action": "online", "vip": vip, "rip": f"EAS_SSS-{server}"}])
    assert result.returncode == 2, result.stderr + markdown
    found = [
        item
        for item in document["findings"]
        if item["appliance"] == "lb1" and item["what"] == f"EAS {server} {words}"
    ]
    assert found and found[0]["subject"] == vip, markdown
    assert found[0]["put_back"] == f"`eas-lb deploy --site {pair.site / 'site.yaml'} --stack {STACK}`"
    assert found[0]["keep"].startswith(f"site file: maintenance: [{{server: {server}, state: {action}}}]")


def _restart_with_globals(pair: DeployedPair, index: int, advanced: dict[str, str]) -> None:
    """The global check settings have no API write action: set them as the WebUI would, at start."""
    old = pair.simulators[index]
    old.stop()
    ca = ["--ca-dir", str(pair.site / "ca")]
    new = SimulatorProcess(old.state_dir, old.listen, name=old.name, advanced=advanced, extra_args=ca)
    new.start()
    pair.simulators[index] = new
    pair.cleanups.append(new.stop)

    def replicated() -> bool:
        globals_of = [
            {
                key: sim.call([{"action": "list", "function": "dumpconfig"}])[0]["data"][key]["global"]
                for key in ("haproxy", "ldirectord")
            }
            for sim in pair.simulators
        ]
        return globals_of[0] == globals_of[1]

    assert wait_until(replicated, 20, interval=0.2) is not None, (
        "the pair did not replicate the global settings"
    )


def test_global_check_settings_off_the_guide_are_drift(pair: DeployedPair) -> None:
    _restart_with_globals(pair, 0, {**GUIDE_GLOBALS, "l7.interval": "5000", "l4.failurecount": "4"})
    try:
        result, markdown, document = pair.drift()
    finally:
        _restart_with_globals(pair, 0, GUIDE_GLOBALS)
    assert result.returncode == 2, result.stderr + markdown
    found = _findings(document, "lb1", "global check settings")
    assert "Layer 7 interval 3000 → 5000 ms on the appliance" in found
    assert "Layer 4 failurecount 2 → 4 on the appliance" in found
    assert "Cluster Configuration > Layer 7 Advanced Configuration" in markdown


def test_an_appliance_that_does_not_answer_exits_1_and_is_named(pair: DeployedPair) -> None:
    lb2 = pair.simulators[1]
    lb2.stop()
    try:
        result, markdown, document = pair.drift()
    finally:
        lb2.start()
    assert result.returncode == 1, result.stderr + markdown
    assert document["status"] == "unknown"
    assert any(
        reason.startswith("lb2 (secondary of pair pair1) does not answer at")
        for reason in document["could_not_tell"]
    )
    assert "**⚠ Could not tell:** lb2 (secondary of pair pair1) does not answer" in markdown
    assert "not** known to be clean" in markdown
    assert "No drift" not in markdown
