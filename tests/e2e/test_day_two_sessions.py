"""Day two without dropping users: pools.txt changes on a deployed site whose clients hold sessions.

A scenario 1 site on a simulated HA pair (127.26.10.1 and 127.26.10.2, loopback only) with the real
cdktf CLI, terraform and lborg provider: a Layer 7 pool and a Layer 4 pool, both without
persistence, each on the EAS servers 127.26.13.61, .62 and .63 (stand-ins that keep a connection
open and echo its lines: `EAS-SIM hold`), and an 8 s drain time in the site file. Clients hold one
connection to every server through each VIP; then, one deployed step after another:
1. `eas-lb deploy` removes .61 from both rows: while it drains, .61's held connections
   still exchange data and no new connection through either VIP reaches it; afterwards it is gone
   from both appliances and every other held connection still exchanges data;
2. the EAS reorders the rows and their servers: the plan is empty, an apply reloads nothing;
3. .61 comes back on the Layer 7 row only: Layer 4 is not reloaded and its held connections
   survive; the Layer 7 ones survive HAProxy's reload; a second plan is empty;
4. a deploy that removes .62 from both rows is killed (its whole process group) while .62 drains;
   the next deploy converges and the plan is empty;
5. the README's "Upgrading an EAS server" on a server with two addresses, .61 in the Layer 7 row
   (management) and .71 in the Layer 4 row (service), as scenario 1 has them, each step counted
   on held connections: in maintenance by its name no new connection through either
   VIP reaches either address while every held one goes on, `servers --wait-drained` says who
   drains where until when, the stand-in's restart (the upgrade) cuts exactly the connections on
   it, and back online both addresses take new connections again.
The steps share one deployment and run in order.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from eas_lb.operations.appliances.live_servers import LiveServer, live_servers
from lborg_simulator.eas_servers import HOLD_REQUEST, EasServerGroup, eas_servers, parse_identity
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
from tests.support.terraform import dumpconfig, simulator_counters, wait_for_state_written

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

LB1, LB2 = "127.26.10.1", "127.26.10.2"
STACK = "sessions-pair1-lb"
DRAIN_SECONDS = 8  # room for the probes inside the drain on a busy CI machine
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
L7_VIP, L7_PORT, L7_LABEL = "127.26.11.223", 26143, "MGMT_IMAP-26143"
L4_VIP, L4_PORT, L4_LABEL = "127.26.14.150", 26993, "SERV_IMAPS-26993"
EAS = ["127.26.13.61", "127.26.13.62", "127.26.13.63"]
GONE, LATER = EAS[0], EAS[1]
#: Step 5's EAS server: its management address (Layer 7 row) and its service address (Layer 4 row).
UPGRADED_MGMT, UPGRADED_SERVICE, OTHER = EAS[0], "127.26.13.71", EAS[2]
UPGRADED_NAME = "eas-61"

SITE = f"""\
name: sessions
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
      service_ip: 127.26.13.240/25
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{LB2}:{{port}}
      management_ip: {LB2}/24
      service_ip: 127.26.13.241/25
      ca_file: ca/ca.pem
    service_vip: {L4_VIP}
    service_gateway: 127.26.13.10
    eas_service_subnet: 127.26.13.0/25
drain:
  seconds: {DRAIN_SECONDS}
backend:
  kind: local
