"""Established connections through reloads, drains, halts and deletes, as the appliance's parts
do it (docs/appliance-api.md, "Reloads and established connections"): long-lived TCP clients
hold connections through a Layer 7 VIP (HAProxy) and a Layer 4 VIP (IPVS, emulated) to
stand-in servers that echo every line with their name."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.haproxy_process import HaproxyProcess
from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.simulator_api import l4_vip, l7_vip, nodestatus, rip, wait_for

pytestmark = pytest.mark.slow

FAST_CHECKS = {
    "l7.interval": "300",
    "l7.rise": "1",
    "l7.fall": "2",
    "l4.checkinterval": "1",
    "l4.checktimeout": "1",
    "l4.failurecount": "1",
}
L7_PORT, L7_SERVER_PORT, L4_PORT = 13000, 13080, 13443


class EchoServer:
    """Answers every line `x` with `<name> x` on the same connection, until the client leaves."""

    def __init__(self, name: str, host: str, port: int) -> None:
        self.name = name
        self._listener = socket.create_server((host, port))
        self._open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _peer = self._listener.accept()
            except OSError:
                return
            self._open.append(conn)
            threading.Thread(target=self._echo, args=(conn,), daemon=True).start()

    def _echo(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn, conn.makefile("rb") as lines:
            for line in lines:
                conn.sendall(self.name.encode() + b" " + line)

    def close(self) -> None:
        self._listener.close()
        for conn in self._open:
            with contextlib.suppress(OSError):
                conn.close()


class HeldConnection:
    """One client connection kept open through a VIP; `server` is who answered it first."""

    def __init__(self, ip: str, port: int, source: str | None = None) -> None:
        self.sock = socket.create_connection(
            (ip, port), timeout=5, source_address=(source, 0) if source else None
        )
        self._lines = self.sock.makefile("rb")
        self.server = self.ask()

    def ask(self) -> str:
        self.sock.sendall(b"ping\n")
        answer = self._lines.readline().decode()
        if not answer.endswith(" ping\n"):
            raise ConnectionError(f"no answer on the connection: {answer!r}")
        return answer.split()[0]

    def alive(self) -> bool:
        """The same server still answers on this connection (it was neither closed nor stalled)."""
        try:
            return self.ask() == self.server
        except OSError:
            return False

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._lines.close()
            self.sock.close()


@pytest.fixture
def site(tmp_path: Path, subnet: str) -> Iterator[tuple[SimulatorProcess, str]]:
    """A simulator with a Layer 7 and a Layer 4 VIP, both without persistence, two servers each."""
    servers = [
        EchoServer(f"{name}-{kind}", f"{subnet}.{host}", port)
        for name, host in (("a", 21), ("b", 22))
        for kind, port in (("l7", L7_SERVER_PORT), ("l4", L4_PORT))
    ]
    try:
        with running_simulator(tmp_path / "lb1", f"{subnet}.1:10443", advanced=FAST_CHECKS) as sim:
            sim.call_ok(
                [
                    l7_vip("MGMT", f"{subnet}.10", L7_PORT, persistence="none"),
                    rip("MGMT", "EAS_SSS-1", f"{subnet}.21", L7_SERVER_PORT),
                    rip("MGMT", "EAS_SSS-2", f"{subnet}.22", L7_SERVER_PORT),
                    l4_vip("SERV", f"{subnet}.11", L4_PORT, persistent="off", scheduler="wrr"),
                    rip("SERV", "EAS_SSS-1", f"{subnet}.21"),
                    rip("SERV", "EAS_SSS-2", f"{subnet}.22"),
                    {"action": "reload-haproxy"},
                    {"action": "reload-ldirectord"},
                ]
            )
            for vip, port, layer in ((f"{subnet}.10", L7_PORT, "l7"), (f"{subnet}.11", L4_PORT, "l4")):
                both = {f"a-{layer}", f"b-{layer}"}
                wait_for(
                    lambda vip=vip, port=port, both=both: _new_servers(vip, port, 4) == both, what="rotation"
                )
            yield sim, subnet
    finally:
        for server in servers:
            server.close()


def _new_servers(ip: str, port: int, count: int, source: str | None = None) -> set[str]:
    """Who answers `count` new connections (each closed at once)."""
    seen: set[str] = set()
    for _ in range(count):
        held = HeldConnection(ip, port, source)
        seen.add(held.server)
        held.close()
    return seen


def _hold_one_per_server(ip: str, port: int) -> dict[str, HeldConnection]:
    """Open connections until each of the VIP's two servers holds one (round robin: two or three)."""
    held: dict[str, HeldConnection] = {}
    for _ in range(6):
        connection = HeldConnection(ip, port)
        if connection.server in held:
            connection.close()
        else:
            held[connection.server] = connection
        if len(held) == 2:
            return held
    raise AssertionError(f"only {sorted(held)} answered")


