"""Pure parts of the simulator: XML-to-JSON, validation messages, the HAProxy rendering."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from lborg_simulator import validation as v
from lborg_simulator.config import dump, new_config, set_text, to_json
from lborg_simulator.dataplane import CONNECTION_EFFECTS
from lborg_simulator.haproxy_render import NON_LOOPBACK, PASSIVE, haproxy_name, render
from lborg_simulator.vip_actions import add_rip, add_vip, edit_vip
from tests.support.paths import REPO_ROOT


def test_to_json_one_child_object_several_array_empty_list() -> None:
    root = ET.fromstring("<a><one><x>1</x></one><many>1</many><many>2</many><many>3</many><empty/></a>")
    assert to_json(root) == {"one": {"x": "1"}, "many": ["1", "2", "3"], "empty": []}


def test_new_config_has_the_documented_sections() -> None:
    data = dump(new_config("lb9"))
    assert set(data) == {"physical", "heartbeat", "ldirectord", "haproxy"}
    assert data["physical"]["network"]["hostname"] == "lb9"  # type: ignore[index,call-overload]


def test_validators_accept() -> None:
    assert v.ports("80,443,8000-8002", "ports") == (
        "80,443,8000-8002",
        frozenset({80, 443, 8000, 8001, 8002}),
    )
    assert v.ip_with_prefix("10.0.0.5", "24", "address") == "10.0.0.5/24"
    assert v.ip_with_prefix("10.0.0.5/24", "", "address") == "10.0.0.5/24"
    assert v.duration("12h", "timeout_client") == "12h"
    assert v.normalize_fields({"layer": 7, "port": 80.0}) == {"layer": "7", "port": "80"}
    # The help's forms: ':' separates ports, ranges and single ports mix.
    assert v.ports("80:90-92:3443", "ports") == ("80:90-92:3443", frozenset({80, 90, 91, 92, 3443}))
    assert v.port_groups("80:443,8000-8010") == ["80", "443", "8000-8010"]
    assert v.normalize_fields({"enabled": True, "add_member": ["a", "b"]}) == {
        "enabled": "on",
        "add_member": "a,b",
    }
    assert v.label("Web Servers 1", "vip") == "Web Servers 1"
    assert v.netmask("255.255.255.0", "granularity") == "255.255.255.0"


@pytest.mark.parametrize(
    ("call", "fragment"),
    [
        (lambda: v.ports("9000-8000", "ports"), "'ports': range '9000-8000'"),
        (lambda: v.port("0", "check_port"), "'check_port': '0'"),
        (lambda: v.network("10.0.0.1/24", "network"), "'network': '10.0.0.1/24'"),
        (lambda: v.normalize_fields({"weight": [100]}), "'weight'"),
        (lambda: v.normalize_fields({"weight": 1.5}), "'weight'"),
    ],
)
def test_validators_name_field_and_value(call: Callable[[], object], fragment: str) -> None:
    with pytest.raises(v.ActionError) as caught:
        call()
    assert caught.value.status == "failed"
    assert fragment in caught.value.message


def _config_with_vips() -> ET.Element:
    root = new_config("lb1")
    add_vip(root, {"layer": "7", "vip": "MGMT", "ip": "127.1.0.10", "ports": "80,443", "mode": "tcp"})
    edit_vip(root, {"vip": "MGMT", "persist_time": "35", "check_port": "8080", "timeout_client": "900000"})
    add_rip(root, {"vip": "MGMT", "rip": "EAS_SSS-1", "ip": "127.1.0.21", "port": "80", "weight": "50"})
    add_vip(
        root,
        {
            "layer": "4",
            "vip": "SERV",
            "ip": "127.1.0.11",
            "ports": "443",
            "forwarding": "masq",
            "protocol": "tcp",
        },
    )
    edit_vip(root, {"vip": "SERV", "scheduler": "wrr", "persist_time": "2100"})
    add_rip(root, {"vip": "SERV", "rip": "EAS_SSS-1", "ip": "127.1.0.21"})
    add_vip(root, {"layer": "7", "vip": "FAR", "ip": "10.225.37.227", "ports": "80", "mode": "tcp"})
    return root


def test_render_layer7_and_layer4_as_documented() -> None:
    layer7 = render(_config_with_vips(), {}, active=True, stats_socket="unix@stats.sock", layer="7")
    text = layer7.text
    assert (
        "listen MGMT\n    bind 127.1.0.10:80,127.1.0.10:443\n    mode tcp\n    balance roundrobin\n" in text
    )
    assert "    timeout client 900000ms\n" in text
    assert "    stick-table type ip size 10240 expire 35m\n    stick on src\n" in text
    assert "    default-server inter 4000ms rise 2 fall 3\n" in text
    assert "    server EAS_SSS-1 127.1.0.21:80 weight 50 check port 8080\n" in text
    assert "FAR" not in text and "10.225" not in text and "SERV" not in text
    # No hard-stop-after: an old process keeps its established connections until they end.
    assert "hard-stop-after" not in text
    assert {s.label: s.reason for s in layer7.vips} == {"MGMT": "", "FAR": NON_LOOPBACK}
    layer4 = render(_config_with_vips(), {}, active=True, stats_socket="unix@stats.sock", layer="4")
    text = layer4.text
    assert (
        "listen SERV\n    bind 127.1.0.11:443\n    mode tcp\n    balance roundrobin\n    timeout check 5s\n"
        in text
    )
    assert "    stick-table type ip size 1m expire 2100s\n" in text
    # ldirectord's default quiescent (yes): a failed real server keeps its connections.
    assert "    default-server inter 10s fall 1 rise 2\n" in text
    assert "    server EAS_SSS-1 127.1.0.21 weight 100 check port 443\n" in text
    # IPVS's own idle time-out for an established TCP entry, not the Layer 7 globals.
    assert "    timeout client 900s\n" in text and "43200000" not in text
    assert "MGMT" not in text and "hard-stop-after" not in text
    assert {s.label: s.reason for s in layer4.vips} == {"SERV": ""}


def test_render_layer4_quiescent_no_ends_a_failed_servers_connections() -> None:
    root = _config_with_vips()
    set_text(root, "ldirectord/global/quiescent", "no")
    text = render(root, {}, active=True, stats_socket="unix@stats.sock", layer="4").text
    assert "    default-server inter 10s fall 1 rise 2 on-marked-down shutdown-sessions\n" in text
    assert "shutdown-sessions" not in render(root, {}, True, "unix@stats.sock", "7").text


def test_render_passive_binds_nothing_and_opstate_applies() -> None:
    root = _config_with_vips()
    for layer in ("7", "4"):
        passive = render(root, {}, active=False, stats_socket="unix@stats.sock", layer=layer)
        assert "listen " not in passive.text
        assert {s.reason for s in passive.vips} <= {PASSIVE, NON_LOOPBACK}
    opstate = {"MGMT": {"EAS_SSS-1": "halt"}, "SERV": {"EAS_SSS-1": "drain"}}
    halted = render(root, opstate, True, "unix@s.sock", "7")
    assert "server EAS_SSS-1 127.1.0.21:80 weight 50 check port 8080 disabled" in halted.text
    drained = render(root, opstate, True, "unix@s.sock", "4")
    assert "server EAS_SSS-1 127.1.0.21 weight 0 check port 443" in drained.text


def test_haproxy_names_keep_valid_labels_and_never_collide() -> None:
    assert haproxy_name("EAS_Mgmt-443") == "EAS_Mgmt-443"
    spaced = haproxy_name("Web Servers")
    assert " " not in spaced and spaced.startswith("Web_Servers-")
    assert spaced != haproxy_name("Web_Servers") and spaced != haproxy_name("Web:Servers")


def test_published_connection_effects_are_what_the_simulator_emulates() -> None:
    published = json.loads((REPO_ROOT / "docs" / "established-connections.json").read_text())
    assert published["effects"] == CONNECTION_EFFECTS
    used = {effect for layers in CONNECTION_EFFECTS.values() for effect in layers.values()}
    assert used == set(published["values"])
