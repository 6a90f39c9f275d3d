"""Layer 4 NAT as the kernel does it (root): a simulated appliance serving its Layer 4 VIPs with
nftables DNAT in a network namespace, a client and two stand-in EAS servers in namespaces of
their own, each server's default route through the appliance's floating service gateway.

What IPVS through ldirectord documents, with held connections (docs/appliance-api.md, "Layer 4
as the kernel does it"): the server sees the client's own address, persistence, drain (weight 0)
keeps established connections, halt and delete drop them, a reload keeps them, failed health
checks take a server out and a success brings it back; and the reply of a server whose gateway
is wrong never reaches the client. One lab for the module (about 10 s)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from lborg_simulator import nat_network
from lborg_simulator.eas_servers import EasServerGroup, parse_identity
from lborg_simulator.nat_dataplane import table_name
from lborg_simulator.nat_network import NatAppliance, NatNetwork, NatServer
from lborg_simulator.netns import kernel_nat_available, names, remove_orphans, run_in
from lborg_simulator.testing import SimulatorProcess, running_simulator
from lborg_support.netns_sockets import socket_in
from tests.lborg_simulator.conftest import next_subnet
from tests.support.simulator_api import l4_vip, nodestatus, rip, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(kernel_nat_available()), reason=kernel_nat_available() or ""),
]

#: Test labs' namespaces are `lbt<pid>x<n>-...`: a later run removes those of a dead pid.
FAMILY = "lbt"
VIP, GATEWAY, SUBNET_PREFIX = "127.0.40.150", "127.0.41.10", 25
SERVERS = {"eas-1": "127.0.41.61", "eas-2": "127.0.41.5"}
STICKY_PORT, SPREAD_PORT = 18080, 10143
FAST_CHECKS = {"l4.checkinterval": "1", "l4.checktimeout": "1", "l4.failurecount": "1"}


class Client:
    """A TCP connection from the client's namespace that the server keeps (`EAS-SIM hold`)."""

    def __init__(self, network: NatNetwork, port: int, timeout: float = 3.0) -> None:
        self.sock = socket_in(network.client_netns)
        self.sock.settimeout(timeout)
        self.sock.connect((VIP, port))
        self.sock.sendall(b"EAS-SIM hold\n")
        self.identity = parse_identity(self._line())
        self.local = "{}:{}".format(*self.sock.getsockname()[:2])

    def _line(self) -> str:
        data = b""
        while not data.endswith(b"\n"):
            chunk = self.sock.recv(512)
            if not chunk:
                break
            data += chunk
        return data.decode()

    @property
    def server(self) -> str:
        return self.identity["name"]

    def alive(self) -> bool:
        """The same server still answers on this connection (within a second)."""
        self.sock.settimeout(1.0)
        try:
            self.sock.sendall(b"ping\n")
            return self._line().strip() == f"{self.server} ping"
        except OSError:
            return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _new_servers(network: NatNetwork, port: int, count: int = 4) -> set[str]:
    seen = set()
    for _ in range(count):
        client = Client(network, port)
        seen.add(client.server)
        client.close()
    return seen


@pytest.fixture(scope="module")
def lab(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SimulatorProcess, NatNetwork, EasServerGroup]]:
    remove_orphans(FAMILY)
    network = NatNetwork(
        prefix=f"{FAMILY}{os.getpid()}x1",
        appliances=(NatAppliance("lb1", f"127.0.41.100/{SUBNET_PREFIX}", f"127.0.41.0/{SUBNET_PREFIX}"),),
        servers=tuple(NatServer(ip, SUBNET_PREFIX, GATEWAY) for ip in SERVERS.values()),
        vips=(VIP,),
    )
    nat_network.up(network)
    netns = dict(nat_network.server_netns_map(network))
    specs = [(name, ip, port) for name, ip in SERVERS.items() for port in (STICKY_PORT, SPREAD_PORT)]
    group = EasServerGroup(specs, netns)
    try:
        group.start()
        state = tmp_path_factory.mktemp("nat") / "lb1"
        extra = ["--layer4-netns", network.appliance_netns("lb1")]
        with running_simulator(
            state, f"{next_subnet()}.1:10443", advanced=FAST_CHECKS, extra_args=extra
        ) as sim:
            reals = [
                rip(v, f"EAS_SSS-{i}", ip)
                for v in ("STICKY", "SPREAD")
                for i, ip in enumerate(SERVERS.values(), 1)
            ]
            sim.call_ok(
                [
                    l4_vip("STICKY", VIP, STICKY_PORT, persistent="on", persist_time="2100", scheduler="wrr"),
                    l4_vip("SPREAD", VIP, SPREAD_PORT, persistent="off", scheduler="wrr"),
                    *reals,
                    {"action": "add-floating-ip", "ip": GATEWAY},
                    {"action": "reload-ldirectord"},
                    {"action": "reload-heartbeat"},
                ]
            )
            wait_for(
                lambda: _new_servers(network, SPREAD_PORT) == set(SERVERS),
                what="both servers in rotation",
                timeout=5,
            )
            yield sim, network, group
            assert table_name(network.appliance_netns("lb1")) in run_in(
                network.appliance_netns("lb1"), ["nft", "list", "tables"]
            )
        # The simulator took its table with it; `down` takes the namespaces.
        assert table_name(network.appliance_netns("lb1")) not in run_in(
            network.appliance_netns("lb1"), ["nft", "list", "tables"]
        )
    finally:
        group.stop()
        nat_network.down(network)
    assert names(network.prefix) == []