def _layer4_workers(sim: SimulatorProcess) -> frozenset[int]:
    return HaproxyProcess(sim.state_dir / "haproxy-layer4").worker_pids()


def test_layer7_change_keeps_every_connection_and_leaves_layer4_alone(
    site: tuple[SimulatorProcess, str],
) -> None:
    sim, subnet = site
    held = {
        **_hold_one_per_server(f"{subnet}.10", L7_PORT),
        **_hold_one_per_server(f"{subnet}.11", L4_PORT),
    }
    layer4_before = _layer4_workers(sim)
    reloads_before = nodestatus(sim)["counters"]["reloads"]
    sim.call_ok(
        [
            {"action": "edit-rip", "vip": "MGMT", "rip": "EAS_SSS-2", "weight": "50"},
            {"action": "reload-haproxy"},
        ]
    )
    # A Layer 7 reload: HAProxy's old process keeps its connections; Layer 4 is not reloaded.
    assert {name: connection.alive() for name, connection in held.items()} == dict.fromkeys(held, True)
    assert _layer4_workers(sim) == layer4_before
    reloads = nodestatus(sim)["counters"]["reloads"]
    assert (reloads["haproxy"], reloads["ldirectord"]) == (
        reloads_before["haproxy"] + 1,
        reloads_before["ldirectord"],
    )
    # A Layer 7 real server deleted: its established connection stays on the old process until
    # it ends (HAProxy's soft stop), and new connections go to the other server.
    sim.call_ok([{"action": "delete-rip", "vip": "MGMT", "rip": "EAS_SSS-1"}, {"action": "reload-haproxy"}])
    assert held["a-l7"].alive() and held["b-l7"].alive()
    assert _new_servers(f"{subnet}.10", L7_PORT, 4) == {"b-l7"}
    # A reload that changes nothing the layer serves reloads nothing.
    sim.call_ok([{"action": "reload-ldirectord"}])
    assert _layer4_workers(sim) == layer4_before
    # Unbounded: an old process stopped by `hard-stop-after` (often a few seconds) would have
    # ended these connections by now.
    time.sleep(6)
    assert {name: connection.alive() for name, connection in held.items()} == dict.fromkeys(held, True)
    # A restart is HAProxy's hard stop: that layer's connections end, the other layer's do not.
    sim.call_ok([{"action": "restart-haproxy"}])
    alive = {name: connection.alive() for name, connection in held.items()}
    assert alive == {"a-l7": False, "b-l7": False, "a-l4": True, "b-l4": True}
    assert _new_servers(f"{subnet}.10", L7_PORT, 2) == {"b-l7"}


def test_a_drained_server_keeps_its_connection_and_gets_no_new_one(
    site: tuple[SimulatorProcess, str],
) -> None:
    sim, subnet = site
    for vip, ip, port, layer in (
        ("MGMT", f"{subnet}.10", L7_PORT, "l7"),
        ("SERV", f"{subnet}.11", L4_PORT, "l4"),
    ):
        held = _hold_one_per_server(ip, port)
        process = HaproxyProcess(sim.state_dir / ("haproxy" if layer == "l7" else "haproxy-layer4"))
        workers = process.worker_pids()
        sim.call_ok([{"action": "drain", "vip": vip, "rip": "EAS_SSS-1"}])
        assert _new_servers(ip, port, 4) == {f"b-{layer}"}, layer
        assert held[f"a-{layer}"].alive() and held[f"b-{layer}"].alive(), layer
        # The lab counts the drained server's connection that API v2 could not show.
        wait_for(lambda vip=vip: _lab_count(sim, vip, "EAS_SSS-1") == 1, what=f"{layer} lab count")
        sim.call_ok([{"action": "online", "vip": vip, "rip": "EAS_SSS-1"}])
        both = {f"a-{layer}", f"b-{layer}"}
        wait_for(
            lambda ip=ip, port=port, both=both: _new_servers(ip, port, 4) == both, what=f"{layer} online"
        )
        assert held[f"a-{layer}"].alive(), layer
        # drain and online act at run time: no reload of the process.
        assert process.worker_pids() == workers
        for connection in held.values():
            connection.close()
        wait_for(lambda vip=vip: _lab_count(sim, vip, "EAS_SSS-1") == 0, what=f"{layer} lab count 0")


def _lab_count(sim: SimulatorProcess, vip: str, rip: str) -> int | None:
    """The simulator's own count of established connections to one real server (not API v2)."""
    counted = [
        item["connections"]
        for item in nodestatus(sim).get("lab_connections", [])
        if (item["vip"], item["rip"]) == (vip, rip)
    ]
    return counted[0] if len(counted) == 1 else None


