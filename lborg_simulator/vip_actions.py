"""add/edit/delete of virtual services (VIPs) and real servers (RIPs) on the configuration tree.

Each function validates every field before it touches the tree, so a failed action leaves the
configuration exactly as it was (the appliance's lbcli does the same per action).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET

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
from lborg_simulator.vip_fields import L4_ADD_ONLY, L4_FIELDS, L7_ADD_ONLY, L7_FIELDS, FieldSpec

LAYER_FIELDS: dict[Layer, dict[str, FieldSpec]] = {"7": L7_FIELDS, "4": L4_FIELDS}
ADD_ONLY_FIELDS: dict[Layer, dict[str, FieldSpec]] = {"7": L7_ADD_ONLY, "4": L4_ADD_ONLY}

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
RIP_FIELDS = ("vip", "rip", "ip", "port", "weight", "minconns", "maxconns", "encrypted")


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


def _validated_values(
    layer: Layer, fields: Fields, action: str, skip: tuple[str, ...] = ()
) -> dict[str, str]:
    """Map API fields to element paths, checking each value; fields of the other layer fail.

    An empty value clears a field whose value may be empty (text, addresses, optional ports).
    """
    specs: dict[str, FieldSpec] = dict(LAYER_FIELDS[layer])
    if action == "add-vip":
        specs.update(ADD_ONLY_FIELDS[layer])
    other_layer: Layer = "4" if layer == "7" else "7"
    other = {**LAYER_FIELDS[other_layer], **ADD_ONLY_FIELDS[other_layer]}
    values: dict[str, str] = {}
    for name, raw in fields.items():
        if name in ("action", "vip", "layer", *skip):
            continue
        spec = specs.get(name)
        if spec is None:
            if name in other or name in ADD_ONLY_FIELDS[layer]:
                where = "add-vip" if name in ADD_ONLY_FIELDS[layer] else f"a layer {layer} VIP"
                raise failed(f"{action}: field '{name}' applies only to {where}")
            raise failed(f"{action}: unknown field '{name}'; accepted: vip, layer, {', '.join(specs)}")
        values[spec.element] = "" if raw == "" and spec.clearable else spec.check(raw, name)
    return values


def _check_fallback_persist(virtual: ET.Element, label: str) -> None:
    """The help: `--persistence fallback_persist` fails without `--fallback_ip` and `--fallback_port`."""
    if get_text(virtual, "persistence") != "fallback_persist":
        return
    if not get_text(virtual, "fallback/ip") or not get_text(virtual, "fallback/port"):
        raise failed(
            f"field 'persistence': fallback_persist needs fallback_ip and fallback_port (VIP '{label}')"
        )


def _apply_values(virtual: ET.Element, values: dict[str, str], label: str) -> None:
    """Set `values` on `virtual`, or change nothing when the result would be invalid."""
    trial = copy.deepcopy(virtual)
    for path, value in values.items():
        set_text(trial, path, value)
    _check_fallback_persist(trial, label)
    for path, value in values.items():
        set_text(virtual, path, value)


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
    virtual = ET.Element("virtual")
    for path, default in defaults.items():
        set_text(virtual, path, default)
    set_text(virtual, "label", label)
    _apply_values(virtual, values, label)
    section(root, LAYER_SECTION[layer]).append(virtual)
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
    _apply_values(virtual, values, label)
    return f"VIP '{label}' updated: {', '.join(sorted(values))}"


def clone_vip(root: ET.Element, fields: Fields) -> str:
    """A copy of a VIP and its real servers under a new label, with any edit-vip field changed."""
    layer, source, label = _existing_virtual(root, fields)
    clone = v.label(v.required(fields, "clone"), "clone")
    values = _validated_values(layer, fields, "clone-vip", skip=("clone",))
    if find_virtual(root, clone) is not None:
        raise ActionError("exists", f"VIP '{clone}' already exists")
    new_ip = values.get("server", get_text(source, "server"))
    new_ports = values.get("ports", get_text(source, "ports"))
    _check_address_free(root, clone, new_ip, new_ports)
    virtual = copy.deepcopy(source)
    set_text(virtual, "label", clone)
    _apply_values(virtual, values, clone)
    section(root, LAYER_SECTION[layer]).append(virtual)
    return f"VIP '{label}' cloned as '{clone}' at {new_ip}:{new_ports}"


def delete_vip(root: ET.Element, fields: Fields) -> str:
    v.reject_unknown(fields, ("vip", "layer"), "delete-vip")
    layer, virtual, label = _existing_virtual(root, fields)
    section(root, LAYER_SECTION[layer]).remove(virtual)
    return f"VIP '{label}' and its real servers deleted"


def _rip_values(layer: Layer, fields: Fields, adding: bool) -> dict[str, str]:
    """Checked real server values. A Layer 7 real server without `port` uses the VIP's port."""
    values: dict[str, str] = {}
    if "ip" in fields or adding:
        values["server"] = v.ip_address(v.required(fields, "ip"), "ip")
    if "port" in fields and fields["port"] != "":
        values["port"] = str(v.port(fields["port"], "port"))
    if "weight" in fields:
        values["weight"] = str(v.integer(fields["weight"], "weight", 0, 256))
    if "minconns" in fields:
        values["minconns"] = str(v.integer(fields["minconns"], "minconns", 0, 1_000_000))
    if "maxconns" in fields:
        values["maxconns"] = str(v.integer(fields["maxconns"], "maxconns", 0, 1_000_000))
    if "encrypted" in fields:
        if layer != "7":
            raise failed("field 'encrypted' applies only to a real server of a layer 7 VIP")
        values["encrypted"] = v.on_off(fields["encrypted"], "encrypted")
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


def locate_reals(root: ET.Element, fields: Fields, action: str) -> list[tuple[str, str]]:
    """For drain/halt/online: the (VIP, RIP) labels to act on, or `missing`.

    With `services` all, every real server with the same label in every VIP of the named VIP's
    layer (the help: the other layer is never touched).
    """
    v.reject_unknown(fields, ("vip", "rip", "services"), action)
    layer, virtual, _real, rip_label = _existing_real(root, fields)
    services = fields.get("services", "")
    if services == "":
        return [(get_text(virtual, "label"), rip_label)]
    v.choice(services, "services", ("all",))
    return [
        (get_text(other, "label"), rip_label)
        for other in section(root, LAYER_SECTION[layer]).findall("virtual")
        if find_real(other, rip_label) is not None
    ]
