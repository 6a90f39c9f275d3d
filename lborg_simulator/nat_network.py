"""The lab's service network in network namespaces, for Layer 4 NAT as the kernel does it.

    client ns            switch ns (two bridges)            appliance ns (one per node)
    eth0 192.0.2.10 ── c0 ─┤ front ├─ f1 ── front0 (VIPs and floating IPs of the active node)
                           ├─ svc ─┤─ s1 ── svc0   (own service address; the floating gateway)
    EAS ns (one per server)  │
    eth0 <server>/<prefix> ─ e1   default route via the floating service gateway

Nothing is routed to the host's own interfaces: the namespaces are joined only to each other by
veth pairs, so any address may be used inside them; the lab uses the site's own addresses (its
service VIP, gateway and EAS servers, on 127.x, which the kernel routes between namespaces once
`route_localnet` is on) and a client address from TEST-NET-1 (RFC 5737, never routed anywhere).
The client reaches the VIPs on its segment directly (no router between it and the pair), and each
appliance reaches the client the same way, so the only route that matters is the one the guide
names: each EAS server's default gateway.
"""

from __future__ import annotations

import dataclasses
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lborg_simulator.netns import remove_prefixed, run, run_in, sysctl

#: The client's address in its namespace: TEST-NET-1 (RFC 5737), which no network routes.
CLIENT_ADDRESS = "192.0.2.10"
#: Interface names inside an appliance's namespace (the data plane adds its addresses there).
FRONT_INTERFACE = "front0"
SERVICE_INTERFACE = "svc0"


@dataclass(frozen=True)
class NatAppliance:
    name: str
    service_address: str  # its own address on the service network, with the prefix: 127.0.41.240/25
    service_subnet: str  # the EAS service subnet it serves: on-link on its service interface


@dataclass(frozen=True)
class NatServer:
    ip: str
    prefix_length: int  # of the EAS service subnet
    gateway: str  # the default route the stand-in gets (the pair's floating service gateway)


@dataclass(frozen=True)
class NatNetwork:
    """One lab's namespaces: every name starts with `prefix`."""

    prefix: str
    appliances: tuple[NatAppliance, ...]
    servers: tuple[NatServer, ...]
    vips: tuple[str, ...]  # the Layer 4 VIP addresses the client connects to
    client: str = CLIENT_ADDRESS

    # Properties alike eas_lb's adopt/reverse.py FoundVip's in shape; the simulator never imports eas_lb.
    @property
    def switch_netns(self) -> str:
        return f"{self.prefix}-sw"

    @property
    def client_netns(self) -> str:
        return f"{self.prefix}-client"

    def appliance_netns(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def server_netns(self, ip: str) -> str:
        index = [server.ip for server in self.servers].index(ip)
        return f"{self.prefix}-eas{index + 1}"

    def as_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> NatNetwork:
        return cls(
            prefix=str(data["prefix"]),
            appliances=tuple(NatAppliance(**a) for a in data["appliances"]),
            servers=tuple(NatServer(**s) for s in data["servers"]),
            vips=tuple(data["vips"]),
            client=str(data["client"]),
        )

    def all_netns(self) -> list[str]:
        return [
            self.switch_netns,
            self.client_netns,
            *(self.appliance_netns(a.name) for a in self.appliances),
            *(self.server_netns(s.ip) for s in self.servers),
        ]


def _new_netns(name: str) -> None:
    run(["ip", "netns", "add", name])
    # Addresses of 127/8 on veth interfaces: routed between namespaces only with route_localnet
    # (interfaces made later inherit `default`).
    for scope in ("all", "default"):
        sysctl(name, f"net.ipv4.conf.{scope}.route_localnet", "1")


def _link(network: NatNetwork, bridge: str, port: str, netns: str, interface: str) -> None:
    """A veth pair from `netns`'s `interface` to `port` on the switch's `bridge`."""
    switch = network.switch_netns
    run(
        [
            "ip",
            "link",
            "add",
            port,
            "netns",
            switch,
            "type",
            "veth",
            "peer",
            "name",
            interface,
            "netns",
            netns,
        ]
    )
    run(["ip", "-n", switch, "link", "set", port, "master", bridge, "up"])
    run(["ip", "-n", netns, "link", "set", interface, "up"])


def up(network: NatNetwork) -> None:
    """Create the namespaces and links (after removing any left by an earlier lab of this prefix)."""
    down(network)
    try:
        _build(network)
    except Exception:
        down(network)
        raise


def _build(network: NatNetwork) -> None:
    for name in network.all_netns():
        _new_netns(name)
    switch = network.switch_netns
    for bridge in ("front", "svc"):
        run(["ip", "-n", switch, "link", "add", bridge, "type", "bridge"])
        run(["ip", "-n", switch, "link", "set", bridge, "up"])
    client = network.client_netns
    _link(network, "front", "c0", client, "eth0")
    run(["ip", "-n", client, "addr", "add", f"{network.client}/32", "dev", "eth0"])
    for vip in network.vips:
        run(["ip", "-n", client, "route", "add", f"{vip}/32", "dev", "eth0"])
    for index, appliance in enumerate(network.appliances, start=1):
        netns = network.appliance_netns(appliance.name)
        _link(network, "front", f"f{index}", netns, FRONT_INTERFACE)
        _link(network, "svc", f"s{index}", netns, SERVICE_INTERFACE)
        run(["ip", "-n", netns, "addr", "add", appliance.service_address, "dev", SERVICE_INTERFACE])
        run(["ip", "-n", netns, "route", "replace", appliance.service_subnet, "dev", SERVICE_INTERFACE])
        run(["ip", "-n", netns, "route", "add", f"{network.client}/32", "dev", FRONT_INTERFACE])
        sysctl(netns, "net.ipv4.ip_forward", "1")
    for index, server in enumerate(network.servers, start=1):
        netns = network.server_netns(server.ip)
        _link(network, "svc", f"e{index}", netns, "eth0")
        run(["ip", "-n", netns, "addr", "add", f"{server.ip}/{server.prefix_length}", "dev", "eth0"])
        run(["ip", "-n", netns, "route", "add", "default", "via", server.gateway])


def down(network: NatNetwork) -> list[str]:
    """Delete every namespace of the lab; the nftables tables inside them go with them."""
    return remove_prefixed(f"{network.prefix}-")


def set_default_gateway(network: NatNetwork, server_ip: str, gateway: str) -> None:
    """Point one EAS stand-in's default route at `gateway` (an operator's mistake, for tests)."""
    run_in(network.server_netns(server_ip), ["ip", "route", "replace", "default", "via", gateway])


def service_prefix_length(subnet: str) -> int:
    return ipaddress.ip_network(subnet, strict=False).prefixlen


def server_netns_map(network: NatNetwork) -> Sequence[tuple[str, str]]:
    return [(server.ip, network.server_netns(server.ip)) for server in network.servers]
