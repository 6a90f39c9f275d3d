"""Resource changes in the words of pools.txt and the deployment guide.

A reviewer thinks in pools ("persistence 35 → 40 min", "EAS 10.225.37.116 removed from
MGMT_HTTPS-443"), not in resource addresses. Each lborg resource type gets a small function
that turns one change into sentences; unknown types fall back to a generic attribute list so
nothing is silently left out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from eas_lb.guide.mapping import real_server_label
from eas_lb.operations.plans import maintenance
from eas_lb.operations.plans.changes import Action, PlannedResourceChange
from eas_lb.operations.pool_terms import (
    L4_VIP_WORDS,
    L7_VIP_WORDS,
    REAL_SERVER_WORDS,
    arrow,
    drifted_field,
    minutes,
    persistence_mode,
    seconds,
    server_missing,
    server_name,
    show,
    vip_missing,
    with_unit,
)

APPLIANCE_SETTINGS = "Appliance settings"
VIRTUAL_MACHINES = "Virtual machines"
OTHER_RESOURCES = "Other resources"

VIP_TYPES = frozenset({"lborg_layer7_vip", "lborg_layer4_vip"})
REAL_SERVER_TYPES = frozenset({"lborg_layer7_real_server", "lborg_layer4_real_server"})


@dataclass(frozen=True)
class Statement:
    """One sentence of the review, filed under a pool (its label) or a settings group."""

    group: str
    order: tuple[int, str]
    text: str


_IGNORED = frozenset({"id"})


def _named_phrases(
    change: PlannedResourceChange, words: dict[str, tuple[str, Callable[[Any], str]]]
) -> list[tuple[str, str]]:
    """(attribute, ``persistence 35 → 40 min``) for every changed attribute, in the table's order."""
    phrases = []
    known = [name for name in words if change.changed(name)]
    others = [item.name for item in change.attributes if item.name not in words and item.name not in _IGNORED]
    for name in known + others:
        item = change.changed(name)
        if item is None:
            continue
        if name in words:
            label, formatter = words[name]
            phrases.append((name, f"{label} {arrow(item.before, item.after, formatter)}"))
        else:
            phrases += [(name, phrase) for phrase in _differences(name, item.before, item.after)]
    return phrases


def _attribute_phrases(
    change: PlannedResourceChange, words: dict[str, tuple[str, Callable[[Any], str]]]
) -> list[str]:
    """The phrases of :func:`_named_phrases` without their attribute names."""
    return [phrase for _, phrase in _named_phrases(change, words)]


def _differences(name: str, before: Any, after: Any) -> list[str]:
    """``disk.0.size 20 → 40`` for nested values, so a phrase names the leaf that changed."""
    if isinstance(before, dict) and isinstance(after, dict):
        keys = sorted(set(before) | set(after))
        return [
            part for key in keys for part in _differences(f"{name}.{key}", before.get(key), after.get(key))
        ]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        parts = [
            _differences(f"{name}.{index}", old, new)
            for index, (old, new) in enumerate(zip(before, after, strict=True))
        ]
        return [part for found in parts for part in found]
    if before == after:
        return []
    return [f"{name} {arrow(before, after)}"]


def vip_phrase(change: PlannedResourceChange, name: str) -> str | None:
    """The words for one changed VIP attribute (``persistence 35 → 40 min``), or None."""
    item = change.changed(name)
    if item is None:
        return None
    words = L7_VIP_WORDS if change.resource_type == "lborg_layer7_vip" else L4_VIP_WORDS
    label, formatter = words.get(name, (name, show))
    return f"{label} {arrow(item.before, item.after, formatter)}"


def _replace_reason(change: PlannedResourceChange) -> str:
    if not change.replace_because:
        return ""
    parts = []
    for name in change.replace_because:
        item = change.changed(name)
        parts += _differences(name, item.before, item.after) if item else [name]
    return f" because {', '.join(parts)} cannot change in place"


def _vip_summary(change: PlannedResourceChange) -> str:
    """Where a VIP listens and how it keeps sessions, from its after (or before) values."""
    value = change.value
    layer7 = change.resource_type == "lborg_layer7_vip"
    where = f"{show(value('ip'))}:{show(value('ports'))}"
    if layer7:
        mode = value("persistence")
        sticky = (
            "no persistence"
            if mode == "none"
            else (f"persistence {persistence_mode(mode)} {minutes(value('persist_time'))}")
        )
        kind = "layer 7"
    else:
        sticky = (
            f"persistence {seconds(value('persist_time'))}"
            if value("persistent") is True
            else "no persistence"
        )
        kind = f"layer 4 {show(value('forwarding'))}"
    check = f"health check {show(value('check_type'))} port {show(value('check_port'))}"
    return f"{kind} VIP {where}, {sticky}, {check}"


