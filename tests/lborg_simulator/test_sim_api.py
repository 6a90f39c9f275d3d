"""The API v2 as a client sees it: envelope, authentication, every action's statuses."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import requests

from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    api_headers,
    running_simulator,
)
from tests.support.paths import REPO_ROOT
from tests.support.simulator_api import data, l4_vip, l7_vip, nodestatus, one, rip


def test_envelope_has_one_result_per_action_in_order(sim: SimulatorProcess) -> None:
    response = sim.post({"lbcli": [{"action": "nodestatus"}, {"action": "list", "function": "floatingip"}]})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    results = body["lbapi"][0]["itteration"][0]["lbcli"]
    assert [r["action"] for r in results] == ["nodestatus", "list"]
    assert [r["status"] for r in results] == ["success", "success"]
    assert results[1]["data"] == {"floatingip": []}


def test_batch_runs_every_action_whatever_earlier_ones_answered(sim: SimulatorProcess, subnet: str) -> None:
    """As the appliance's front-end (one lbcli run per action): a failure does not stop the batch."""
    results = sim.call(
        [
            l7_vip("A", f"{subnet}.10", 11000),
            l7_vip("A", f"{subnet}.10", 11001),
            {"action": "edit-vip", "vip": "A", "persist_time": "45"},
            l7_vip("B", f"{subnet}.10", 11002),
        ]
    )
    assert [r["status"] for r in results] == ["success", "exists", "success", "success"]
    virtuals = data(sim, {"action": "list", "function": "virtual", "layer": "7"})["virtual"]
    assert [(v["label"], v["ports"], v["persist_time"]) for v in virtuals] == [
        ("A", "11000", "45"),
        ("B", "11002", "30"),
    ]


@pytest.mark.parametrize(
    ("auth", "headers"),
    [
        (None, {}),
        ((TEST_USERNAME, "wrong-password"), None),
        (("someone-else", TEST_PASSWORD), None),
        ((TEST_USERNAME, TEST_PASSWORD), {}),
        ((TEST_USERNAME, TEST_PASSWORD), api_headers("wrong-key")),
        ((TEST_USERNAME, TEST_PASSWORD), {"X-LB-APIKEY": TEST_API_KEY}),  # not base64 of the key
    ],
    ids=["nothing", "bad-password", "bad-user", "no-api-key", "bad-api-key", "key-not-base64"],
)
def test_bad_credentials_get_401_without_echo(
    sim: SimulatorProcess, auth: tuple[str, str] | None, headers: dict[str, str] | None
) -> None:
    response = requests.post(
        sim.endpoint,
        json={"lbcli": [{"action": "nodestatus"}]},
        auth=auth,
        headers=api_headers() if headers is None else headers,
        verify=str(sim.ca_file),
        timeout=30,
    )
    assert response.status_code == 401
    assert response.json() == {"error": "authentication failed"}
    assert "wrong" not in response.text
    assert nodestatus(sim)["counters"]["api_requests"] == 1  # only this nodestatus call counted


def test_underscore_api_key_header_is_accepted(sim: SimulatorProcess) -> None:
    header = {"X_LB_APIKEY": base64.b64encode(TEST_API_KEY.encode()).decode()}
    response = sim.post({"lbcli": [{"action": "nodestatus"}]}, headers=header)
    assert response.status_code == 200


def test_tls_is_verified_with_the_generated_ca(sim: SimulatorProcess) -> None:
    assert sim.ca_file.read_text().startswith("-----BEGIN CERTIFICATE-----")
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(sim.endpoint, json={"lbcli": []}, timeout=30)


def test_malformed_body_is_400(sim: SimulatorProcess) -> None:
    assert sim.post({"not": "lbcli"}).status_code == 400
    response = requests.post(
        sim.endpoint,
        data=b"{not json",
        auth=(TEST_USERNAME, TEST_PASSWORD),
        headers={**api_headers(), "Content-Type": "application/json"},
        verify=str(sim.ca_file),
        timeout=30,
    )
    assert response.status_code == 400


