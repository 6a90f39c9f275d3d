"""add/edit/delete of virtual services (VIPs) and real servers (RIPs) on the configuration tree.

Each function validates every field before it touches the tree, so a failed action leaves the
configuration exactly as it was (the appliance's lbcli does the same per action).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from lborg_simulator import validation as v
from lborg_simulator.config import (
    LAYER_SECTION,
    Layer,
    all_virtuals,
    find_real,
    find_virtual,
    get_text,
    section,
    set_text,
)
from lborg_simulator.validation import ActionError, Fields, failed


@dataclass(frozen=True)
class FieldSpec:
    """One editable VIP field: its element path and how its value is checked."""

    element: str
    check: Callable[[str, str], str]


def _choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    return lambda value, field: v.choice(value, field, options)


def _number(low: int, high: int) -> Callable[[str, str], str]:
    return lambda value, field: str(v.integer(value, field, low, high))


def _ports(value: str, field: str) -> str:
    return v.ports(value, field)[0]


def _optional_port(value: str, field: str) -> str:
    return "" if value == "" else str(v.port(value, field))


L7_FIELDS: dict[str, FieldSpec] = {
    "ip": FieldSpec("server", v.ip_address),
    "ports": FieldSpec("ports", _ports),
    "mode": FieldSpec("mode", _choice(("http", "tcp"))),
    "scheduler": FieldSpec("scheduler", _choice(("roundrobin", "leastconn"))),
    "persistence": FieldSpec(
        "persistence", _choice(("none", "ip", "http_cookie", "appsession", "sslsesid", "rdp-cookie", "xff"))
    ),
    "persist_time": FieldSpec("persist_time", _number(0, 525600)),
    "persist_table_size": FieldSpec("persist_table_size", _number(1, 100_000_000)),
    "maxconn": FieldSpec("maxconn", _number(0, 10_000_000)),
    "check_type": FieldSpec(
        "check/type",
        _choice(
            (
                "negotiate_http",
                "negotiate_http_head",
                "negotiate_https",
                "negotiate_https_head",
                "connect",
                "external",
                "mysql",
                "none",
            )
        ),
    ),
    "check_port": FieldSpec("check/port", _optional_port),
    "timeout": FieldSpec("timeout", _choice(("on", "off"))),
    "timeout_client": FieldSpec("timeout_client", v.duration),
    "timeout_server": FieldSpec("timeout_server", v.duration),
}
L4_FIELDS: dict[str, FieldSpec] = {
    "ip": FieldSpec("server", v.ip_address),
    "ports": FieldSpec("ports", _ports),
    "protocol": FieldSpec("protocol", _choice(("tcp", "udp", "tcpudp", "ops", "fwm"))),
    "forwarding": FieldSpec("forwardingmethod", _choice(("gate", "masq", "ipip", "snat"))),
    "scheduler": FieldSpec("scheduler", _choice(("wlc", "wrr", "dh"))),
    "persistent": FieldSpec("persistent", _choice(("on", "off"))),
    "persist_time": FieldSpec("persist_time", _number(0, 31_536_000)),
    "check_type": FieldSpec(
        "check/type", _choice(("negotiate", "connect", "ping", "external", "off", "on", "5", "10"))
    ),
    "check_port": FieldSpec("check/port", _optional_port),
}
LAYER_FIELDS: dict[Layer, dict[str, FieldSpec]] = {"7": L7_FIELDS, "4": L4_FIELDS}

#: Element order and defaults of a new virtual service (lbcli defaults, see docs/appliance-api.md).
L7_DEFAULTS: dict[str, str] = {
    "label": "",
    "server": "",
    "ports": "",
    "mode": "tcp",
    "scheduler": "roundrobin",
    "persistence": "ip",
    "persist_time": "30",
    "persist_table_size": "10240",
    "maxconn": "40000",
    "check/type": "connect",
    "check/port": "",
    "timeout": "on",
    "timeout_client": "12h",
    "timeout_server": "12h",
}
L4_DEFAULTS: dict[str, str] = {
    "label": "",
    "server": "",
    "ports": "",
    "protocol": "tcp",
    "forwardingmethod": "masq",
    "scheduler": "wlc",
    "persistent": "on",
    "persist_time": "300",
    "check/type": "connect",
    "check/port": "",
}
ADD_REQUIRED: dict[Layer, tuple[str, ...]] = {
    "7": ("ip", "ports", "mode"),
    "4": ("ip", "ports", "forwarding", "protocol"),
}
RIP_FIELDS = ("vip", "rip", "ip", "port", "weight", "minconns", "maxconns")


def parse_layer(fields: Fields) -> Layer:
    value = v.required(fields, "layer")
    if value == "7":
        return "7"
    if value == "4":
        return "4"
    raise failed(f"field 'layer': '{value}' is not 4 or 7")


def _endpoint_set(ip: str, ports_text: str) -> set[tuple[str, int]]:
    return {(ip, number) for number in v.ports(ports_text, "ports")[1]}


def _check_address_free(root: ET.Element, label: str, ip: str, ports_text: str) -> None:
    wanted = _endpoint_set(ip, ports_text)
    for _layer, other in all_virtuals(root):
        other_label = get_text(other, "label")
        if other_label == label:
            continue
        clash = wanted & _endpoint_set(get_text(other, "server"), get_text(other, "ports"))
        if clash:
            clash_ip, clash_port = sorted(clash)[0]
            raise failed(
                f"fields 'ip'/'ports': {clash_ip}:{clash_port} is already used by VIP '{other_label}'"
            )


def _validated_values(layer: Layer, fields: Fields, action: str) -> dict[str, str]:
    """Map API fields to element paths, checking each value; fields of the other layer fail."""
    specs = LAYER_FIELDS[layer]
    other = LAYER_FIELDS["4" if layer == "7" else "7"]
    values: dict[str, str] = {}
    for name, raw in fields.items():
        if name in ("action", "vip", "layer"):
            continue
        spec = specs.get(name)
        if spec is None:
            if name in other:
                raise failed(f"{action}: field '{name}' does not apply to a layer {layer} VIP")
            raise failed(f"{action}: unknown field '{name}'; accepted: vip, layer, {', '.join(specs)}")
        values[spec.element] = spec.check(raw, name)
    return values


def add_vip(root: ET.Element, fields: Fields) -> str:
    layer = parse_layer(fields)
    label = v.label(v.required(fields, "vip"), "vip")
    for name in ADD_REQUIRED[layer]:
        v.required(fields, name)
    values = _validated_values(layer, fields, "add-vip")
    found = find_virtual(root, label)
    if found is not None:
        raise ActionError("exists", f"VIP '{label}' already exists (layer {found[0]})")
    _check_address_free(root, label, values["server"], values["ports"])
    defaults = L7_DEFAULTS if layer == "7" else L4_DEFAULTS
    virtual = ET.SubElement(section(root, LAYER_SECTION[layer]), "virtual")
    for path, default in defaults.items():
        set_text(virtual, path, values.get(path, default))
    set_text(virtual, "label", label)
    return f"layer {layer} VIP '{label}' added at {values['server']}:{values['ports']}"


def _existing_virtual(root: ET.Element, fields: Fields) -> tuple[Layer, ET.Element, str]:
    label = v.required(fields, "vip")
    found = find_virtual(root, label)
    if found is None:
        raise ActionError("missing", f"VIP '{label}' does not exist")
    return found[0], found[1], label


def edit_vip(root: ET.Element, fields: Fields) -> str:
    layer, virtual, label = _existing_virtual(root, fields)
    if "layer" in fields and fields["layer"] != layer:
        raise failed(f"field 'layer': VIP '{label}' is layer {layer}, not '{fields['layer']}'")
    values = _validated_values(layer, fields, "edit-vip")
    if not values:
        raise failed(f"edit-vip: no field to change for VIP '{label}'")
    new_ip = values.get("server", get_text(virtual, "server"))
    new_ports = values.get("ports", get_text(virtual, "ports"))
    _check_address_free(root, label, new_ip, new_ports)
    for path, value in values.items():
        set_text(virtual, path, value)
    return f"VIP '{label}' updated: {', '.join(sorted(values))}"


def delete_vip(root: ET.Element, fields: Fields) -> str:
    v.reject_unknown(fields, ("vip", "layer"), "delete-vip")
    layer, virtual, label = _existing_virtual(root, fields)
    section(root, LAYER_SECTION[layer]).remove(virtual)
    return f"VIP '{label}' and its real servers deleted"


def _rip_values(layer: Layer, fields: Fields, adding: bool) -> dict[str, str]:
    values: dict[str, str] = {}
    if "ip" in fields or adding:
        values["server"] = v.ip_address(v.required(fields, "ip"), "ip")
    if "port" in fields and fields["port"] != "":
        values["port"] = str(v.port(fields["port"], "port"))
    elif adding and layer == "7":
        v.required(fields, "port")
    if "weight" in fields:
        values["weight"] = str(v.integer(fields["weight"], "weight", 0, 256))
    if "minconns" in fields:
        values["minconns"] = str(v.integer(fields["minconns"], "minconns", 0, 1_000_000))
    if "maxconns" in fields:
        values["maxconns"] = str(v.integer(fields["maxconns"], "maxconns", 0, 1_000_000))
    return values


def _check_rip_address_free(virtual: ET.Element, rip_label: str, server: str, port_text: str) -> None:
    for real in virtual.findall("real"):
        if get_text(real, "label") == rip_label:
            continue
        if get_text(real, "server") == server and get_text(real, "port") == port_text:
            where = f"{server}:{port_text}" if port_text else server
            raise failed(f"fields 'ip'/'port': {where} is already real server '{get_text(real, 'label')}'")


def add_rip(root: ET.Element, fields: Fields) -> str:
    v.reject_unknown(fields, RIP_FIELDS, "add-rip")
    rip_label = v.label(v.required(fields, "rip"), "rip")
    layer, virtual, vip_label = _existing_virtual(root, fields)
    values = _rip_values(layer, fields, adding=True)
    if find_real(virtual, rip_label) is not None:
        raise ActionError("exists", f"real server '{rip_label}' already exists in VIP '{vip_label}'")
    _check_rip_address_free(virtual, rip_label, values["server"], values.get("port", ""))
    real = ET.SubElement(virtual, "real")
    defaults = {
        "label": rip_label,
        "server": "",
        "port": "",
        "weight": "100",
        "minconns": "0",
        "maxconns": "0",
    }
    if layer == "7":
        defaults["encrypted"] = "off"
    for path, default in defaults.items():
        set_text(real, path, values.get(path, default))
    return f"real server '{rip_label}' added to VIP '{vip_label}'"


def _existing_real(root: ET.Element, fields: Fields) -> tuple[Layer, ET.Element, ET.Element, str]:
    rip_label = v.required(fields, "rip")
    layer, virtual, vip_label = _existing_virtual(root, fields)
    real = find_real(virtual, rip_label)
    if real is None:
        raise ActionError("missing", f"real server '{rip_label}' does not exist in VIP '{vip_label}'")
    return layer, virtual, real, rip_label


def edit_rip(root: ET.Element, fields: Fields) -> str:
    v.reject_unknown(fields, RIP_FIELDS, "edit-rip")
    layer, virtual, real, rip_label = _existing_real(root, fields)
    values = _rip_values(layer, fields, adding=False)
    if not values:
        raise failed(f"edit-rip: no field to change for real server '{rip_label}'")
    _check_rip_address_free(
        virtual,
        rip_label,
        values.get("server", get_text(real, "server")),
        values.get("port", get_text(real, "port")),
    )
    for path, value in values.items():
        set_text(real, path, value)
    return f"real server '{rip_label}' updated: {', '.join(sorted(values))}"


def delete_rip(root: ET.Element, fields: Fields) -> str:
    v.reject_unknown(fields, ("vip", "rip"), "delete-rip")
    _layer, virtual, real, rip_label = _existing_real(root, fields)
    virtual.remove(real)
    return f"real server '{rip_label}' deleted from VIP '{get_text(virtual, 'label')}'"


def locate_real(root: ET.Element, fields: Fields, action: str) -> tuple[Layer, str, str]:
    """For drain/halt/online: the layer, VIP label and RIP label, or `missing`."""
    v.reject_unknown(fields, ("vip", "rip"), action)
    layer, virtual, _real, rip_label = _existing_real(root, fields)
    return layer, get_text(virtual, "label"), rip_label