def _vip_statements(change: PlannedResourceChange) -> list[Statement]:
    label = show(change.value("label"))
    words = L7_VIP_WORDS if change.resource_type == "lborg_layer7_vip" else L4_VIP_WORDS
    order = (0, "")
    if change.imported and change.action in (Action.NOOP, Action.UPDATE):
        adopted = Statement(label, order, f"adopted: {_vip_summary(change)}")
        return [adopted] + [Statement(label, (1, p), p) for p in _attribute_phrases(change, words)]
    if change.action is Action.CREATE:
        return [Statement(label, order, f"new pool: {_vip_summary(change)}")]
    if change.action is Action.DELETE:
        where = f"{show(change.value('ip'))}:{show(change.value('ports'))}"
        return [Statement(label, order, f"pool deleted: VIP {where} stops serving (traffic interruption)")]
    if change.action is Action.REPLACE:
        reasons = set(change.replace_because)
        details = [phrase for name, phrase in _named_phrases(change, words) if name not in reasons]
        text = f"VIP re-created{_replace_reason(change)}: traffic interrupted while it is rebuilt"
        if details:
            text += "; also " + ", ".join(details)
        return [Statement(label, order, text)]
    return [Statement(label, (1, phrase), phrase) for phrase in _attribute_phrases(change, words)]


def _real_server_statements(change: PlannedResourceChange, planned: bool = True) -> list[Statement]:
    """A real server is the EAS server at its address: "EAS 10.225.37.61 removed from MGMT_HTTPS-443".

    Its label is said only where it is not `EAS_SSS-<address>` (kept from an adopted pair or from
    position labels), so a reviewer can find it in the WebUI.
    """
    pool = show(change.value("vip"))
    ip = change.before.get("ip") if change.action is Action.UPDATE else change.value("ip")
    address = show(ip)
    label = change.value("label")
    kept = "" if label == real_server_label(address) else f"label {show(label)}"
    named = f" ({kept})" if kept else ""
    port = f"port {show(change.value('port'))}"
    details = f" ({port}{', ' + kept if kept else ''})"
    order = (2, f"{address} {show(label)}")
    in_server_terms = maintenance.real_server_text(change, named) if planned else None
    if in_server_terms is not None:
        return [Statement(pool, order, in_server_terms)]
    if change.imported and change.action in (Action.NOOP, Action.UPDATE):
        text = f"EAS {address} adopted in {pool}{details}"
        phrases = _attribute_phrases(change, REAL_SERVER_WORDS)
        return [Statement(pool, order, text + (": " + ", ".join(phrases) if phrases else ""))]
    # The same action ladder as the VM wording below; each kind of object has its own sentences.
    if change.action is Action.CREATE:
        text = f"EAS {address} added to {pool}{details}"
    elif change.action is Action.DELETE:
        text = f"EAS {address} removed from {pool}{named}"
    elif change.action is Action.REPLACE:
        text = f"EAS {address}{named} re-created in {pool}{_replace_reason(change)}"
    else:
        text = f"EAS {address}{named} in {pool}: " + ", ".join(_attribute_phrases(change, REAL_SERVER_WORDS))
    return [Statement(pool, order, text)]


_VERBS = {
    Action.CREATE: "added",
    Action.DELETE: "removed",
    Action.REPLACE: "replaced",
    Action.UPDATE: "changed",
    Action.FORGET: "forgotten (left on the appliance, removed from state)",
}


def _setting_statements(change: PlannedResourceChange) -> list[Statement]:
    value = change.value
    kind = change.resource_type
    verb = _VERBS.get(change.action, change.action.value)
    if change.imported:
        verb = "adopted" if change.action is Action.NOOP else f"adopted and {verb}"
    if kind == "lborg_floating_ip":
        subject = f"floating IP {show(value('ip'))}"
    elif kind == "lborg_ha_pair":
        subject = f"HA pairing with peer {show(value('peer_ip'))} (local {show(value('local_ip'))})"
        if change.action is Action.DELETE:
            verb = "removed from the configuration (the pair itself stays until broken in the WebUI)"
    elif kind == "lborg_hostname":
        domain = value("domain")
        subject = f"hostname {show(value('hostname'))}" + (f".{show(domain)}" if domain else "")
    elif kind == "lborg_interface_address":
        subject = f"{show(value('interface'))} address {show(value('address'))}"
    elif kind == "lborg_route":
        network = value("network")
        target = f"route to {show(network)}" if network else "default route"
        subject = f"{target} via {show(value('gateway'))}"
    elif kind == "lborg_commit":
        return []  # Reported as reloads, which is what it means to the reviewer.
    else:
        subject = f"{kind} {change.address.rsplit('.', 1)[-1]}"
    text = f"{subject} {verb}"
    if change.action in (Action.UPDATE, Action.REPLACE):
        phrases = _attribute_phrases(change, {})
        if phrases:
            text += ": " + ", ".join(phrases)
    return [Statement(APPLIANCE_SETTINGS, (3, f"{kind} {subject}"), text)]