def test_unknown_action_fails_naming_it(sim: SimulatorProcess) -> None:
    result = one(sim, {"action": "make-coffee"})
    assert result["status"] == "failed"
    assert "make-coffee" in result["message"]


def test_vip_lifecycle_statuses(sim: SimulatorProcess, subnet: str) -> None:
    ip = f"{subnet}.10"
    assert one(sim, l7_vip("WEB", ip, 11080))["status"] == "success"
    assert one(sim, l4_vip("NAT", ip, 11081))["status"] == "success"
    assert one(sim, l7_vip("WEB", ip, 11090))["status"] == "exists"
    assert one(sim, l4_vip("WEB", ip, 11091))["status"] == "exists"
    assert one(sim, {"action": "edit-vip", "vip": "NOPE", "persist_time": "5"})["status"] == "missing"
    assert one(sim, {"action": "delete-vip", "vip": "NOPE"})["status"] == "missing"
    edit = one(sim, {"action": "edit-vip", "vip": "WEB", "persistence": "none", "timeout_client": "900000"})
    assert edit["status"] == "success"
    assert (
        one(sim, {"action": "edit-vip", "vip": "NAT", "persistent": "off", "persist_time": "60"})["status"]
        == "success"
    )
    virtual = data(sim, {"action": "list", "function": "virtual", "layer": "7", "vip": "WEB"})["virtual"][0]
    assert virtual["persistence"] == "none"
    assert virtual["timeout_client"] == "900000"
    nat = data(sim, {"action": "list", "function": "virtual", "layer": "4", "vip": "NAT"})["virtual"][0]
    assert (nat["persistent"], nat["persist_time"], nat["forwardingmethod"]) == ("off", "60", "masq")
    assert one(sim, {"action": "delete-vip", "vip": "NAT"})["status"] == "success"
    assert data(sim, {"action": "list", "function": "virtual", "layer": "4"}) == {"virtual": []}


def test_edit_vip_rejects_fields_of_the_other_layer(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok([l7_vip("WEB", f"{subnet}.10", 11080), l4_vip("NAT", f"{subnet}.10", 11081)])
    result = one(sim, {"action": "edit-vip", "vip": "WEB", "persistent": "on"})
    assert result["status"] == "failed"
    assert "persistent" in result["message"]
    result = one(sim, {"action": "edit-vip", "vip": "NAT", "persistence": "ip"})
    assert result["status"] == "failed"
    assert "persistence" in result["message"]


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"ip": "10.0.0.300"}, "ip", "10.0.0.300"),
        ({"ports": "70000"}, "ports", "70000"),
        ({"ports": "http"}, "ports", "http"),
        ({"mode": "udp"}, "mode", "udp"),
        ({"layer": "5"}, "layer", "5"),
        ({"vip": "-starts-with-a-dash"}, "vip", "-starts-with-a-dash"),
        ({"vip": "has/slash"}, "vip", "has/slash"),
    ],
)
def test_add_vip_layer7_bad_values_fail_naming_the_field(
    sim: SimulatorProcess, subnet: str, change: dict[str, str], field: str, value: str
) -> None:
    action = {**l7_vip("WEB", f"{subnet}.10", 11080), **change}
    result = one(sim, action)
    assert result["status"] == "failed"
    assert f"'{field}'" in result["message"]
    assert value in result["message"]


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"forwarding": "nat"}, "forwarding", "nat"),
        ({"protocol": "sctp"}, "protocol", "sctp"),
        ({"scheduler": "rr"}, "scheduler", "rr"),
        ({"persistent": "yes"}, "persistent", "yes"),
        ({"persist_time": "-1"}, "persist_time", "-1"),
    ],
)
def test_add_vip_layer4_bad_values_fail_naming_the_field(
    sim: SimulatorProcess, subnet: str, change: dict[str, str], field: str, value: str
) -> None:
    result = one(sim, {**l4_vip("NAT", f"{subnet}.10", 11080), **change})
    assert result["status"] == "failed"
    assert f"'{field}'" in result["message"]
    assert value in result["message"]


