"""The real servers an appliance runs, as EAS servers: address, VIP, state, established connections.

The servers come from the appliance's `list dumpconfig`, their states from its `nodestatus`, both
read through the provider's client and model, as the provider itself reads them
(`lborg_provider.model.server_states`: where the vendor documents no read of a state, that module
says which one this project assumes). Where the appliance's answer carries no state, or no
connection count (the API reports none), the value is None and the output says "not reported"
rather than guessing "online" or 0. The lab's simulated appliance adds its own count of
established connections to its `nodestatus` (`lab_connections`, a simulator extension: see
docs/appliance-api.md, "Lab extensions"); it is kept apart (`LiveServer.lab_connections`), shown
as the lab's, and nothing waits on it: a real appliance never sends it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from lborg_provider.model.config_view import reals, virtuals
from lborg_provider.model.fields import Field
from lborg_provider.model.normalize import text
from lborg_provider.model.server_states import UnreadableStates, reported_states
from lborg_provider.model.tables import BY_LAYER

# Layout alike lborg_simulator/server.py (constants, a frozen dataclass); eas_lb never imports it.
ONLINE = "online"
LAYERS = ("7", "4")


@dataclass(frozen=True)
class LiveServer:
    """One real server on one appliance."""

    appliance: str
    layer: str
    vip: str
    label: str
    address: str
    #: `online`, `drain` or `halt`; None when the appliance's answer does not say.
    state: str | None
    #: Established connections; None when the appliance does not report them.
    connections: int | None = None
    #: The lab's count of established connections (simulator extension); None elsewhere.
    lab_connections: int | None = None

    @property
    def in_service(self) -> bool:
        return self.state == ONLINE


def _field(layer: str, attr: str) -> Field | None:
    return next((field for field in BY_LAYER[layer][1].fields if field.attr == attr), None)


class UnreadableServers(ValueError):
    """An appliance's report of its real servers' states that cannot be read (never guessed)."""


def live_servers(appliance: str, config: dict[str, Any], status: dict[str, Any]) -> list[LiveServer]:
    """Every real server of every VIP in one appliance's configuration (`list dumpconfig`), both
    layers, with the state its `nodestatus` reports."""
    try:
        states = reported_states(status)
    except UnreadableStates as error:
        raise UnreadableServers(f"appliance {appliance}: nodestatus: {error}") from None
    lab = _lab_counts(status)
    found = []
    for layer in LAYERS:
        ip_field = _field(layer, "ip")
        for virtual in virtuals(config, layer):
            vip = text(virtual.get("label"))
            for real in reals(virtual):
                label = text(real.get("label"))
                address = text(ip_field.from_appliance(real)) if ip_field else text(real.get("server"))
                state = None if states is None else states.get((layer, vip, label))
                counted = lab.get((layer, vip, label))
                found.append(LiveServer(appliance, layer, vip, label, address, state, None, counted))
    return sorted(found, key=lambda server: (address_order(server.address), server.vip, server.appliance))


#: The `nodestatus` key under which the lab's simulated appliance reports its connection counts.
LAB_CONNECTIONS = "lab_connections"


def _lab_counts(status: dict[str, Any]) -> dict[tuple[str, str, str], int]:
    """(layer, VIP, real server) → the lab's count; {} when absent (every real appliance) or not
    in the shape the simulator writes (a count is never guessed)."""
    listed = status.get(LAB_CONNECTIONS)
    if not isinstance(listed, list):
        return {}
    found = {}
    for item in listed:
        if not isinstance(item, dict) or isinstance(item.get("connections"), bool):
            continue
        count = item.get("connections")
        if isinstance(count, int) and count >= 0:
            found[(text(item.get("layer")), text(item.get("vip")), text(item.get("rip")))] = count
    return found


def address_order(address: str) -> tuple[int, bytes, str]:
    """EAS servers in numeric address order (IPv4 first); anything unparsable last, by text."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (2, b"", address)
    return (0 if parsed.version == 4 else 1, parsed.packed, address)