"""


def _pools(l7: list[str], l4: list[str], *, reordered: bool = False) -> str:
    management = f"IMAP-{L7_PORT} {L7_VIP} tcp {L7_PORT} 0 {' '.join(l7)}"
    service = f"IMAPS-{L4_PORT} - tcp {L4_PORT} 0 {' '.join(l4)}"
    if reordered:
        return (
            f"# SERVICE\n{service}\n\nPOOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n{management}\n"
        )
    return f"POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n{management}\n\n# SERVICE\n{service}\n"


STAND_INS = [(f"l7-{ip.rsplit('.', 1)[1]}", ip, L7_PORT) for ip in EAS] + [
    (f"l4-{ip.rsplit('.', 1)[1]}", ip, L4_PORT) for ip in [*EAS, UPGRADED_SERVICE]
]


@dataclass
class Held:
    """A client's long-lived connection through a VIP, answered by one EAS server."""

    vip: str
    sock: socket.socket
    server: str
    name: str
    lines: int = 0

    def exchanges(self) -> bool:
        """A line sent on the established connection comes back from the same server."""
        self.lines += 1
        message = f"line {self.lines}"
        try:
            self.sock.sendall(message.encode() + b"\n")
            data = b""
            while not data.endswith(b"\n") and len(data) < 512:
                chunk = self.sock.recv(512)
                if not chunk:
                    return False
                data += chunk
        except OSError:
            return False
        return data.decode(errors="replace").strip() == f"{self.name} {message}"


def _connect(vip: str, port: int) -> tuple[socket.socket, dict[str, str]]:
    """A new connection through the VIP that the answering server keeps; who answered."""
    sock = socket.create_connection((vip, port), timeout=3.0)
    sock.sendall(HOLD_REQUEST)
    data = b""
    while b"\n" not in data and len(data) < 512:
        chunk = sock.recv(512)
        if not chunk:
            break
        data += chunk
    return sock, parse_identity(data.decode(errors="replace"))


def _answered_by(vip: str, port: int) -> str:
    """The address of the server a new connection through the VIP reaches."""
    sock, identity = _connect(vip, port)
    sock.close()
    assert identity, f"nothing answered through {vip}:{port}"
    return identity["addr"].rpartition(":")[0]


def _every_vip_reaches_every_server() -> bool:
    """New connections through each VIP reach all three servers (their health checks passed)."""
    try:
        return all(
            {_answered_by(vip, port) for _ in range(6)} == set(EAS)
            for vip, port in ((L7_VIP, L7_PORT), (L4_VIP, L4_PORT))
        )
    except (OSError, AssertionError):
        return False


