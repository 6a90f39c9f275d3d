"""The kernel-NAT data plane: Layer 7 in HAProxy as always, Layer 4 as kernel NAT in a namespace.

Started with `serve --layer4-netns NS` inside a lab made by `nat_network.py`. The appliance's
namespace gets, while this node is active, the Layer 4 VIPs and the floating IPs (a floating IP on
the service subnet goes on the service interface: the EAS servers' gateway) and the nftables
table that forwards each VIP to its real servers (`nat_rules.py`); a passive node has neither,
and a node that becomes active announces its addresses (gratuitous ARP, as heartbeat does), so a
fail-over moves the VIP and the gateway. ldirectord's health checks are made from the appliance's
namespace to each real server, every `checkinterval` seconds, each within `checktimeout`;
`failurecount` failures in a row take a server out (weight 0 with `quiescent = yes`), one success
brings it back. Connections of a real server that leaves the table (halt, delete, restart, a
failure with `quiescent = no`) lose their connection-tracking entries and so their packets, as
IPVS drops them; every other change keeps established connections.
"""

from __future__ import annotations

import contextlib
import ipaddress
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Collection
from pathlib import Path

from lborg_simulator.config import Layer, floating_ips
from lborg_simulator.dataplane import SERVED, HaproxyDataPlane
from lborg_simulator.haproxy_process import HaproxyError
from lborg_simulator.haproxy_render import VipStatus
from lborg_simulator.nat_network import FRONT_INTERFACE, SERVICE_INTERFACE
from lborg_simulator.nat_rules import ChecksConfig, NatVip, checks_config, in_table, nat_vips, render_rules
from lborg_simulator.netns import NetnsError, gratuitous_arp, run_in
from lborg_support.netns_sockets import socket_in

LAYER7_ONLY: tuple[Layer, ...] = ("7",)


def table_name(netns: str) -> str:
    """The nftables table of one lab's appliance: named after its namespace (prefix included)."""
    return netns.replace("-", "_")