def _vm_statements(change: PlannedResourceChange) -> list[Statement]:
    value = change.value
    name = show(value("name"))
    size = f"{show(value('num_cpus'))} vCPU, {with_unit(value('memory'), 'MB')} RAM"
    # The same action ladder as the real-server wording above; each kind of object has its own sentences.
    if change.action is Action.CREATE:
        text = f"VM {name} created ({size})"
    elif change.action is Action.DELETE:
        text = f"VM {name} deleted: its appliance is lost"
    elif change.action is Action.REPLACE:
        text = f"VM {name} rebuilt{_replace_reason(change)}: its appliance is down and reconfigured"
    else:
        words = {"num_cpus": ("vCPUs", show), "memory": ("memory", lambda v: with_unit(v, "MB"))}
        text = f"VM {name}: " + ", ".join(_attribute_phrases(change, words))
    return [Statement(VIRTUAL_MACHINES, (4, name), text)]


def _generic_statements(change: PlannedResourceChange) -> list[Statement]:
    verb = _VERBS.get(change.action, change.action.value)
    if change.imported:
        verb = "adopted" if change.action is Action.NOOP else f"adopted and {verb}"
    text = f"{change.address} {verb}"
    phrases = _attribute_phrases(change, {}) if change.action is Action.UPDATE else []
    if phrases:
        text += ": " + ", ".join(phrases)
    return [Statement(OTHER_RESOURCES, (5, change.address), text)]


def statements(change: PlannedResourceChange, *, planned: bool = True) -> list[Statement]:
    """The sentences describing one resource change (`planned` False: a change found as drift,
    which no drain or maintenance of this apply made)."""
    if change.resource_type in VIP_TYPES:
        return _vip_statements(change)
    if change.resource_type in REAL_SERVER_TYPES:
        return _real_server_statements(change, planned)
    if change.resource_type.startswith("lborg_"):
        return _setting_statements(change)
    if change.resource_type == "vsphere_virtual_machine":
        return _vm_statements(change)
    return _generic_statements(change)


def _unmanaged_entries(value: Any) -> list[str]:
    return [show(item) for item in value] if isinstance(value, list) else []


def drift_statements(change: PlannedResourceChange) -> list[Statement]:
    """Drift a refresh found, in the words `verify` and `drift` use (`eas_lb.operations.pool_terms`):
    ``before`` is the last deploy, ``after`` the appliance now; a deletion is an object that is
    gone from the appliance."""
    kind = change.resource_type
    if kind == "lborg_commit":
        new = [
            entry
            for entry in _unmanaged_entries(change.after.get("unmanaged"))
            if entry not in _unmanaged_entries(change.before.get("unmanaged"))
        ]
        return [
            Statement(
                APPLIANCE_SETTINGS,
                (3, entry),
                f"not managed by the code, would go live at the next reload: {entry}",
            )
            for entry in new
        ]
    if kind not in VIP_TYPES and kind not in REAL_SERVER_TYPES:
        if kind.startswith("lborg_") and change.action is Action.UPDATE:
            return [
                Statement(
                    APPLIANCE_SETTINGS,
                    (3, f"{kind} {item.name}"),
                    drifted_field(kind, item.name, item.before, item.after),
                )
                for item in change.attributes
                if item.name not in _IGNORED
            ]
        return statements(change)
    vip = kind in VIP_TYPES
    pool = show(change.value("label" if vip else "vip"))
    address, name = change.value("ip"), change.value("label")
    order = (0, "") if vip else (2, f"{show(address)} {show(name)}")
    if change.action is Action.DELETE:
        text = vip_missing() if vip else server_missing(address, name)
        return [Statement(pool, order, text)]
    phrases = [
        drifted_field(kind, item.name, item.before, item.after)
        for item in change.attributes
        if item.name not in _IGNORED
    ]
    if not phrases:
        return []
    prefix = "" if vip else f"{server_name(address, name)}: "
    return [Statement(pool, (1, phrase) if vip else order, prefix + phrase) for phrase in phrases]
