"""What the vendor's help says beyond "accepted": the documented failures and the scope of
`services all`, `list --rip`, `clone-vip` and a Layer 7 real server without a port."""

from __future__ import annotations

from typing import Any

import pytest

from lborg_simulator.testing import SimulatorProcess


def one(appliance: SimulatorProcess, action: dict[str, Any]) -> dict[str, Any]:
    return appliance.call([action])[0]


def l7(label: str, ip: str, ports: str, mode: str = "tcp") -> dict[str, Any]:
    return {"action": "add-vip", "layer": "7", "vip": label, "ip": ip, "ports": ports, "mode": mode}


def test_fallback_persist_needs_fallback_ip_and_port(appliance: SimulatorProcess) -> None:
    appliance.call_ok([l7("SEM_FALLBACK", "127.10.20.1", "18080")])
    refused = one(appliance, {"action": "edit-vip", "vip": "SEM_FALLBACK", "persistence": "fallback_persist"})
    assert refused["status"] == "failed" and "fallback_ip" in refused["message"]
    listed = one(appliance, {"action": "list", "function": "virtual", "layer": "7", "vip": "SEM_FALLBACK"})
    assert listed["data"]["virtual"][0]["persistence"] == "ip"  # a failed action changes nothing
    accepted = one(
        appliance,
        {
            "action": "edit-vip",
            "vip": "SEM_FALLBACK",
            "persistence": "fallback_persist",
            "fallback_ip": "127.10.20.9",
            "fallback_port": "18099",
        },
    )
    assert accepted["status"] == "success", accepted


def test_services_all_acts_on_the_same_label_in_one_layer_only(appliance: SimulatorProcess) -> None:
    appliance.call_ok(
        [
            l7("SEM_A", "127.10.20.2", "18080"),
            l7("SEM_B", "127.10.20.2", "18081"),
            {
                "action": "add-vip",
                "layer": "4",
                "vip": "SEM_C",
                "ip": "127.10.20.2",
                "ports": "18082",
                "forwarding": "masq",
                "protocol": "tcp",
            },
            *[
                {"action": "add-rip", "vip": vip, "rip": "Shared", "ip": "127.10.21.2", "port": "18080"}
                for vip in ("SEM_A", "SEM_B", "SEM_C")
            ],
        ]
    )
    result = one(appliance, {"action": "halt", "vip": "SEM_A", "rip": "Shared", "services": "all"})
    assert result["status"] == "success"
    assert "'SEM_A'" in result["message"] and "'SEM_B'" in result["message"]
    assert "SEM_C" not in result["message"]  # the other layer is never touched (help)
    unknown = one(appliance, {"action": "halt", "vip": "SEM_A", "rip": "Shared", "services": "some"})
    assert unknown["status"] == "failed" and "'services'" in unknown["message"]


def test_list_virtual_with_rip_keeps_only_that_real_server(appliance: SimulatorProcess) -> None:
    appliance.call_ok(
        [
            l7("SEM_LIST", "127.10.20.3", "18080"),
            {"action": "add-rip", "vip": "SEM_LIST", "rip": "One", "ip": "127.10.21.3", "port": "18080"},
            {"action": "add-rip", "vip": "SEM_LIST", "rip": "Two", "ip": "127.10.21.4", "port": "18080"},
        ]
    )
    listed = one(
        appliance, {"action": "list", "function": "virtual", "layer": "7", "vip": "SEM_LIST", "rip": "Two"}
    )
    assert listed["data"]["virtual"][0]["real"]["label"] == "Two"
    absent = one(
        appliance, {"action": "list", "function": "virtual", "layer": "7", "vip": "SEM_LIST", "rip": "Three"}
    )
    assert absent["status"] == "missing"