class KernelNatDataPlane:
    def __init__(self, state_dir: Path, netns: str) -> None:
        self.netns = netns
        self.table = table_name(netns)
        self._layer7 = HaproxyDataPlane(state_dir, layers=LAYER7_ONLY)
        self._lock = threading.RLock()
        self._vips: list[NatVip] = []
        self._statuses: list[VipStatus] = []
        self._marks: dict[str, int] = {}
        self._sets: set[str] = set()
        self._health: dict[tuple[str, str], bool] = {}
        self._failures: dict[tuple[str, str], int] = {}
        self._checks = ChecksConfig(10, 5, 1, True)
        self._addresses: set[tuple[str, str]] = set()  # (address/prefix, interface) now up
        self._running: ET.Element | None = None
        self._opstate: dict[str, dict[str, str]] = {}
        self._active = False
        self._last_script = ""
        self._stop = threading.Event()
        self._service_nets = self._service_networks()
        run_in(netns, ["nft", "add", "table", "ip", self.table])
        run_in(netns, ["nft", "delete", "table", "ip", self.table])  # a table of an earlier run: gone
        self._checker = threading.Thread(target=self._check_loop, name="ldirectord-checks", daemon=True)
        self._checker.start()

    def _service_networks(self) -> list[ipaddress.IPv4Network]:
        """The subnets on-link on the service interface (a floating IP in one goes up there)."""
        shown = run_in(self.netns, ["ip", "-4", "route", "show", "dev", SERVICE_INTERFACE])
        return [ipaddress.IPv4Network(line.split()[0], strict=False) for line in shown.splitlines() if line]

    # ---- the DataPlane protocol ------------------------------------------------------------
    # appliance.DataPlane.serve's signature, as in dataplane.py's serve; this one adds Layer 4.
    def serve(
        self,
        running: ET.Element,
        opstate: dict[str, dict[str, str]],
        active: bool,
        services: Collection[str] = SERVED,
        restart: bool = False,
    ) -> None:
        self._layer7.serve(running, opstate, active, services, restart)
        with self._lock:
            # `running` differs from what was served only in the sections of `services`.
            served = "ldirectord" in services or active != self._active or self._running is None
            if active != self._active:
                # ldirectord runs on the active node only (a heartbeat resource): a node that takes
                # over starts its checks afresh, with every real server in the table.
                self._health.clear()
                self._failures.clear()
            self._running = running
            self._opstate, self._active = opstate, active
            try:
                if restart and "ldirectord" in services:
                    for vip in self._vips:
                        self._cut(vip, None)
                self._apply(addresses=served or "heartbeat" in services)
            except NetnsError as error:
                raise HaproxyError(f"layer 4 (kernel NAT): {error}") from None

    def set_server_state(self, vip: str, rip: str, state: str, weight: str) -> None:
        if any(status.label == vip for status in self._statuses):
            with self._lock:
                try:
                    self._apply(addresses=False)
                except NetnsError as error:
                    raise HaproxyError(f"layer 4 (kernel NAT): {error}") from None
            return
        self._layer7.set_server_state(vip, rip, state, weight)

    def clear_stick(self, vip: str | None) -> None:
        self._layer7.clear_stick(vip)

    def status(self) -> list[dict[str, object]]:
        with self._lock:
            layer4 = [status.as_json() for status in self._statuses]
        return self._layer7.status() + layer4

    def connections(self) -> list[dict[str, object]]:
        """As `HaproxyDataPlane.connections`; Layer 4 counts the kernel's tracked ESTABLISHED TCP
        connections to each real server through its VIP, as `ipvsadm -Ln` shows ActiveConn."""
        found = self._layer7.connections()
        with self._lock:
            if not self._active:
                return found
            for vip in self._vips:
                for real in vip.reals:
                    argv = ["conntrack", "-L", "-p", "tcp", "--orig-dst", vip.ip, "--reply-src", real.ip]
                    try:
                        listed = run_in(self.netns, [*argv, "--state", "ESTABLISHED"])
                    except NetnsError:
                        continue  # not counted: left out rather than shown as 0
                    count = sum(1 for line in listed.splitlines() if line.strip())
                    found.append({"layer": "4", "vip": vip.label, "rip": real.label, "connections": count})
        return found

    def stop(self) -> None:
        self._stop.set()
        self._layer7.stop()
        with self._lock:
            self._set_addresses(set())
            with contextlib.suppress(NetnsError):
                run_in(self.netns, ["nft", "delete", "table", "ip", self.table])

    # ---- Layer 4 ---------------------------------------------------------------------------
    def _apply(self, addresses: bool) -> None:
        """Make the table (and, with `addresses`, the addresses) follow the running configuration."""
        if self._running is None:
            return
        before, vips_before = self._listed(), {vip.label: vip for vip in self._vips}
        self._checks = checks_config(self._running)
        self._vips, self._statuses = nat_vips(self._running, self._opstate, self._active)
        for vip in self._vips:
            self._marks.setdefault(vip.label, len(self._marks) + 1)
        script, sets = render_rules(self.table, self._vips, self._marks, self._health, self._checks.quiescent)
        unused = self._sets - sets
        script += "".join(f"delete set ip {self.table} {name}\n" for name in sorted(unused))
        if script != self._last_script:
            run_in(self.netns, ["nft", "-f", "-"], stdin=script)
            self._last_script = script
        self._sets = sets
        for label, real_ip in sorted(before - self._listed()):
            self._cut(vips_before[label], real_ip)
        if addresses:
            self._set_addresses(self._wanted_addresses())

    def _listed(self) -> set[tuple[str, str]]:
        """(VIP label, real server address) of every real server now in the table."""
        quiescent = self._checks.quiescent
        return {
            (vip.label, real.ip)
            for vip in self._vips
            for real in vip.reals
            if in_table(real, self._health.get((vip.label, real.ip), True), quiescent)
        }

    def _cut(self, vip: NatVip, real_ip: str | None) -> None:
        """Delete the tracked connections of one real server of `vip` (None: of every one).

        conntrack filters on one port: a VIP's port range is cut on its address alone."""
        single = [port for port in vip.ports if port.isdigit()]
        ports: list[str | None] = list(single) if len(single) == len(vip.ports) else [None]
        for port in ports:
            argv = ["conntrack", "-D", "-p", "tcp", "--orig-dst", vip.ip]
            argv += ["--orig-port-dst", port] if port else []
            argv += ["--reply-src", real_ip] if real_ip else []
            with contextlib.suppress(NetnsError):  # none to delete is an error for conntrack
                run_in(self.netns, argv)

    def _wanted_addresses(self) -> set[tuple[str, str]]:
        if not self._active or self._running is None:
            return set()
        wanted = {(f"{vip.ip}/32", FRONT_INTERFACE) for vip in self._vips}
        for address in floating_ips(self._running):
            try:
                ip = ipaddress.ip_address(address)
            except ValueError:
                continue
            if ip.version != 4:
                continue
            on_service = any(ip in net for net in self._service_nets)
            wanted.add((f"{ip}/32", SERVICE_INTERFACE if on_service else FRONT_INTERFACE))
        return wanted

    def _set_addresses(self, wanted: set[tuple[str, str]]) -> None:
        for address, interface in sorted(self._addresses - wanted):
            with contextlib.suppress(NetnsError):
                run_in(self.netns, ["ip", "addr", "del", address, "dev", interface])
        for address, interface in sorted(wanted - self._addresses):
            run_in(self.netns, ["ip", "addr", "replace", address, "dev", interface])
            with contextlib.suppress(OSError, NetnsError):
                gratuitous_arp(self.netns, interface, address.split("/")[0])
        self._addresses = wanted

    # ---- ldirectord's health checks --------------------------------------------------------
    def _check_loop(self) -> None:
        while not self._stop.wait(self._checks.interval):
            # Same guard as ha.py's heartbeat _loop; kept inline: each loop's round and name differ.
            try:
                self._check_all()
            except Exception as error:  # the checker must outlive anything one round meets
                print(
                    f"lborg-simulator: layer 4 checks: {type(error).__name__}: {error}",
                    file=sys.stderr,
                    flush=True,
                )

    def _check_all(self) -> None:
        with self._lock:
            if not self._active:
                return
            targets = [(vip.label, real.ip, real.check_port) for vip in self._vips for real in vip.reals]
            checks = self._checks
        results = {(label, ip): self._connects(ip, port, checks.timeout) for label, ip, port in targets}
        with self._lock:
            changed = False
            for key, ok in results.items():
                failures = 0 if ok else self._failures.get(key, 0) + 1
                self._failures[key] = failures
                healthy = failures < checks.failurecount
                if self._health.get(key, True) != healthy:
                    self._health[key] = healthy
                    changed = True
            if changed:
                self._apply(addresses=False)

    def _connects(self, ip: str, port: int, timeout: float) -> bool:
        try:
            sock = socket_in(self.netns)
        except OSError:
            return False
        with sock:
            sock.settimeout(timeout)
            try:
                sock.connect((ip, port))
            except OSError:
                return False
        return True
