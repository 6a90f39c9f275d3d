"""A pair configured by hand: raw API calls in the order and with the values of the guide's WebUI steps.

Written from the deployment guide's steps, not from `eas_lb.guide.mapping`, so a test that adopts such a
pair checks the reverse mapping against the guide rather than against itself: pair the appliances
first (the peer must be empty), then per pools row one VIP and one real server per EAS server,
the service gateway as a floating IP, eth1 addresses per node, and a reload of each service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests

from lborg_simulator.testing import api_headers, lbcli_results

Action = dict[str, Any]


@dataclass(frozen=True)
class RawAppliance:
    """One appliance's API as a person's browser session would reach it."""

    name: str
    endpoint: str
    ca_file: str
    username: str
    password: str
    api_key: str

    def call(self, actions: Sequence[Action]) -> list[dict[str, Any]]:
        response = requests.post(
            self.endpoint.rstrip("/") + "/api/v2/",
            json={"lbcli": list(actions)},
            auth=(self.username, self.password),
            headers=api_headers(self.api_key),
            verify=self.ca_file,
            timeout=60,
        )
        response.raise_for_status()
        results = lbcli_results(response.json())
        failed = [r for r in results if r.get("status") != "success"]
        if failed:
            raise AssertionError(f"{self.name}: {failed}")
        return results

    def dumpconfig(self) -> dict[str, Any]:
        data: dict[str, Any] = self.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
        return data

    def nodestatus(self) -> dict[str, Any]:
        data: dict[str, Any] = self.call([{"action": "nodestatus"}])[0]["data"]
        return data


@dataclass(frozen=True)
class HandRow:
    """One pools row as the person reads it off pools.txt."""

    section: str  # "MANAGEMENT" or "SERVICE"
    name: str
    vip: str
    port: int
    sticky: int
    servers: tuple[str, ...]
    label: str | None = None  # the label the person typed, when not the guide's
    edits: Mapping[str, str] = field(default_factory=dict)  # values the person set otherwise


def _guide_label(row: HandRow) -> str:
    return row.label or ("MGMT_" if row.section == "MANAGEMENT" else "SERV_") + row.name


def vip_actions(row: HandRow) -> list[Action]:
    """The WebUI steps of the guide for one row, as API actions."""
    label = _guide_label(row)
    port = str(row.port)
    if row.section == "MANAGEMENT":
        minutes = -(-row.sticky // 60)
        edit: Action = {
            "action": "edit-vip",
            "vip": label,
            "scheduler": "roundrobin",
            "persistence": "ip" if row.sticky else "none",
            "check_type": "connect",
            "check_port": port,
            "timeout_client": "900000",
            "timeout_server": "901000",
        }
        if row.sticky:
            edit["persist_time"] = str(minutes)
        add: Action = {
            "action": "add-vip",
            "layer": "7",
            "vip": label,
            "ip": row.vip,
            "ports": port,
            "mode": "tcp",
        }
    else:
        edit = {
            "action": "edit-vip",
            "vip": label,
            "scheduler": "wrr",
            "persistent": "on" if row.sticky else "off",
            "check_type": "connect",
            "check_port": port,
        }
        if row.sticky:
            edit["persist_time"] = str(row.sticky)
        add = {
            "action": "add-vip",
            "layer": "4",
            "vip": label,
            "ip": row.vip,
            "ports": port,
            "protocol": "tcp",
            "forwarding": "masq",
        }
    edit.update(row.edits)
    rips = [
        {"action": "add-rip", "vip": label, "rip": f"EAS_SSS-{n}", "ip": ip, "port": port, "weight": "100"}
        for n, ip in enumerate(row.servers, start=1)
    ]
    return [add, edit, *rips]


def configure_pair_by_hand(
    primary: RawAppliance,
    secondary: RawAppliance | None,
    rows: Sequence[HandRow],
    *,
    addresses: Mapping[str, str],
    pairing: tuple[str, str] | None,
    service_gateway: str | None,
    extra: Sequence[Action] = (),
) -> None:
    """Pair, then VIPs and real servers, the gateway, per-node addresses, and reload everything.

    `addresses` maps appliance name → eth1 address with prefix; `pairing` is (local, peer).
    """
    if secondary is not None and pairing is not None:
        local, peer = pairing
        primary.call(
            [{"action": "ha_create", "local_ip": local, "peer_ip": peer, "peer_password": secondary.password}]
        )
    for appliance in (primary, secondary):
        if appliance is not None and appliance.name in addresses:
            appliance.call(
                [
                    {
                        "action": "address",
                        "function": "add",
                        "interface": "eth1",
                        "address": addresses[appliance.name],
                    }
                ]
            )
    for row in rows:
        primary.call(vip_actions(row))
    if service_gateway is not None:
        primary.call([{"action": "add-floating-ip", "ip": service_gateway}])
    if extra:
        primary.call(list(extra))
    primary.call([{"action": f"reload-{service}"} for service in ("haproxy", "ldirectord", "heartbeat")])