def test_clone_copies_real_servers_and_needs_its_own_address(appliance: SimulatorProcess) -> None:
    appliance.call_ok(
        [
            l7("SEM_SOURCE", "127.10.20.4", "18080"),
            {"action": "add-rip", "vip": "SEM_SOURCE", "rip": "One", "ip": "127.10.21.5"},
        ]
    )
    clash = one(appliance, {"action": "clone-vip", "vip": "SEM_SOURCE", "clone": "SEM_CLONE"})
    assert clash["status"] == "failed" and "127.10.20.4:18080" in clash["message"]
    cloned = one(
        appliance,
        {"action": "clone-vip", "vip": "SEM_SOURCE", "clone": "SEM_CLONE", "ports": "18081", "mode": "http"},
    )
    assert cloned["status"] == "success", cloned
    virtual = one(appliance, {"action": "list", "function": "virtual", "layer": "7", "vip": "SEM_CLONE"})[
        "data"
    ]["virtual"][0]
    assert (virtual["ports"], virtual["mode"], virtual["real"]["label"]) == ("18081", "http", "One")
    assert virtual["real"]["port"] == []  # no port: the VIP's port is used (stored empty)
    again = one(
        appliance, {"action": "clone-vip", "vip": "SEM_SOURCE", "clone": "SEM_CLONE", "ports": "18082"}
    )
    assert again["status"] == "exists"


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (
            {"action": "add-rip", "vip": "SEM_L4", "rip": "R", "ip": "127.10.21.6", "encrypted": "on"},
            "encrypted",
        ),
        ({"action": "edit-vip", "vip": "SEM_L4", "persistence": "ip"}, "persistence"),
        ({"action": "edit-vip", "vip": "SEM_L4", "scheduler": ""}, "scheduler"),
        ({"action": "edit-vip", "vip": "SEM_L4", "granularity": "255.0.255.0"}, "granularity"),
        ({"action": "edit-vip", "vip": "SEM_L4", "service_type": "waf_frontend"}, "service_type"),
        ({"action": "pbr", "function": "set", "ip": "::1", "gateway": "127.10.4.1"}, "ip"),
        ({"action": "list", "function": "dumpconfig", "method": "cli"}, "method"),
    ],
    ids=[
        "encrypted-on-layer4",
        "layer7-field",
        "empty-choice",
        "bad-netmask",
        "add-only",
        "pbr-ipv6",
        "method",
    ],
)
def test_documented_limits_fail_naming_the_field(
    appliance: SimulatorProcess, action: dict[str, Any], field: str
) -> None:
    if (
        one(appliance, {"action": "list", "function": "virtual", "layer": "4", "vip": "SEM_L4"})["status"]
        != "success"
    ):
        appliance.call_ok(
            [
                {
                    "action": "add-vip",
                    "layer": "4",
                    "vip": "SEM_L4",
                    "ip": "127.10.20.5",
                    "ports": "18080",
                    "forwarding": "masq",
                    "protocol": "tcp",
                }
            ]
        )
    result = one(appliance, action)
    assert result["status"] == "failed"
    assert f"'{field}'" in result["message"], result["message"]


#: The per-node request of the vendor's HA setup example (LB_API_Library,
#: library/json_ha_setup_example/master.json), as published: its static route is written with host
#: bits set (192.168.100.0/18 is the network 192.168.64.0/18), as the lbcli help's own
#: `--network 192.168.100.100/18` is. Posted only to the simulator; nothing is sent to these addresses.
VENDOR_MASTER_EXAMPLE: list[dict[str, Any]] = [
    {"action": "hostname", "function": "set", "hostname": "mole", "domain": "master.lb.zerodns.co.uk"},
    {"action": "dns", "function": "set", "dns0": "8.8.8.8", "dns1": "1.1.1.1"},
    {"action": "address", "function": "flush", "interface": "eth0"},
    {"action": "address", "function": "add", "address": "172.31.200.2/24", "interface": "eth0"},
    {"action": "route", "function": "default", "type": "set", "gateway": "172.31.200.1"},
    {
        "action": "route",
        "function": "static",
        "type": "add",
        "network": "192.168.100.0/18",
        "gateway": "172.31.200.1",
    },
    {"action": "power", "function": "restart"},
]


def test_the_vendors_ha_example_posted_as_it_is_keeps_its_route_as_written(
    appliance: SimulatorProcess,
) -> None:
    before = one(appliance, {"action": "address", "function": "get", "interface": "eth0"})["data"]["eth0"]
    try:
        statuses = [
            (r["action"], r["status"], r.get("message")) for r in appliance.call(VENDOR_MASTER_EXAMPLE)
        ]
        assert all(status == "success" for _a, status, _m in statuses), statuses
        routes = one(appliance, {"action": "route", "function": "static", "type": "get"})["data"]["routes"]
        assert routes == [{"network": "192.168.100.0/18", "gateway": "172.31.200.1"}]
        again = one(
            appliance,
            {
                "action": "route",
                "function": "static",
                "type": "add",
                "network": "192.168.64.0/18",
                "gateway": "172.31.200.1",
            },
        )
        assert again["status"] == "exists" and "192.168.100.0/18" in again["message"], again
        not_a_network = one(
            appliance,
            {
                "action": "route",
                "function": "static",
                "type": "add",
                "network": "192.168.100.0/33",
                "gateway": "172.31.200.1",
            },
        )
        assert not_a_network["status"] == "failed" and "'network'" in not_a_network["message"], not_a_network
    finally:
        one(appliance, {"action": "route", "function": "static", "type": "del", "network": "192.168.64.0/18"})
        one(appliance, {"action": "address", "function": "flush", "interface": "eth0"})
        for address in before:
            one(appliance, {"action": "address", "function": "add", "address": address, "interface": "eth0"})
    routes = one(appliance, {"action": "route", "function": "static", "type": "get"})["data"]["routes"]
    assert routes == []  # `del` with the network's other spelling removed it: one network, one route