@dataclass
class Site:
    path: Path
    env: dict[str, str]
    lb1: SimulatorProcess
    lb2: SimulatorProcess
    stand_ins: EasServerGroup
    held: list[Held] = field(default_factory=list)

    @property
    def stack_dir(self) -> Path:
        return Path(self.env["CDKTF_OUTDIR"]) / "stacks" / STACK

    @property
    def state_file(self) -> Path:
        """The stack's local state file, where the synthesized backend puts it."""
        document = json.loads((self.stack_dir / "cdk.tf.json").read_text(encoding="utf-8"))
        path = Path(document["terraform"]["backend"]["local"]["path"])
        return path if path.is_absolute() else self.stack_dir / path

    def ok(self, command: list[str]) -> str:
        result = subprocess.run(
            command, cwd=self.path, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )
        assert result.returncode == 0, (
            f"{' '.join(command)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
        return result.stdout

    def write_pools(self, text: str) -> None:
        (self.path / "pools.txt").write_text(text, encoding="utf-8")

    def terraform(self, *arguments: str) -> str:
        return self.ok(["terraform", f"-chdir={self.stack_dir}", *arguments, "-no-color"])

    def synth_and_apply(self) -> None:
        self.ok([sys.executable, str(REPO_ROOT / "main.py")])
        self.terraform("init", "-input=false")
        self.terraform("apply", "-input=false", "-auto-approve")

    def plan_is_empty(self) -> None:
        self.ok([sys.executable, str(REPO_ROOT / "main.py")])
        command = ["terraform", f"-chdir={self.stack_dir}", "plan", "-input=false", "-no-color"]
        plan = subprocess.run(
            [*command, "-detailed-exitcode"],
            cwd=self.path, env=self.env, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
        assert plan.returncode == 0, plan.stdout[-3000:] + plan.stderr[-3000:]

    def deploy(self) -> subprocess.Popen[str]:
        """`eas-lb deploy` as an operator runs it, in its own process group."""
        return subprocess.Popen(
            [sys.executable, "-m", "eas_lb", "deploy", "--no-backup", "--app-dir", str(self.path),
             "--", "--auto-approve"],
            cwd=self.path, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )  # fmt: skip

    def reloads(self) -> dict[str, int]:
        return dict(simulator_counters(self.lb1)["reloads"])

    def live(self, simulator: SimulatorProcess, name: str) -> list[LiveServer]:
        status = simulator.call([{"action": "nodestatus"}])[0]["data"]
        return live_servers(name, dumpconfig(simulator), status)

    def where(self, address: str) -> tuple[set[str], set[str]]:
        """The primary's VIPs that have the EAS server as a real server: in the configuration, and
        in the running service (which keeps a deleted server, draining, until the next reload)."""
        status = self.lb1.call([{"action": "nodestatus"}])[0]["data"]
        configured = {server.vip for server in live_servers("lb1", dumpconfig(self.lb1), status)
                      if server.address == address}  # fmt: skip
        running = {vip["label"] for vip in status["vips"] for real in vip["reals"] if real["ip"] == address}
        return configured, running

    def draining(self, address: str) -> bool:
        """The deploy drained and deleted the EAS server on both VIPs and has not reloaded yet (it
        sends `drain` just before `delete-rip`; the commit waits the drain time, then reloads)."""
        return self.where(address) == (set(), {L7_LABEL, L4_LABEL})

    def addresses(self) -> dict[tuple[str, str], set[str]]:
        """{(appliance, VIP label): EAS server addresses} on both appliances."""
        found: dict[tuple[str, str], set[str]] = {}
        for simulator, name in ((self.lb1, "lb1"), (self.lb2, "lb2")):
            for server in self.live(simulator, name):
                found.setdefault((name, server.vip), set()).add(server.address)
        return found

    def hold_everywhere(self) -> None:
        """One held connection to every EAS server through each VIP (as many tries as it takes)."""
        for vip, port in ((L7_VIP, L7_PORT), (L4_VIP, L4_PORT)):
            reached: set[str] = set()
            for _ in range(30):
                sock, identity = _connect(vip, port)
                address = identity.get("addr", "").rpartition(":")[0]
                if not identity or address in reached:
                    sock.close()
                else:
                    reached.add(address)
                    self.held.append(Held(vip, sock, address, identity["name"]))
                if reached == set(EAS):
                    break
            assert reached == set(EAS), f"through {vip}: reached only {sorted(reached)}"

    def broken(self, held: list[Held]) -> list[str]:
        return [f"{h.vip} -> {h.server}" for h in held if not h.exchanges()]

    def close(self) -> None:
        for held in self.held:
            with contextlib.suppress(OSError):
                held.sock.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site deployed on two simulators, the stand-ins running, a connection held to each."""
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    root = tmp_path_factory.mktemp("sessions")
    path = root / "site"
    path.mkdir()
    port = free_port(LB1, LB2)
    (path / "site.yaml").write_text(SITE.format(port=port), encoding="utf-8")
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
        "EAS_SITE": str(path / "site.yaml"),
        "CDKTF_OUTDIR": str(outdir),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }
    shared_ca = ["--ca-dir", str(path / "ca")]
    with ExitStack() as stack:
        lb1, lb2 = (
            stack.enter_context(
                running_simulator(
                    root / name, f"{ip}:{port}", name=name, advanced=GUIDE_GLOBALS, extra_args=shared_ca
                )
            )
            for name, ip in (("lb1", LB1), ("lb2", LB2))
        )
        stand_ins = stack.enter_context(eas_servers(STAND_INS))
        deployed = Site(path, env, lb1, lb2, stand_ins)
        stack.callback(deployed.close)
        deployed.write_pools(_pools(EAS, EAS))
        deployed.synth_and_apply()
        healthy = wait_until(_every_vip_reaches_every_server, 30, interval=0.5)
        assert healthy is not None, "a VIP did not reach every EAS server in 30 s"
        deployed.hold_everywhere()
        yield deployed


def _wait_for_drain(site: Site, deploy: subprocess.Popen[str], address: str) -> None:
    """Until the deploy has `address` draining on both VIPs of the primary."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if deploy.poll() is not None:
            output, _ = deploy.communicate()
            pytest.fail(f"the deploy ended before {address} was seen draining:\n{output[-3000:]}")
        if site.draining(address):
            return
        time.sleep(0.05)
    pytest.fail(f"{address} never drained")


def _finished(deploy: subprocess.Popen[str]) -> str:
    output, _ = deploy.communicate(timeout=300)
    assert deploy.returncode == 0, output[-4000:]
    return output


def test_1_a_removed_server_drains_with_its_sessions_then_goes(site: Site) -> None:
    ours = [held for held in site.held if held.server == GONE]
    others = [held for held in site.held if held.server != GONE]
    site.write_pools(_pools(EAS[1:], EAS[1:]))
    deploy = site.deploy()
    try:
        _wait_for_drain(site, deploy, GONE)
        started = time.monotonic()
        # During the drain: its sessions go on, new ones go elsewhere (both layers).
        assert site.broken(ours) == []
        reached = {
            _answered_by(vip, port) for vip, port in ((L7_VIP, L7_PORT), (L4_VIP, L4_PORT)) for _ in range(6)
        }
        assert reached == set(EAS[1:]), reached
        assert site.broken(ours) == []
        assert time.monotonic() - started < DRAIN_SECONDS, "the probes outlasted the drain"
        assert site.draining(GONE)  # still draining: the probes above ran inside the drain
    finally:
        output = _finished(deploy)
    said = " ".join(output.split())  # terraform wraps its warnings
    notice = re.search(
        re.escape(f"==> EAS {GONE} drains on 2 VIPs ({L7_LABEL}, {L4_LABEL}) on lb1 for ")
        + r"\d+ s, until \d\d:\d\d:\d\d UTC: the deploy waits for it, then reloads",
        output,
    )
    assert notice is not None, output[-3000:]
    countdown = output.find(f"==> waiting for the drain of EAS {GONE} before the reload: ")
    applied = output.find("Resources: 0 added, 1 changed, 2 destroyed.")
    assert notice.start() < countdown < applied, output[-3000:]
    assert f"'{L4_LABEL}/EAS_SSS-{GONE}': drains for {DRAIN_SECONDS} s, then deleted" in said, output[-3000:]
    assert f"'{L7_LABEL}/EAS_SSS-{GONE}': drains for {DRAIN_SECONDS} s, then deleted" in said, output[-3000:]
    assert "Resources: 0 added, 1 changed, 2 destroyed." in said, output[-3000:]
    addresses = site.addresses()
    assert {key: value for key, value in addresses.items() if GONE in value} == {}, addresses
    assert addresses[("lb1", L7_LABEL)] == addresses[("lb1", L4_LABEL)] == set(EAS[1:])
    assert site.broken(others) == []
    reached = {
        _answered_by(vip, port) for vip, port in ((L7_VIP, L7_PORT), (L4_VIP, L4_PORT)) for _ in range(6)
    }
    assert reached == set(EAS[1:]), reached
    site.held = others
    site.plan_is_empty()


def test_2_reordered_rows_plan_nothing_and_reload_nothing(site: Site) -> None:
    before = site.reloads()
    site.write_pools(_pools(EAS[:0:-1], EAS[:0:-1], reordered=True))
    site.plan_is_empty()
    site.terraform("apply", "-input=false", "-auto-approve")
    assert site.reloads() == before
    assert site.broken(site.held) == []


def test_3_a_layer7_change_keeps_every_session_and_layer4_untouched(site: Site) -> None:
    before = site.reloads()
    site.write_pools(_pools([GONE, *EAS[1:]], EAS[1:]))  # .61 back, on the Layer 7 pool only
    site.synth_and_apply()
    after = site.reloads()
    assert after["haproxy"] - before["haproxy"] == 1, (before, after)
    assert after["ldirectord"] == before["ldirectord"], (before, after)
    layer4 = [held for held in site.held if held.vip == L4_VIP]
    layer7 = [held for held in site.held if held.vip == L7_VIP]
    assert site.broken(layer4) == []
    assert site.broken(layer7) == []
    assert site.addresses()[("lb1", L7_LABEL)] == set(EAS)
    site.plan_is_empty()  # a second plan


def test_4_a_deploy_killed_while_draining_converges_on_the_next(site: Site) -> None:
    site.write_pools(_pools([GONE, EAS[2]], [EAS[2]]))  # .62 leaves both rows
    deploy = site.deploy()
    try:
        _wait_for_drain(site, deploy, LATER)
        # The commit now waits the drain time: no resource completes, so the kill cannot land
        # inside Terraform's write of its state (which would empty the file).
        wait_for_state_written(site.state_file, limit=DRAIN_SECONDS / 2)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(deploy.pid, signal.SIGKILL)
        deploy.communicate(timeout=60)
    assert site.draining(LATER)  # killed before the reload: the running service still has it
    again = site.deploy()
    _finished(again)
    addresses = site.addresses()
    assert {key: value for key, value in addresses.items() if LATER in value} == {}, addresses
    assert site.where(LATER) == (set(), set())  # reloaded: gone from the running service too
    site.plan_is_empty()
    survivors = [held for held in site.held if held.server != LATER]
    assert site.broken(survivors) == []


def _hold(site: Site, vip: str, port: int, servers: set[str]) -> list[Held]:
    """One held connection through the VIP to each of `servers` (as many tries as it takes)."""
    held: dict[str, Held] = {}
    for _ in range(40):
        sock, identity = _connect(vip, port)
        address = identity.get("addr", "").rpartition(":")[0]
        if address in servers and address not in held:
            held[address] = Held(vip, sock, address, identity["name"])
        else:
            sock.close()
        if set(held) == servers:
            break
    site.held += held.values()
    assert set(held) == servers, f"through {vip}: held only {sorted(held)}"
    return list(held.values())


def _reached(times: int = 8) -> set[str]:
    """The servers new connections through either VIP reach."""
    return {
        _answered_by(vip, port) for vip, port in ((L7_VIP, L7_PORT), (L4_VIP, L4_PORT)) for _ in range(times)
    }


def _counted(held: list[Held]) -> dict[str, int]:
    """How many held connections still exchange data, and how many were cut."""
    alive = sum(1 for h in held if h.exchanges())
    return {"kept": alive, "cut": len(held) - alive}


def _maintenance(site: Site, *servers: str) -> None:
    """The site file with these EAS servers (names or addresses) in maintenance (none: the entries
    removed)."""
    path = site.path / "site.yaml"
    text = path.read_text(encoding="utf-8").split("maintenance:")[0]
    entries = "".join(f"  - server: {server}\n    note: upgrade to 9.6\n" for server in servers)
    path.write_text(text + (f"maintenance:\n{entries}" if servers else ""), encoding="utf-8")


def _name_eas_server(site: Site, name: str, *addresses: str) -> None:
    """`eas_servers:` naming one EAS server with all its addresses, as the README's procedure starts."""
    path = site.path / "site.yaml"
    text = path.read_text(encoding="utf-8").split("maintenance:")[0].split("eas_servers:")[0]
    listed = ", ".join(addresses)
    path.write_text(text + f"eas_servers:\n  - name: {name}\n    addresses: [{listed}]\n", encoding="utf-8")


def _review(site: Site) -> str:
    """The README's check, synth and plan review of one step; the review's text."""
    site.ok([sys.executable, "-m", "eas_lb", "check"])
    site.ok([sys.executable, str(REPO_ROOT / "main.py")])
    review = site.path / "review.md"
    site.ok([sys.executable, "-m", "eas_lb", "plan-review", "--synth-dir", site.env["CDKTF_OUTDIR"],
             "--plans-dir", str(site.path / "reviewed-plans"), "--out", str(review)])  # fmt: skip
    return review.read_text(encoding="utf-8")


def test_5_upgrading_a_two_address_eas_server_as_the_readme_says_counts_what_each_step_keeps(
    site: Site,
) -> None:
    """Maintenance by the server's name (`eas_servers:`), as the README says: both addresses, both
    layers; every count below is exact: nothing dropped that the appliance could keep, nothing kept that
    the upgrade would cut."""
    site.write_pools(_pools([UPGRADED_MGMT, OTHER], [UPGRADED_SERVICE, OTHER]))
    site.synth_and_apply()
    both = {UPGRADED_MGMT, UPGRADED_SERVICE, OTHER}
    assert wait_until(lambda: _reached() == both, 30, interval=0.5) is not None, _reached()
    on_server = _hold(site, L7_VIP, L7_PORT, {UPGRADED_MGMT}) + _hold(
        site, L4_VIP, L4_PORT, {UPGRADED_SERVICE}
    )
    elsewhere = _hold(site, L7_VIP, L7_PORT, {OTHER}) + _hold(site, L4_VIP, L4_PORT, {OTHER})

    # 1. maintenance by name: reviewed, deployed, waited for
    _name_eas_server(site, UPGRADED_NAME, UPGRADED_MGMT, UPGRADED_SERVICE)
    _maintenance(site, UPGRADED_NAME)
    review = _review(site)
    named = f"EAS {UPGRADED_NAME} ({UPGRADED_MGMT}, {UPGRADED_SERVICE})"
    assert f"{named} in maintenance (drain) on 1 + 1 VIPs (" in review, review
    deployed = _finished(site.deploy())
    for address, label in ((UPGRADED_MGMT, L7_LABEL), (UPGRADED_SERVICE, L4_LABEL)):
        said = f"==> EAS {address} drains on 1 VIP ({label}) on lb1 for {DRAIN_SECONDS} s, until about "
        assert said in deployed and deployed.find(said) < deployed.find("Resources: "), deployed[-3000:]
    assert _reached() == {OTHER}  # no new connection reaches either address of the server
    assert _counted(on_server) == {"kept": 2, "cut": 0} and _counted(elsewhere) == {"kept": 2, "cut": 0}
    waited = subprocess.run(
        [sys.executable, "-m", "eas_lb", "servers", "--wait-drained", "--interval", "1", "--timeout", "60"],
        cwd=site.path, env=site.env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert waited.returncode == 0, waited.stdout[-3000:] + waited.stderr[-3000:]
    said = waited.stderr
    assert f"EAS {UPGRADED_MGMT} drains on 1 VIP ({L7_LABEL}) on lb1 for {DRAIN_SECONDS} s, until " in said, (
        said
    )
    assert f"EAS {UPGRADED_SERVICE} drains on 1 VIP ({L4_LABEL}) on lb1 for {DRAIN_SECONDS} s, until " in said
    assert "==> waiting for 2 drain(s): " in said and " left, until " in said, said
    assert _counted(on_server) == {"kept": 2, "cut": 0}  # drained by time: long-lived ones still open
    assert "API v2 does not report established connections" in waited.stdout + said, waited.stdout

    # 2. the upgrade: the EAS server restarts, on both addresses
    restarted = [site.stand_ins["l7-61"], site.stand_ins["l4-71"]]
    for stand_in in restarted:
        stand_in.stop()
    for stand_in in restarted:
        stand_in.start()
    assert _counted(on_server) == {"kept": 0, "cut": 2}  # exactly the connections on it
    assert _counted(elsewhere) == {"kept": 2, "cut": 0}
    assert _reached() == {OTHER}  # still in maintenance: running again, but sent nothing new

    # 3. back online: reviewed, deployed; both addresses take new connections again
    _maintenance(site)
    review = _review(site)
    assert f"{named} back online on 1 + 1 VIPs (" in review, review
    _finished(site.deploy())
    assert wait_until(lambda: _reached() == both, 30, interval=0.5) is not None, _reached()
    assert _counted(elsewhere) == {"kept": 2, "cut": 0}
    site.plan_is_empty()