def test_halt_and_delete_as_each_layer_documents(site: tuple[SimulatorProcess, str]) -> None:
    sim, subnet = site
    l7 = _hold_one_per_server(f"{subnet}.10", L7_PORT)
    l4 = _hold_one_per_server(f"{subnet}.11", L4_PORT)
    # Layer 7 halt is HAProxy maintenance: no new connection, the established one goes on.
    sim.call_ok([{"action": "halt", "vip": "MGMT", "rip": "EAS_SSS-1"}])
    assert _new_servers(f"{subnet}.10", L7_PORT, 4) == {"b-l7"}
    assert l7["a-l7"].alive()
    # Layer 4 halt takes the real server out of the IPVS table: its connection is lost, the
    # other server's and the other VIP's are not.
    sim.call_ok([{"action": "halt", "vip": "SERV", "rip": "EAS_SSS-1"}])
    assert not l4["a-l4"].alive()
    assert l4["b-l4"].alive() and l7["a-l7"].alive() and l7["b-l7"].alive()
    assert _new_servers(f"{subnet}.11", L4_PORT, 4) == {"b-l4"}
    sim.call_ok([{"action": "online", "vip": "SERV", "rip": "EAS_SSS-1"}])
    wait_for(lambda: _new_servers(f"{subnet}.11", L4_PORT, 4) == {"a-l4", "b-l4"}, what="a-l4 online again")
    again = _hold_one_per_server(f"{subnet}.11", L4_PORT)
    # Layer 4 delete and reload: ldirectord removes the real server from the table, its
    # connections lose their packets (expire_nodest_conn 0); every other connection survives.
    sim.call_ok(
        [{"action": "delete-rip", "vip": "SERV", "rip": "EAS_SSS-2"}, {"action": "reload-ldirectord"}]
    )
    assert not again["b-l4"].alive() and not l4["b-l4"].alive()
    assert again["a-l4"].alive() and l7["a-l7"].alive() and l7["b-l7"].alive()
    assert _new_servers(f"{subnet}.11", L4_PORT, 4) == {"a-l4"}
    # A Layer 4 VIP deleted: ldirectord purges its virtual service, and with it its connections.
    sim.call_ok([{"action": "delete-vip", "vip": "SERV"}, {"action": "reload-ldirectord"}])
    assert not again["a-l4"].alive()
    assert l7["a-l7"].alive() and l7["b-l7"].alive()


def test_a_drained_server_still_takes_its_persistent_clients(site: tuple[SimulatorProcess, str]) -> None:
    sim, subnet = site
    sim.call_ok(
        [
            {"action": "edit-vip", "vip": "MGMT", "persistence": "ip", "persist_time": "30"},
            {"action": "edit-vip", "vip": "SERV", "persistent": "on", "persist_time": "300"},
            {"action": "reload-haproxy"},
            {"action": "reload-ldirectord"},
        ]
    )
    sticky, fresh = f"{subnet}.101", f"{subnet}.102"
    for vip, ip, port in (("MGMT", f"{subnet}.10", L7_PORT), ("SERV", f"{subnet}.11", L4_PORT)):
        held = HeldConnection(ip, port, sticky)
        assert _new_servers(ip, port, 3, sticky) == {held.server}, vip
        sim.call_ok(
            [{"action": "drain", "vip": vip, "rip": f"EAS_SSS-{'1' if held.server[0] == 'a' else '2'}"}]
        )
        # HAProxy `drain` and IPVS weight 0 (expire_quiescent_template 0) both still send a
        # persistent client to the drained server; a client without persistence goes elsewhere.
        assert _new_servers(ip, port, 3, sticky) == {held.server}, vip
        assert held.server not in _new_servers(ip, port, 3, fresh), vip
        assert held.alive(), vip
        held.close()
    # `clear_stick_drain` on (Layer 7): a drain clears the stick table, so the persistent client
    # is balanced anew too.
    sim.call_ok(
        [
            {"action": "online", "vip": "MGMT", "rip": "EAS_SSS-1"},
            {"action": "online", "vip": "MGMT", "rip": "EAS_SSS-2"},
            {"action": "edit-vip", "vip": "MGMT", "clear_stick_drain": "on"},
            {"action": "reload-haproxy"},
        ]
    )
    sources = [f"{subnet}.{110 + n}" for n in range(4)]  # persistence: one connection per client

    def spread() -> set[str]:
        return set().union(*(_new_servers(f"{subnet}.10", L7_PORT, 1, source) for source in sources))

    wait_for(lambda: spread() == {"a-l7", "b-l7"}, what="both in rotation")
    held = HeldConnection(f"{subnet}.10", L7_PORT, sticky)
    sim.call_ok(
        [{"action": "drain", "vip": "MGMT", "rip": f"EAS_SSS-{'1' if held.server[0] == 'a' else '2'}"}]
    )
    assert held.server not in _new_servers(f"{subnet}.10", L7_PORT, 3, sticky)
    assert held.alive()
