"""Look things up in a `list dumpconfig` payload, whatever XML-to-JSON shape it arrived in."""

from __future__ import annotations

from typing import Any

from lborg_provider.model.normalize import as_dict, as_list, dig, text

LAYER_SECTIONS = {"7": "haproxy", "4": "ldirectord"}


def virtuals(config: dict[str, Any], layer: str) -> list[dict[str, Any]]:
    """The `virtual` elements of one layer, in appliance order."""
    return [as_dict(item) for item in as_list(dig(config, LAYER_SECTIONS[layer], "virtual"))]


#: Per layer, the last `virtual` payload seen and its elements by label. A refresh looks up every
#: VIP and real server in the same shared payload; the index makes that linear, not quadratic.
#: The payload is held, so an identity check cannot match a different, newer one.
_INDEX: dict[str, tuple[Any, dict[str, dict[str, Any]]]] = {}


def find_virtual(config: dict[str, Any], layer: str, label: str) -> dict[str, Any] | None:
    source = dig(config, LAYER_SECTIONS[layer], "virtual")
    cached = _INDEX.get(layer)
    if cached is None or cached[0] is not source:
        by_label: dict[str, dict[str, Any]] = {}
        for item in virtuals(config, layer):
            by_label.setdefault(
                text(item.get("label")), item
            )  # the first of a label, as the appliance lists it
        cached = (source, by_label)
        _INDEX[layer] = cached
    return cached[1].get(label)


def reals(virtual: dict[str, Any]) -> list[dict[str, Any]]:
    return [as_dict(item) for item in as_list(virtual.get("real"))]


def find_real(virtual: dict[str, Any], label: str) -> dict[str, Any] | None:
    return next((item for item in reals(virtual) if text(item.get("label")) == label), None)


def floating_ips(config: dict[str, Any]) -> list[str]:
    return [text(item) for item in as_list(dig(config, "heartbeat", "vip")) if text(item)]


def interface_addresses(config: dict[str, Any], interface: str) -> list[str]:
    """CIDR addresses configured on one interface (`physical/interface/<ethN>/address`)."""
    node = dig(config, "physical", "interface", interface)
    if isinstance(node, dict):
        node = node.get("address")
    return [text(item) for item in as_list(node) if text(item)]


def network(config: dict[str, Any]) -> dict[str, Any]:
    return as_dict(dig(config, "physical", "network"))


def default_route(config: dict[str, Any]) -> tuple[str, str]:
    """(gateway, interface) of the default route; empty strings when none is set."""
    gateway = as_dict(dig(config, "physical", "routing", "gateway"))
    return text(gateway.get("ipv4")), text(gateway.get("interface"))


def static_routes(config: dict[str, Any]) -> dict[str, str]:
    """Static routes as {network CIDR: gateway}."""
    routes = as_list(dig(config, "physical", "routing", "static", "route"))
    result: dict[str, str] = {}
    for route in routes:
        entry = as_dict(route)
        if text(entry.get("network")):
            result[text(entry.get("network"))] = text(entry.get("gateway"))
    return result
