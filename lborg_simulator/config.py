"""The appliance configuration, shaped like `lb_config.xml`, and its JSON view.

The simulator edits an ElementTree in memory and persists it atomically; everything the API
returns (`list dumpconfig`, `list virtual`, ...) is derived from the XML so the file on disk and
the API can never disagree.
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import defusedxml.ElementTree as safe_xml

Layer = Literal["4", "7"]
JsonValue = str | list["JsonValue"] | dict[str, "JsonValue"]

#: Global settings seeded into a new configuration (see docs/appliance-api.md).
L7_GLOBAL_DEFAULTS: dict[str, str] = {
    "interval": "4000",
    "rise": "2",
    "fall": "3",
    "contimeout": "4000",
    "clitimeout": "43200000",
    "srvtimeout": "43200000",
    "maxconn": "40000",
}
L4_GLOBAL_DEFAULTS: dict[str, str] = {
    "checkinterval": "10",
    "checktimeout": "5",
    "negotiatetimeout": "5",
    "failurecount": "1",
    # ldirectord's own default (its man page); the vendor publishes none.
    "quiescent": "yes",
}
HEARTBEAT_UDP_PORT = "6694"

#: Which `<config>` child each reloadable service applies.
SERVICE_SECTIONS: dict[str, str] = {
    "haproxy": "haproxy",
    "ldirectord": "ldirectord",
    "heartbeat": "heartbeat",
}
LAYER_SECTION: dict[Layer, str] = {"7": "haproxy", "4": "ldirectord"}


def _child(parent: ET.Element, tag: str) -> ET.Element:
    """Return the first child `tag`, creating it when absent."""
    found = parent.find(tag)
    if found is None:
        found = ET.SubElement(parent, tag)
    return found


def set_text(parent: ET.Element, path: str, value: str) -> None:
    """Set the text of `parent/path` (slash separated), creating elements on the way."""
    node = parent
    for tag in path.split("/"):
        node = _child(node, tag)
    node.text = value


def get_text(parent: ET.Element, path: str, default: str = "") -> str:
    node = parent.find(path)
    if node is None or node.text is None:
        return default
    return node.text


def new_config(hostname: str) -> ET.Element:
    """A factory-fresh appliance: no VIPs, default globals, standalone."""
    root = ET.Element("config")
    physical = ET.SubElement(root, "physical")
    set_text(physical, "network/hostname", hostname)
    set_text(physical, "network/domain", "localdomain")
    set_text(physical, "network/role", "master")
    ET.SubElement(physical, "interface")
    ET.SubElement(physical, "routing")
    heartbeat = ET.SubElement(root, "heartbeat")
    set_text(heartbeat, "udpport", HEARTBEAT_UDP_PORT)
    ldirectord = ET.SubElement(root, "ldirectord")
    for key, value in L4_GLOBAL_DEFAULTS.items():
        set_text(ldirectord, f"global/{key}", value)
    haproxy = ET.SubElement(root, "haproxy")
    for key, value in L7_GLOBAL_DEFAULTS.items():
        set_text(haproxy, f"global/{key}", value)
    return root


def section(root: ET.Element, name: str) -> ET.Element:
    return _child(root, name)


def virtuals(root: ET.Element, layer: Layer) -> list[ET.Element]:
    return section(root, LAYER_SECTION[layer]).findall("virtual")


def all_virtuals(root: ET.Element) -> Iterator[tuple[Layer, ET.Element]]:
    for layer in ("7", "4"):
        lay: Layer = "7" if layer == "7" else "4"
        for virtual in virtuals(root, lay):
            yield lay, virtual


def find_virtual(root: ET.Element, label: str) -> tuple[Layer, ET.Element] | None:
    for layer, virtual in all_virtuals(root):
        if get_text(virtual, "label") == label:
            return layer, virtual
    return None


def find_real(virtual: ET.Element, label: str) -> ET.Element | None:
    for real in virtual.findall("real"):
        if get_text(real, "label") == label:
            return real
    return None


def floating_ips(root: ET.Element) -> list[str]:
    return [node.text or "" for node in section(root, "heartbeat").findall("vip")]


def to_json(element: ET.Element) -> JsonValue:
    """XML to JSON the usual way: one child is an object, several an array, empty is `[]`."""
    children = list(element)
    if not children:
        text = element.text or ""
        return text if text.strip() else []
    result: dict[str, JsonValue] = {}
    repeated: set[str] = set()
    for child in children:
        value = to_json(child)
        if child.tag in repeated:
            existing = result[child.tag]
            assert isinstance(existing, list)
            existing.append(value)
        elif child.tag in result:
            result[child.tag] = [result[child.tag], value]
            repeated.add(child.tag)
        else:
            result[child.tag] = value
    return result


def dump(root: ET.Element) -> dict[str, JsonValue]:
    """The children of `<config>` as JSON (the `list dumpconfig` payload)."""
    value = to_json(root)
    return value if isinstance(value, dict) else {}


def serialize(root: ET.Element) -> bytes:
    tree = copy.deepcopy(root)
    ET.indent(tree)
    text: bytes = ET.tostring(tree, encoding="utf-8", xml_declaration=True)
    return text + b"\n"


def section_bytes(root: ET.Element, name: str) -> bytes:
    """A canonical form of one section, to compare pending with running configuration."""
    found = root.find(name)
    if found is None:
        return b""
    text: bytes = ET.tostring(found, encoding="utf-8")
    return text


def load(path: Path) -> ET.Element:
    # defusedxml: a state directory can be handed over (a saved appliance), so its XML is not
    # trusted to be free of entity expansion or external references.
    root: ET.Element = safe_xml.parse(path).getroot()
    if root.tag != "config":
        raise ValueError(f"{path}: root element is <{root.tag}>, expected <config>")
    for element in root.iter():
        # Indentation from the file is formatting, not content: drop it so trees compare by content.
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    return root
