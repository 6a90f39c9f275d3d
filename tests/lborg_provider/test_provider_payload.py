"""Reads accept every response layout the vendor's sources allow and refuse everything else; values
compare by meaning (ports as sets, numbers as numbers or text, on/off words, documented aliases)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lborg_provider.client.payload import (
    ShapeError,
    advanced_from_result,
    canonical_config,
    config_from_result,
    nodestatus_from_result,
)
from lborg_provider.client.redact import excerpt
from lborg_provider.model.config_view import find_real, find_virtual, floating_ips, virtuals
from lborg_provider.model.fields import UnreadableValue
from lborg_provider.model.normalize import known_flag, port_set
from lborg_provider.model.tables import LAYER4_VIP, LAYER7_VIP
from lborg_simulator.layouts import LAYOUTS, reshape

VIRTUAL_L7 = {
    "label": "MGMT_HTTPS-443",
    "server": "10.9.8.7",
    "ports": "443",
    "mode": "tcp",
    "check": {"type": "connect", "port": "443"},
    "real": [
        {"label": "EAS_SSS-1", "server": "10.9.8.21", "port": "443", "weight": "100"},
        {"label": "EAS_SSS-2", "server": "10.9.8.22", "port": "443", "weight": "100"},
    ],
}
VIRTUAL_L4 = {
    "label": "SERV_SIP-5060",
    "server": "10.9.8.8",
    "ports": "5060",
    "persistent": "on",
    "check": {"type": "connect", "port": []},
    "real": {"label": "EAS_SSS-1", "server": "10.9.8.21", "port": [], "weight": "100"},
}
CONFIG: dict[str, Any] = {
    "physical": {"network": {"hostname": "lb1", "role": "master"}, "interface": [], "routing": []},
    "heartbeat": {"udpport": "6694", "vip": "10.9.8.100"},
    "ldirectord": {"global": {"checkinterval": "3"}, "virtual": VIRTUAL_L4},
    "haproxy": {"global": {"interval": "3000"}, "virtual": [VIRTUAL_L7]},
}
DUMPCONFIG = {"action": "list", "function": "dumpconfig"}


def _sim_result(payload: Any) -> dict[str, Any]:
    return {"action": "list", "status": "success", "message": "configuration", "data": payload}


@pytest.mark.parametrize("layout", [layout for layout in LAYOUTS if layout != "unknown"])
def test_every_documented_layout_reads_the_same_configuration(layout: str) -> None:
    item = reshape(layout, DUMPCONFIG, _sim_result(copy.deepcopy(CONFIG)))
    config = config_from_result(item, DUMPCONFIG)
    assert [v["label"] for v in virtuals(config, "7")] == ["MGMT_HTTPS-443"]
    assert [v["label"] for v in virtuals(config, "4")] == ["SERV_SIP-5060"]
    l4 = find_virtual(config, "4", "SERV_SIP-5060")
    assert l4 is not None and find_real(l4, "EAS_SSS-1") is not None
    assert floating_ips(config) == ["10.9.8.100"]
    # The same configuration reads the same whatever the layout (so digests agree too).
    assert config == config_from_result(_sim_result(copy.deepcopy(CONFIG)), DUMPCONFIG)


def test_the_unknown_layout_is_refused() -> None:
    item = reshape("unknown", DUMPCONFIG, _sim_result(copy.deepcopy(CONFIG)))
    with pytest.raises(ShapeError, match="several other fields"):
        config_from_result(item, DUMPCONFIG)


@pytest.mark.parametrize("empty", ["", [], {}, None])
def test_empty_elements_in_any_spelling(empty: Any) -> None:
    config = canonical_config(
        {"haproxy": {"virtual": empty}, "ldirectord": empty, "heartbeat": {"vip": empty}, "physical": empty}
    )
    assert virtuals(config, "7") == [] and virtuals(config, "4") == [] and floating_ips(config) == []


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ({}, "no configuration sections"),
        ([], "no configuration sections"),
        ("", "no configuration sections"),
        (None, "no configuration sections"),
        ("<config><haproxy/></config>", "no configuration sections"),
        ({"vips": [{"label": "A"}]}, "no configuration sections"),
        ({"haproxy": {"virtual": {"label": "A"}}, "heartbeat": "", "physical": ""}, "missing.*ldirectord"),
    ],
)
def test_payloads_that_are_not_a_whole_configuration_are_errors(payload: Any, why: str) -> None:
    with pytest.raises(ShapeError, match=why):
        config_from_result(_sim_result(payload), DUMPCONFIG)


@pytest.mark.parametrize(
    ("section", "value", "where"),
    [
        ("haproxy", "not an element", "^haproxy: expected an element"),
        ("haproxy", {"virtual": ["MGMT_HTTPS-443"]}, r"^haproxy/virtual\[0\]: expected an element"),
        ("haproxy", {"virtual": {"server": "10.9.8.7"}}, r"^haproxy/virtual\[0\]: a VIP without a label"),
        ("haproxy", {"virtual": {"label": ["A", "B"]}}, r"^haproxy/virtual\[0\]/label: expected a single"),
        ("ldirectord", {"virtual": {"label": "A", "real": [{"server": "10.9.8.21"}]}}, r"real\[0\]: a real"),
        ("heartbeat", {"vip": [{"ip": "10.9.8.100"}]}, r"^heartbeat/vip\[0\]: expected a single"),
        ("physical", [{"network": ""}, {"network": ""}], "^physical: expected an element"),
    ],
)
def test_elements_in_shapes_no_source_describes_are_errors(section: str, value: Any, where: str) -> None:
    payload = {name: "" for name in ("haproxy", "ldirectord", "heartbeat", "physical")}
    payload[section] = value
    with pytest.raises(ShapeError, match=where):
        config_from_result(_sim_result(payload), DUMPCONFIG)


def test_payload_under_another_single_key_or_inside_its_root_or_as_list_of_one() -> None:
    for item in (
        {"action": "list", "status": "success", "result": {"config": CONFIG}},
        {"action": "list", "status": "success", "function": "dumpconfig", "dumpconfig": [CONFIG]},
        {"action": "list", "status": "success", "data": {**CONFIG, "haproxy": [CONFIG["haproxy"]]}},
    ):
        assert [v["label"] for v in virtuals(config_from_result(item, DUMPCONFIG), "7")] == ["MGMT_HTTPS-443"]
    with pytest.raises(ShapeError, match="no payload"):
        config_from_result({"action": "list", "status": "success"}, DUMPCONFIG)


@pytest.mark.parametrize("layout", [layout for layout in LAYOUTS if layout != "unknown"])
def test_advanced_and_nodestatus_in_every_layout(layout: str) -> None:
    request = {"action": "list", "function": "advanced", "layer": "7"}
    item = reshape(layout, request, _sim_result({"layer": "7", "global": {"interval": "3000"}}))
    assert advanced_from_result(item, request)["interval"] == "3000"
    status = {"action": "nodestatus"}
    item = reshape(layout, status, _sim_result({"hostname": "lb1", "role": "master", "pending": []}))
    assert nodestatus_from_result(item, status)["role"] == "master"
    with pytest.raises(ShapeError):
        advanced_from_result(_sim_result([]), request)


def test_error_excerpts_are_short_and_redacted() -> None:
    shown = excerpt(
        {"data": {"check_password": "hunter2", "server": "10.9.8.7", "ip6": "fd00::7", "p": "80:81"}}
    )
    assert "hunter2" not in shown and "10.9.8.7" not in shown and "fd00::7" not in shown
    assert "80:81" in shown and "A.B.C.D" in shown
    assert len(excerpt({"x": "y" * 1000})) <= 240


def test_ports_compare_as_sets_in_every_spelling() -> None:
    assert port_set("80") == frozenset({80}) and port_set(80) == frozenset({80})
    assert port_set("80,443") == port_set("80:443") == port_set("443, 80") == frozenset({80, 443})
    assert port_set("8000-8010") == frozenset(range(8000, 8011))
    assert port_set("80:90-92,3443") == frozenset({80, 90, 91, 92, 3443})
    assert port_set("") == frozenset() and port_set("http") is None and port_set("90-80") is None
    ports = LAYER7_VIP.field("ports")
    assert ports.same("80,443", "80:443") and ports.same("8000-8002", "8000,8001,8002")
    assert not ports.same("80,443", "80")


def test_numbers_flags_and_documented_aliases_compare_by_meaning() -> None:
    assert LAYER7_VIP.field("persist_time").same(30, "30")
    assert LAYER7_VIP.field("maxconn").same("40000", 40000.0)
    for word in ("on", "1", "yes", "YES", "true"):
        assert known_flag(word) is True and LAYER4_VIP.field("persistent").same(word, True)
    for off in ("off", "0", "no", "", None):
        assert known_flag(off) is False
    assert known_flag("maybe") is None
    assert LAYER7_VIP.field("mode").same("tcp", "other_tcp")
    assert LAYER7_VIP.field("persistence").same("http_cookie", "http")
    assert not LAYER7_VIP.field("persistence").same("ip", "http_ip")


def test_layer4_checks_read_from_check_or_service_check() -> None:
    check_type, check_port = LAYER4_VIP.field("check_type"), LAYER4_VIP.field("check_port")
    assert check_type.from_appliance({"check": {"type": "negotiate", "port": "80"}}) == "negotiate"
    service = {"service": {"check": {"type": "ping", "port": "5060"}}}
    assert check_type.from_appliance(service) == "ping" and check_port.from_appliance(service) == 5060


@pytest.mark.parametrize(
    ("attr", "element"),
    [
        ("persist_time", {"persist_time": "five"}),
        ("persistent", {"persistent": "sometimes"}),
        ("ports", {"ports": "http"}),
        ("scheduler", {"scheduler": ["wlc", "wrr"]}),
    ],
)
def test_values_the_provider_cannot_read_are_errors(attr: str, element: dict[str, Any]) -> None:
    with pytest.raises(UnreadableValue, match=attr.split("_")[0]):
        LAYER4_VIP.field(attr).checked_from_appliance(element)
