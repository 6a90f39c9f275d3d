"""The real servers an appliance runs, as EAS servers: address, VIP, state, established connections.

Read from the appliance's `list dumpconfig` through the provider's client and its field tables
(`lborg_provider.model`), the same read `verify` makes: the provider's `state` attribute says how
the appliance reports a real server's state, so the two can never disagree. Where the appliance's
answer carries no state, or no connection count, the value is None and the output says "not
reported" rather than guessing "online" or 0.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any

from lborg_provider.model.config_view import reals, virtuals
from lborg_provider.model.fields import Field
from lborg_provider.model.normalize import text
from lborg_provider.model.tables import BY_LAYER

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

    @property
    def in_service(self) -> bool:
        return self.state == ONLINE


def _field(layer: str, attr: str) -> Field | None:
    return next((field for field in BY_LAYER[layer][1].fields if field.attr == attr), None)


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def live_servers(appliance: str, config: dict[str, Any]) -> list[LiveServer]:
    """Every real server of every VIP in one appliance's configuration, both layers."""
    found = []
    for layer in LAYERS:
        ip_field, state_field, connections_field = (
            _field(layer, name) for name in ("ip", "state", "connections")
        )
        for virtual in virtuals(config, layer):
            vip = text(virtual.get("label"))
            for real in reals(virtual):
                address = text(ip_field.from_appliance(real)) if ip_field else text(real.get("server"))
                state = text(state_field.from_appliance(real)) or None if state_field else None
                connections = _count(connections_field.from_appliance(real)) if connections_field else None
                found.append(
                    LiveServer(appliance, layer, vip, text(real.get("label")), address, state, connections)
                )
    return sorted(found, key=lambda server: (address_order(server.address), server.vip, server.appliance))


def address_order(address: str) -> tuple[int, bytes, str]:
    """EAS servers in numeric address order (IPv4 first); anything unparsable last, by text."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (2, b"", address)
    return (0 if parsed.version == 4 else 1, parsed.packed, address)