@pytest.mark.parametrize(
    ("field", "value"),
    [("scheduler", "wrr"), ("persistence", "cookie"), ("check_type", "ping"), ("timeout_client", "soon")],
)
def test_edit_vip_layer7_bad_values_fail_naming_the_field(
    sim: SimulatorProcess, subnet: str, field: str, value: str
) -> None:
    sim.call_ok([l7_vip("WEB", f"{subnet}.10", 11080)])
    result = one(sim, {"action": "edit-vip", "vip": "WEB", field: value})
    assert result["status"] == "failed"
    assert f"'{field}'" in result["message"] and value in result["message"]


def test_vip_address_clash_fails(sim: SimulatorProcess, subnet: str) -> None:
    ip = f"{subnet}.10"
    sim.call_ok([l7_vip("A", ip, "11080,11443"), l7_vip("B", ip, 11081)])
    clash = one(sim, l4_vip("C", ip, 11443))
    assert clash["status"] == "failed"
    assert f"{ip}:11443" in clash["message"] and "'A'" in clash["message"]
    moved = one(sim, {"action": "edit-vip", "vip": "B", "ports": "11080"})
    assert moved["status"] == "failed"
    assert one(sim, l7_vip("D", f"{subnet}.11", 11080))["status"] == "success"


def test_rip_lifecycle_statuses(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok([l7_vip("WEB", f"{subnet}.10", 11080), l4_vip("NAT", f"{subnet}.10", 11081)])
    assert one(sim, rip("NOPE", "R1", f"{subnet}.21", 11080))["status"] == "missing"
    assert one(sim, rip("WEB", "R1", f"{subnet}.21", 11080))["status"] == "success"
    assert one(sim, rip("WEB", "R1", f"{subnet}.22", 11080))["status"] == "exists"
    assert one(sim, rip("WEB", "R2", f"{subnet}.21", 11080))["status"] == "failed"  # same ip:port
    # Layer 7 without a port: the VIP's port (the vendor's own HA example adds real servers so).
    assert one(sim, rip("WEB", "R3", f"{subnet}.23"))["status"] == "success"
    assert one(sim, {"action": "delete-rip", "vip": "WEB", "rip": "R3"})["status"] == "success"
    assert one(sim, rip("NAT", "R1", f"{subnet}.21"))["status"] == "success"  # layer 4: port optional
    bad_weight = one(sim, rip("WEB", "R4", f"{subnet}.24", 11080, weight="300"))
    assert bad_weight["status"] == "failed" and "'weight'" in bad_weight["message"]
    bad_ip = one(sim, rip("WEB", "R4", "not-an-ip", 11080))
    assert bad_ip["status"] == "failed" and "'ip'" in bad_ip["message"]
    assert one(sim, {"action": "edit-rip", "vip": "WEB", "rip": "NOPE", "weight": "5"})["status"] == "missing"
    assert one(sim, {"action": "edit-rip", "vip": "WEB", "rip": "R1", "weight": "5"})["status"] == "success"
    real = data(sim, {"action": "list", "function": "virtual", "layer": "7", "vip": "WEB"})["virtual"][0][
        "real"
    ]
    assert real == {
        "label": "R1",
        "server": f"{subnet}.21",
        "port": "11080",
        "weight": "5",
        "minconns": "0",
        "maxconns": "0",
        "encrypted": "off",
    }
    for action in ("drain", "halt", "online"):
        assert one(sim, {"action": action, "vip": "WEB", "rip": "R1"})["status"] == "success"
        assert one(sim, {"action": action, "vip": "WEB", "rip": "R9"})["status"] == "missing"
        # nodestatus reports the state last set (the project's choice: docs/appliance-api.md)
        reported = {
            (r["vip"], r["rip"]): r["state"] for r in data(sim, {"action": "nodestatus"})["real_servers"]
        }
        assert reported[("WEB", "R1")] == action
    assert one(sim, {"action": "delete-rip", "vip": "WEB", "rip": "R1"})["status"] == "success"
    assert one(sim, {"action": "delete-rip", "vip": "WEB", "rip": "R1"})["status"] == "missing"


def test_several_reals_list_as_an_array(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok(
        [
            l7_vip("WEB", f"{subnet}.10", 11080),
            rip("WEB", "R1", f"{subnet}.21", 11080),
            rip("WEB", "R2", f"{subnet}.22", 11080),
        ]
    )
    virtual = data(sim, {"action": "list", "function": "virtual", "layer": "7"})["virtual"][0]
    assert [r["label"] for r in virtual["real"]] == ["R1", "R2"]


def test_floating_ips(sim: SimulatorProcess, subnet: str) -> None:
    ip = f"{subnet}.50"
    assert one(sim, {"action": "add-floating-ip", "ip": ip})["status"] == "success"
    assert one(sim, {"action": "add-floating-ip", "ip": ip})["status"] == "exists"
    assert one(sim, {"action": "add-floating-ip", "ip": "300.1.1.1"})["status"] == "failed"
    assert data(sim, {"action": "list", "function": "floatingip"}) == {"floatingip": [ip]}
    assert one(sim, {"action": "delete-floating-ip", "ip": ip})["status"] == "success"
    assert one(sim, {"action": "delete-floating-ip", "ip": ip})["status"] == "missing"
    assert data(sim, {"action": "list", "function": "floatingip"}) == {"floatingip": []}


def test_list_advanced_defaults(sim: SimulatorProcess) -> None:
    l7 = data(sim, {"action": "list", "function": "advanced", "layer": "7"})
    assert l7["layer"] == "7"
    assert (l7["global"]["interval"], l7["global"]["rise"], l7["global"]["fall"]) == ("4000", "2", "3")
    l4 = data(sim, {"action": "list", "function": "advanced", "layer": 4})
    assert l4["layer"] == "4"
    assert (l4["global"]["checkinterval"], l4["global"]["checktimeout"], l4["global"]["failurecount"]) == (
        "10",
        "5",
        "1",
    )
    assert one(sim, {"action": "list", "function": "advanced", "layer": "3"})["status"] == "failed"
    assert one(sim, {"action": "list", "function": "everything"})["status"] == "failed"


def test_advanced_option_sets_globals(tmp_path: Path, subnet: str) -> None:
    advanced = {
        "l7.interval": "3000",
        "l4.checkinterval": "3",
        "l4.checktimeout": "3",
        "l4.failurecount": "2",
    }
    with running_simulator(tmp_path / "lb", f"{subnet}.1:10443", advanced=advanced) as sim:
        l7 = data(sim, {"action": "list", "function": "advanced", "layer": "7"})["global"]
        l4 = data(sim, {"action": "list", "function": "advanced", "layer": "4"})["global"]
    assert l7["interval"] == "3000"
    assert (l4["checkinterval"], l4["checktimeout"], l4["failurecount"]) == ("3", "3", "2")
    stored = ET.parse(tmp_path / "lb" / "lb_config.xml").getroot()
    assert stored.findtext("haproxy/global/interval") == "3000"


def test_pending_until_reload(sim: SimulatorProcess, subnet: str) -> None:
    assert nodestatus(sim)["pending"] == []
    sim.call_ok([l7_vip("WEB", f"{subnet}.10", 11080), l4_vip("NAT", f"{subnet}.10", 11081)])
    sim.call_ok([{"action": "add-floating-ip", "ip": f"{subnet}.50"}])
    assert nodestatus(sim)["pending"] == ["haproxy", "ldirectord", "heartbeat"]
    running = ET.parse(sim.state_dir / "running.xml").getroot()
    assert running.find("haproxy/virtual") is None
    sim.call_ok([{"action": "reload-haproxy"}])
    status = nodestatus(sim)
    assert status["pending"] == ["ldirectord", "heartbeat"]
    assert status["counters"]["reloads"] == {"haproxy": 1, "ldirectord": 0, "heartbeat": 0}
    running = ET.parse(sim.state_dir / "running.xml").getroot()
    assert running.findtext("haproxy/virtual/label") == "WEB"
    assert running.find("ldirectord/virtual") is None
    running_l4 = data(sim, {"action": "list", "function": "virtual", "layer": "4", "state": "running"})
    assert running_l4 == {"virtual": []}
    pending_l4 = data(sim, {"action": "list", "function": "virtual", "layer": "4"})
    assert [v["label"] for v in pending_l4["virtual"]] == ["NAT"]
    sim.call_ok([{"action": "reload-ldirectord"}, {"action": "reload-heartbeat"}])
    assert data(sim, {"action": "list", "function": "dumpconfig", "state": "running"}) == data(
        sim, {"action": "list", "function": "dumpconfig"}
    )
    status = nodestatus(sim)
    assert status["pending"] == []
    assert status["counters"]["reloads"] == {"haproxy": 1, "ldirectord": 1, "heartbeat": 1}
    assert status["floating_ips"]["addresses"] == [f"{subnet}.50"]


def test_restart_keeps_everything(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok(
        [
            l7_vip("WEB", f"{subnet}.10", 11080),
            rip("WEB", "R1", f"{subnet}.21", 11080),
            {"action": "reload-haproxy"},
            l4_vip("NAT", f"{subnet}.10", 11081),
            {"action": "add-floating-ip", "ip": f"{subnet}.50"},
            {"action": "hostname", "function": "set", "hostname": "lbprimary"},
        ]
    )
    before = data(sim, {"action": "list", "function": "dumpconfig"})
    pending_before = nodestatus(sim)["pending"]
    sim.stop()
    sim.start()
    assert data(sim, {"action": "list", "function": "dumpconfig"}) == before
    status = nodestatus(sim)
    assert status["pending"] == pending_before == ["ldirectord", "heartbeat"]
    assert status["hostname"] == "lbprimary"
    assert [vip["label"] for vip in status["vips"] if vip["bound"]] == ["WEB"]


def test_config_file_is_xml_shaped(sim: SimulatorProcess, subnet: str) -> None:
    sim.call_ok([l7_vip("WEB", f"{subnet}.10", 11080), l4_vip("NAT", f"{subnet}.10", 11081)])
    root = ET.parse(sim.state_dir / "lb_config.xml").getroot()
    assert root.tag == "config"
    assert root.findtext("haproxy/virtual/server") == f"{subnet}.10"
    assert root.findtext("ldirectord/virtual/forwardingmethod") == "masq"
    assert not list(sim.state_dir.glob(".lb_config.xml.*")), "temporary files left behind"


def test_hostname_address_route(sim: SimulatorProcess) -> None:
    assert one(sim, {"action": "hostname", "function": "set", "hostname": "bad_name"})["status"] == "failed"
    sim.call_ok([{"action": "hostname", "function": "set", "hostname": "lbx", "domain": "example.net"}])
    assert data(sim, {"action": "hostname", "function": "get"}) == {
        "hostname": "lbx",
        "domain": "example.net",
    }
    add = {"action": "address", "function": "add", "interface": "eth1", "address": "192.0.2.5", "cidr": "24"}
    assert one(sim, add)["status"] == "success"
    assert one(sim, add)["status"] == "exists"
    assert data(sim, {"action": "address", "function": "get", "interface": "eth1"}) == {
        "eth1": ["192.0.2.5/24"]
    }
    assert one(sim, {**add, "address": "192.0.2.5"} | {"cidr": ""})["status"] == "failed"
    assert one(sim, {**add, "function": "del", "address": "192.0.2.6/24"})["status"] == "missing"
    assert one(sim, {"action": "address", "function": "flush", "interface": "eth1"})["status"] == "success"
    route = {"action": "route", "function": "static", "type": "add", "network": "198.51.100.0/24"}
    assert one(sim, {**route, "gateway": "192.0.2.1"})["status"] == "success"
    assert one(sim, {**route, "gateway": "192.0.2.1"})["status"] == "exists"
    # The same network with host bits (as the vendor writes routes) is that route again: `exists`.
    assert one(sim, {**route, "network": "198.51.100.1/24", "gateway": "192.0.2.1"})["status"] == "exists"
    routes = data(sim, {"action": "route", "function": "static", "type": "get"})
    assert routes == {"routes": [{"network": "198.51.100.0/24", "gateway": "192.0.2.1"}]}
    gateway = {"action": "route", "function": "default", "type": "set", "gateway": "192.0.2.254"}
    sim.call_ok([gateway])
    assert data(sim, {"action": "route", "function": "default", "type": "get"}) == {
        "gateway": "192.0.2.254",
        "interface": "Auto",  # the help: without --interface, 'Auto' is used
    }
    assert nodestatus(sim)["pending"] == []  # per-node settings apply at once


def test_refuses_to_start_without_credentials(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LBORG_")}
    env["LBORG_USERNAME"] = "user"
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lborg_simulator",
            "serve",
            "--listen",
            "127.1.0.1:10999",
            "--state-dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "LBORG_PASSWORD" in result.stderr and "LBORG_API_KEY" in result.stderr


def test_ha_create_never_contacts_a_non_loopback_peer(sim: SimulatorProcess, subnet: str) -> None:
    result = one(
        sim,
        {
            "action": "ha_create",
            "local_ip": f"{subnet}.1",
            "peer_ip": "10.0.0.2",
            "peer_password": "pw-not-echoed",
        },
    )
    assert result["status"] == "failed"
    assert "'peer_ip'" in result["message"] and "10.0.0.2" in result["message"]
    assert "pw-not-echoed" not in result["message"]
    assert nodestatus(sim)["ha"] is False


def test_ha_create_with_missing_fields_fails_naming_them(sim: SimulatorProcess, subnet: str) -> None:
    result = one(sim, {"action": "ha_create", "local_ip": f"{subnet}.1", "peer_ip": f"{subnet}.2"})
    assert result["status"] == "failed" and "'peer_password'" in result["message"]
    result = one(
        sim, {"action": "ha_create", "local_ip": "nope", "peer_ip": f"{subnet}.2", "peer_password": "p"}
    )
    assert result["status"] == "failed" and "'local_ip'" in result["message"]


def test_refuses_a_non_loopback_listen_address(tmp_path: Path) -> None:
    env = {**os.environ, "LBORG_USERNAME": "u", "LBORG_PASSWORD": "p", "LBORG_API_KEY": "k"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lborg_simulator",
            "serve",
            "--listen",
            "0.0.0.0:10999",
            "--state-dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "loopback" in result.stderr


def test_concurrent_requests_are_serialized(sim: SimulatorProcess, subnet: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def add(index: int) -> str:
        return str(one(sim, l7_vip(f"V{index}", f"{subnet}.10", 11000 + index))["status"])

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(add, range(40)))
    assert statuses == ["success"] * 40
    labels = {
        v["label"] for v in data(sim, {"action": "list", "function": "virtual", "layer": "7"})["virtual"]
    }
    assert labels == {f"V{index}" for index in range(40)}
    root = ET.parse(sim.state_dir / "lb_config.xml").getroot()
    assert len(root.findall("haproxy/virtual")) == 40
    assert nodestatus(sim)["counters"]["api_requests"] == 42
