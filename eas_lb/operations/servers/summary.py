"""One line per EAS server: the rows of `servers` (one per real server, VIP and appliance) folded
into the box an operator upgrades.

A server the site file names (`eas_servers:`) is one line with all its addresses, both layers
and every pair; an address no name covers is a line of its own. Per state, the line counts the
VIPs (each once, whichever appliances show it) so "drain on 5 + 2 VIPs" reads as the plan review
says it. Connections are the appliance's where it reports them (API v2 reports none: "not
reported"), else the lab's own count when the command runs against the lab (marked as such).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from eas_lb.inputs.site import Site
from eas_lb.operations.appliances.live_servers import LiveServer, address_order

SUMMARY_HEADERS = ("EAS SERVER", "VIPS", "STATE", "CONNECTIONS", "NOTE")


@dataclass
class ServerSummary:
    """One EAS server over every appliance: its VIPs per layer, the VIPs in each state."""

    name: str | None
    addresses: list[str]
    #: (layer, VIP label) of every VIP that has one of the addresses.
    vips: set[tuple[str, str]] = field(default_factory=set)
    #: state ("not reported" when the appliance gives none) → the (layer, VIP) in it.
    states: dict[str, set[tuple[str, str]]] = field(default_factory=dict)
    connections: int | None = None
    lab_connections: int | None = None
    note: str = ""

    @property
    def title(self) -> str:
        """`eas-3 (10.225.37.231, 192.168.85.61)`, or the address of an unnamed server."""
        shown = ", ".join(self.addresses)
        return f"{self.name} ({shown})" if self.name else shown

    def vip_count(self, subset: set[tuple[str, str]] | None = None) -> str:
        """`5 + 2 VIPs` (Layer 7 + Layer 4) when both layers, else `5 VIPs`."""
        chosen = self.vips if subset is None else subset
        layer7 = sum(1 for layer, _ in chosen if layer == "7")
        layer4 = len(chosen) - layer7
        noun = "VIP" if len(chosen) == 1 else "VIPs"
        return f"{layer7} + {layer4} {noun}" if layer7 and layer4 else f"{len(chosen)} {noun}"

    @property
    def state_text(self) -> str:
        """`drain` when every VIP agrees, else `drain on 5 VIPs, online on 2 VIPs`."""
        if len(self.states) == 1:
            return next(iter(self.states))
        return ", ".join(f"{state} on {self.vip_count(vips)}" for state, vips in sorted(self.states.items()))

    @property
    def connections_text(self) -> str:
        if self.connections is not None:
            return str(self.connections)
        if self.lab_connections is not None:
            return f"{self.lab_connections} (lab's count; not reported by API v2)"
        return "not reported"

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "addresses": self.addresses,
            "layer7_vips": sum(1 for layer, _ in self.vips if layer == "7"),
            "layer4_vips": sum(1 for layer, _ in self.vips if layer == "4"),
            "states": {state: len(vips) for state, vips in sorted(self.states.items())},
            "connections": self.connections,
            "lab_connections": self.lab_connections,
            "note": self.note or None,
        }


def summarize(servers: Sequence[LiveServer], site: Site, notes: Mapping[str, str]) -> list[ServerSummary]:
    """Every EAS server the appliances run, named ones first in the site file's order.

    `notes`: address → the maintenance note."""
    found: dict[str, ServerSummary] = {}
    for server in sorted(servers, key=lambda item: address_order(item.address)):
        named = site.eas_server_of(server.address)
        key = named.name if named is not None else server.address
        if key not in found:
            addresses = [str(a) for a in named.addresses] if named is not None else [server.address]
            found[key] = ServerSummary(named.name if named else None, addresses)
        summary = found[key]
        vip = (server.layer, server.vip)
        summary.vips.add(vip)
        summary.states.setdefault(server.state or "not reported", set()).add(vip)
        if server.connections is not None:
            summary.connections = (summary.connections or 0) + server.connections
        if server.lab_connections is not None:
            summary.lab_connections = (summary.lab_connections or 0) + server.lab_connections
        summary.note = summary.note or notes.get(server.address, "")
    order = {server.name: index for index, server in enumerate(site.eas_servers)}
    return sorted(found.values(), key=lambda item: (order.get(item.name or "", len(order)),))


def summary_rows(summaries: Sequence[ServerSummary]) -> list[tuple[str, ...]]:
    return [
        (item.title, item.vip_count(), item.state_text, item.connections_text, item.note)
        for item in summaries
    ]
