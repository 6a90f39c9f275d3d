"""Per-node network settings (hostname, interface addresses, routes).

These live under `<physical>`, apply at once (no reload) and are never replicated to the HA
peer, as on the appliance. The simulator only records them; it configures nothing on the host.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from lborg_simulator import validation as v
from lborg_simulator.config import get_text, section, set_text
from lborg_simulator.validation import ActionError, Fields, failed

Outcome = tuple[str, Any]


def _physical(root: ET.Element) -> ET.Element:
    return section(root, "physical")


def hostname(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "hostname", "domain"), "hostname")
    function = v.choice(fields.get("function", "get"), "function", ("get", "set"))
    network = section(_physical(root), "network")
    if function == "set":
        name = v.hostname(v.required(fields, "hostname"), "hostname")
        domain = v.domain(fields["domain"], "domain") if fields.get("domain") else None
        set_text(network, "hostname", name)
        if domain is not None:
            set_text(network, "domain", domain)
        return f"hostname set to {name}", None
    data = {"hostname": get_text(network, "hostname"), "domain": get_text(network, "domain")}
    return "hostname", data


def _interface_addresses(root: ET.Element) -> dict[str, list[str]]:
    interfaces = section(_physical(root), "interface")
    return {child.tag: [a.text or "" for a in child.findall("address")] for child in interfaces}


def address(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "interface", "address", "cidr"), "address")
    function = v.choice(fields.get("function", "get"), "function", ("get", "add", "del", "flush"))
    interfaces = section(_physical(root), "interface")
    if function == "get":
        data = _interface_addresses(root)
        if fields.get("interface"):
            name = v.interface(fields["interface"], "interface")
            return "addresses", {name: data.get(name, [])}
        return "addresses", data
    name = v.interface(v.required(fields, "interface"), "interface")
    node = interfaces.find(name)
    if function == "flush":
        found = [] if node is None else node.findall("address")
        for entry in found:
            assert node is not None
            node.remove(entry)
        return f"{len(found)} address(es) removed from {name}", None
    value = v.ip_with_prefix(v.required(fields, "address"), fields.get("cidr", ""), "address")
    present = [] if node is None else [a for a in node.findall("address") if a.text == value]
    if function == "add":
        if present:
            raise ActionError("exists", f"address {value} is already on {name}")
        ET.SubElement(section(interfaces, name), "address").text = value
        return f"address {value} added to {name}", None
    if not present or node is None:
        raise ActionError("missing", f"address {value} is not on {name}")
    node.remove(present[0])
    return f"address {value} removed from {name}", None


def route(root: ET.Element, fields: Fields) -> Outcome:
    v.reject_unknown(fields, ("function", "type", "gateway", "interface", "network"), "route")
    function = v.choice(v.required(fields, "function"), "function", ("default", "static", "routes"))
    routing = section(_physical(root), "routing")
    if function == "routes":
        v.choice(v.required(fields, "type"), "type", ("flush",))
        static = section(routing, "static")
        flushed = static.findall("route")
        for entry in flushed:
            static.remove(entry)
        return f"{len(flushed)} static route(s) flushed", None
    if function == "default":
        kind = v.choice(fields.get("type", "get"), "type", ("get", "set"))
        if kind == "get":
            return "default gateway", {
                "gateway": get_text(routing, "gateway/ipv4"),
                "interface": get_text(routing, "gateway/interface"),
            }
        gateway = v.ip_address(v.required(fields, "gateway"), "gateway")
        # The help: without `interface`, 'Auto' is used.
        device = v.interface(fields["interface"], "interface") if fields.get("interface") else "Auto"
        set_text(routing, "gateway/ipv4", gateway)
        set_text(routing, "gateway/interface", device)
        return f"default gateway set to {gateway}", None
    kind = v.choice(fields.get("type", "get"), "type", ("get", "add", "del"))
    static = section(routing, "static")
    routes = static.findall("route")
    if kind == "get":
        data = [{"network": get_text(r, "network"), "gateway": get_text(r, "gateway")} for r in routes]
        return "static routes", {"routes": data}
    # Kept as written (host bits and all, as the vendor's own examples write it); one network is
    # one route whatever its spelling, so `add` of it again is `exists` and `del` finds it.
    net = v.network(v.required(fields, "network"), "network")
    matching = [r for r in routes if v.same_network(get_text(r, "network"), net)]
    if kind == "add":
        gateway = v.ip_address(v.required(fields, "gateway"), "gateway")
        if matching:
            existing = get_text(matching[0], "network")
            also = "" if existing == net else f" (as {existing}, the same network)"
            raise ActionError("exists", f"a static route to {net} already exists{also}")
        node = ET.SubElement(static, "route")
        set_text(node, "network", net)
        set_text(node, "gateway", gateway)
        return f"static route to {net} via {gateway} added", None
    if not matching:
        raise ActionError("missing", f"no static route to {net}")
    if fields.get("gateway") and get_text(matching[0], "gateway") != fields["gateway"]:
        raise failed(f"field 'gateway': the route to {net} goes via {get_text(matching[0], 'gateway')}")
    static.remove(matching[0])
    return f"static route to {net} deleted", None


DNS_SERVERS = ("dns0", "dns1", "dns2")


def dns(root: ET.Element, fields: Fields) -> Outcome:
    """Name servers; `--dnsX ""` clears one (the help)."""
    v.reject_unknown(fields, ("function", *DNS_SERVERS), "dns")
    function = v.choice(v.required(fields, "function"), "function", ("get", "set"))
    node = section(_physical(root), "dns")
    if function == "get":
        return "DNS servers", {name: get_text(node, name) for name in DNS_SERVERS}
    given = {name: fields[name] for name in DNS_SERVERS if name in fields}
    if not given:
        raise failed("dns set: give at least one of dns0, dns1, dns2")
    checked = {name: v.ip_address(value, name) if value else "" for name, value in given.items()}
    for name, value in checked.items():
        set_text(node, name, value)
    return f"DNS servers set: {', '.join(f'{k}={val or chr(34) * 2}' for k, val in checked.items())}", None


def mtu(root: ET.Element, fields: Fields) -> Outcome:
    """Interface MTU; recorded only (the simulator configures nothing on the host)."""
    v.reject_unknown(fields, ("function", "interface", "mtu"), "mtu")
    function = v.choice(v.required(fields, "function"), "function", ("get", "set"))
    interfaces = section(_physical(root), "interface")
    if function == "get":
        data = {child.tag: get_text(child, "mtu", "1500") for child in interfaces}
        if fields.get("interface"):
            name = v.interface(fields["interface"], "interface")
            node = interfaces.find(name)
            data = {name: get_text(node, "mtu", "1500") if node is not None else "1500"}
        return "interface MTU", data
    name = v.interface(v.required(fields, "interface"), "interface")
    value = str(v.integer(v.required(fields, "mtu"), "mtu", 68, 65535))
    set_text(section(interfaces, name), "mtu", value)
    return f"MTU of {name} set to {value}", None