def test_the_server_sees_the_clients_own_address_and_one_client_sticks(
    lab: tuple[SimulatorProcess, NatNetwork, EasServerGroup],
) -> None:
    _sim, network, _group = lab
    clients = [Client(network, STICKY_PORT) for _ in range(4)]
    try:
        assert {c.identity["client"] for c in clients} == {c.local for c in clients}
        assert all(c.local.startswith(f"{network.client}:") for c in clients)
        assert len({c.server for c in clients}) == 1, "persistence: one client, one server"
    finally:
        for client in clients:
            client.close()


def test_a_wrong_gateway_loses_the_reply(lab: tuple[SimulatorProcess, NatNetwork, EasServerGroup]) -> None:
    _sim, network, _group = lab
    nat_network.set_default_gateway(network, SERVERS["eas-2"], "127.0.41.11")
    try:
        answered, lost = set(), 0
        for _ in range(4):
            try:
                answered.add(Client(network, SPREAD_PORT, timeout=1.0).server)
            except TimeoutError:
                lost += 1
        assert answered == {"eas-1"} and lost == 2
    finally:
        nat_network.set_default_gateway(network, SERVERS["eas-2"], GATEWAY)


def _hold_both(network: NatNetwork) -> dict[str, Client]:
    held: dict[str, Client] = {}
    for _ in range(6):
        client = Client(network, SPREAD_PORT)
        if client.server in held:
            client.close()
        else:
            held[client.server] = client
        if len(held) == 2:
            return held
    raise AssertionError(f"only {sorted(held)} answered")


def _lab_count(sim: SimulatorProcess, vip: str, rip: str) -> int | None:
    """The simulator's own count of established connections to one real server (not API v2)."""
    counted = [
        item["connections"]
        for item in nodestatus(sim).get("lab_connections", [])
        if (item["layer"], item["vip"], item["rip"]) == ("4", vip, rip)
    ]
    return counted[0] if len(counted) == 1 else None


def test_drain_halt_delete_and_reload_as_ipvs_does(
    lab: tuple[SimulatorProcess, NatNetwork, EasServerGroup],
) -> None:
    sim, network, _group = lab
    held = _hold_both(network)
    # drain: weight 0, no new connection, the established one goes on
    sim.call_ok([{"action": "drain", "vip": "SPREAD", "rip": "EAS_SSS-1"}])
    assert _new_servers(network, SPREAD_PORT) == {"eas-2"}
    assert held["eas-1"].alive() and held["eas-2"].alive()
    # the lab counts the drained server's established connection (conntrack), as ipvsadm -Ln would
    wait_for(lambda: _lab_count(sim, "SPREAD", "EAS_SSS-1") == 1, what="the lab's count")
    # a reload of ldirectord (a changed VIP) keeps established connections
    sim.call_ok(
        [{"action": "edit-vip", "vip": "SPREAD", "persist_time": "301"}, {"action": "reload-ldirectord"}]
    )
    assert held["eas-1"].alive() and held["eas-2"].alive()
    # halt: out of the table, its connections lose their packets
    sim.call_ok([{"action": "halt", "vip": "SPREAD", "rip": "EAS_SSS-1"}])
    assert not held["eas-1"].alive() and held["eas-2"].alive()
    sim.call_ok([{"action": "online", "vip": "SPREAD", "rip": "EAS_SSS-1"}])
    again = _hold_both(network)
    # delete and reload: the same for the deleted server; the other keeps its connections
    sim.call_ok(
        [{"action": "delete-rip", "vip": "SPREAD", "rip": "EAS_SSS-2"}, {"action": "reload-ldirectord"}]
    )
    assert not again["eas-2"].alive() and not held["eas-2"].alive()
    assert again["eas-1"].alive()
    assert _new_servers(network, SPREAD_PORT) == {"eas-1"}
    sim.call_ok([rip("SPREAD", "EAS_SSS-2", SERVERS["eas-2"]), {"action": "reload-ldirectord"}])
    for client in (*held.values(), *again.values()):
        client.close()


def test_health_checks_take_a_server_out_and_back(
    lab: tuple[SimulatorProcess, NatNetwork, EasServerGroup],
) -> None:
    _sim, network, group = lab
    started = time.monotonic()
    for port in (STICKY_PORT, SPREAD_PORT):
        group.servers[[(s.name, s.port) for s in group.servers].index(("eas-1", port))].stop()
    try:
        wait_for(lambda: _new_servers(network, SPREAD_PORT) == {"eas-2"}, what="eas-1 out of rotation")
        assert time.monotonic() - started < 5
    finally:
        group.start()
    wait_for(lambda: _new_servers(network, SPREAD_PORT) == set(SERVERS), what="eas-1 back")


_KILLED_LAB = """
import os, sys, time
from lborg_simulator import nat_network
from lborg_simulator.nat_network import NatAppliance, NatNetwork, NatServer
network = NatNetwork(f"lbt{os.getpid()}x9", (NatAppliance("lb1", "127.0.41.100/25", "127.0.41.0/25"),),
                     (NatServer("127.0.41.61", 25, "127.0.41.10"),), ("127.0.40.150",))
nat_network.up(network)
print(network.prefix, flush=True)
time.sleep(600)
"""


def test_a_killed_labs_namespaces_are_removed_by_the_next_start() -> None:
    process = subprocess.Popen([sys.executable, "-c", _KILLED_LAB], stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    prefix = process.stdout.readline().strip()
    try:
        assert len(names(prefix)) == 4
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    assert len(names(prefix)) == 4, "nothing cleans up after a killed process by itself"
    removed = remove_orphans(FAMILY)
    assert set(removed) >= set(names(prefix) or removed) and names(prefix) == []
    assert any(name.startswith(prefix) for name in removed)
