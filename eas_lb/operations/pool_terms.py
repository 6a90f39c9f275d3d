"""Differences in pool terms: one place that words a VIP or real-server field and its values.

`plan-review` (planned changes and the drift its refresh found), `verify` (the appliance against
pools.txt) and `drift` (the appliances against the last deploy) all say "persistence 35 → 60 min"
the same way, from the tables and formatters here. A reviewer or an on-call engineer thinks in
pools.txt and the deployment guide, not in Terraform attribute names.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import Enum
from typing import Any

from eas_lb.guide.mapping import real_server_label


def show(value: Any) -> str:
    """A value as a reviewer reads it: no quotes, whole numbers without ``.0``, masks as words."""
    if isinstance(value, Enum):  # a mask such as "(sensitive)": its words
        return str(value)
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, list):
        return ", ".join(show(item) for item in value) if value else "(none)"
    if isinstance(value, dict):
        return json.dumps(_plain(value), sort_keys=True, separators=(", ", ": "))
    return str(value)


def _plain(value: Any) -> Any:
    """Replace masks by their words so a nested value can be printed as JSON."""
    if isinstance(value, Enum):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def on_off(value: Any) -> str:
    """Layer 4 ``persistent`` and similar switches, in the appliance's words."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return show(value)


def with_unit(value: Any, unit: str) -> str:
    """A number with its unit; masks and unset values stay words."""
    if isinstance(value, Enum) or value is None:
        return show(value)
    return f"{show(value)} {unit}"


def milliseconds(value: Any) -> str:
    """Appliance time-outs are milliseconds unless they carry a unit (``900000``, ``12h``)."""
    text = show(value)
    return f"{text} ms" if text.isdigit() else text


def arrow(before: Any, after: Any, formatter: Callable[[Any], str] = show) -> str:
    """``before → after``; a unit both sides share is written once (``35 → 40 min``)."""
    left, right = formatter(before), formatter(after)
    for unit in _UNITS:
        if left.endswith(unit) and right.endswith(unit):
            return f"{left.removesuffix(unit)} → {right}"
    return f"{left} → {right}"


_UNITS = (" min", " ms", " s", " MB")


def persistence_mode(value: Any) -> str:
    return (
        {"ip": "source IP", "none": "none"}.get(value, show(value)) if isinstance(value, str) else show(value)
    )


def seconds(value: Any) -> str:
    return with_unit(value, "s")


def minutes(value: Any) -> str:
    return with_unit(value, "min")


# Attribute → (words, formatter) per VIP layer; layer 7 persistence is minutes, layer 4 seconds.
L7_VIP_WORDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "ip": ("VIP address", show),
    "ports": ("ports", show),
    "mode": ("mode", show),
    "scheduler": ("balancing", show),
    "persistence": ("persistence", persistence_mode),
    "persist_time": ("persistence", minutes),
    "persist_table_size": ("persistence table size", show),
    "maxconn": ("max connections", show),
    "check_type": ("health check", show),
    "check_port": ("health-check port", show),
    "timeout_client": ("client timeout", milliseconds),
    "timeout_server": ("real-server timeout", milliseconds),
}
# Word tables alike L7_VIP_WORDS and REAL_SERVER_WORDS in shape; each object's own attributes.
L4_VIP_WORDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "ip": ("VIP address", show),
    "ports": ("ports", show),
    "protocol": ("protocol", show),
    "forwarding": ("forwarding", show),
    "scheduler": ("balancing", show),
    "persistent": ("persistence", on_off),
    "persist_time": ("persistence", seconds),
    "check_type": ("health check", show),
    "check_port": ("health-check port", show),
}
# Word tables alike L7_VIP_WORDS and L4_VIP_WORDS in shape; each object's own attributes.
REAL_SERVER_WORDS: dict[str, tuple[str, Callable[[Any], str]]] = {
    "ip": ("address", show),
    "port": ("port", show),
    "weight": ("weight", show),
    "minconns": ("min connections", show),
    "maxconns": ("max connections", show),
    "encrypted": ("re-encryption", on_off),
    "state": ("state", show),
    "drain_seconds": ("drain time before a removal", seconds),
}

VIP_WORDS: dict[str, dict[str, tuple[str, Callable[[Any], str]]]] = {
    "lborg_layer7_vip": L7_VIP_WORDS,
    "lborg_layer4_vip": L4_VIP_WORDS,
}
#: The resource type of a layer's VIP ("7" or "4"), for callers that read dumpconfig by layer.
VIP_TYPE_OF_LAYER = {"7": "lborg_layer7_vip", "4": "lborg_layer4_vip"}
REAL_SERVER_TYPE_OF_LAYER = {"7": "lborg_layer7_real_server", "4": "lborg_layer4_real_server"}


def words_of(resource_type: str, attribute: str) -> tuple[str, Callable[[Any], str]]:
    """The words and value formatter of one VIP or real-server attribute (its own name if unknown)."""
    table = VIP_WORDS.get(resource_type)
    if table is None and resource_type.endswith("_real_server"):
        table = REAL_SERVER_WORDS
    return (table or {}).get(attribute, (attribute, show))


def field_change(resource_type: str, attribute: str, before: Any, after: Any) -> str:
    """``persistence 35 → 40 min``: one attribute of a VIP or real server, from one value to another."""
    label, formatter = words_of(resource_type, attribute)
    return f"{label} {arrow(before, after, formatter)}"


def drifted_field(resource_type: str, attribute: str, code: Any, appliance: Any) -> str:
    """``persistence 35 → 60 min on the appliance``: what the code has (or last deployed) against
    what the appliance has now. The one wording of a drifted field, for verify, plan review and drift."""
    return f"{field_change(resource_type, attribute, code, appliance)} on the appliance"


def server_name(address: Any, label: Any) -> str:
    """A real server is the EAS server at its address (``EAS 10.225.37.61``); its label is said
    only where it is not the guide's ``EAS_SSS-<address>``, so it can be found in the WebUI."""
    kept = label is not None and show(label) != real_server_label(show(address))
    return f"EAS {show(address)}" + (f" (label {show(label)})" if kept else "")


def server_missing(address: Any, label: Any) -> str:
    """A real server the code has that the appliance does not."""
    return f"{server_name(address, label)} missing on the appliance"


def server_not_in_code(address: Any, label: Any) -> str:
    """A real server of a managed pool that the appliance has and the code does not."""
    return f"{server_name(address, label)} on the appliance, not in the code"


def vip_not_in_code(layer: str, label: Any) -> str:
    """A VIP the appliance has and the code does not manage."""
    return f"Layer {layer} VIP {show(label)} on the appliance, not in the code"


def vip_missing() -> str:
    """A VIP of the code that the appliance does not have."""
    return "VIP missing on the appliance"
