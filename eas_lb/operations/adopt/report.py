"""The adopt report: what was found, what differs from the guide and pools.txt, what is left alone,
and what the first deploy will do. Plain text, one fact per line, in pool terms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eas_lb.operations.adopt.pair import PairFindings
from eas_lb.operations.adopt.preview import AttributeDifference, PlannedObject

_WORDS = {
    "scheduler": "balancing",
    "persistence": "persistence",
    "persistent": "persistence",
    "persist_time": "persistence timeout",
    "check_type": "health check",
    "check_port": "health-check port",
    "timeout_client": "client timeout",
    "timeout_server": "real-server timeout",
    "forwarding": "forwarding",
    "mode": "mode",
    "ip": "address",
    "ports": "ports",
    "port": "port",
    "weight": "weight",
}
_KINDS = {
    "lborg_layer7_vip": "Layer 7 VIP",
    "lborg_layer4_vip": "Layer 4 VIP",
    "lborg_layer7_real_server": "real server",
    "lborg_layer4_real_server": "real server",
    "lborg_floating_ip": "floating IP",
    "lborg_hostname": "hostname",
    "lborg_interface_address": "interface address",
    "lborg_route": "route",
    "lborg_ha_pair": "HA pairing with",
}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if value is None or value == "":
        return "(none)"
    return str(value)


def _unit(resource_type: str, attribute: str) -> str:
    if attribute in ("timeout_client", "timeout_server"):
        return " ms"
    if attribute == "persist_time":
        return " min" if resource_type == "lborg_layer7_vip" else " s"
    return ""


def change_text(change: AttributeDifference, resource_type: str = "") -> str:
    """`client timeout 600000 → 900000 ms`: from the appliance's value to the code's."""
    unit = _unit(resource_type, change.attribute)
    have, want = _show(change.have), _show(change.want)
    if unit and not (have.isdigit() and want.isdigit()):
        unit = ""  # a value with its own unit (12h) or none at all
    return f"{_WORDS.get(change.attribute, change.attribute)} {have} → {want}{unit}"


def subject(item: PlannedObject) -> str:
    kind = _KINDS.get(item.resource_type, item.resource_type)
    return f"{kind} {item.import_id}" if item.resource_type != "lborg_hostname" else "hostname"


def _count(items: Iterable[Any], word: str) -> str:
    number = len(list(items))
    return f"{number} {word}{'' if number == 1 else 's'}"


def render(findings: PairFindings, record_path: str | None) -> list[str]:
    pair = findings.pair
    lines = [f"pair {pair.name}: {_nodes(findings)}"]
    if findings.pools_written:
        lines.append(f"  pools: wrote {findings.pools_written} (it reproduces the appliance)")
    elif findings.pool_differences:
        lines.append(f"  pools: {_count(findings.pool_differences, 'difference')} with pools.txt:")
        lines += [f"    - {text}" for text in findings.pool_differences]
    else:
        lines.append("  pools: pools.txt matches the appliance")
    lines += _facts(findings)
    off = [item for item in findings.preview.objects if item.exists and item.changes]
    lines.append(f"  values not the guide's (or not pools.txt's): {len(off) or 'none'}")
    for item in off:
        lines.append(
            f"    - {subject(item)} on {item.appliance}: "
            + ", ".join(change_text(c, item.resource_type) for c in item.changes)
        )
    if findings.globals_off:
        lines.append(
            "  global check settings not the guide's (no API can set them; "
            "the first deploy stops until they are set):"
        )
        lines += [f"    - {text}" for text in findings.globals_off]
    else:
        lines.append("  global check settings: the guide's")
    unmanaged = findings.unmanaged
    lines.append(f"  not managed, left untouched: {len(unmanaged) or 'nothing'}")
    lines += [f"    - {item.appliance}: {item.kind} {item.name}: {item.reason}" for item in unmanaged]
    lines += [f"  note: {text}" for text in findings.notes]
    if findings.problems:
        lines.append("  cannot adopt until these are fixed:")
        lines += [f"    - {text}" for text in findings.problems]
        return lines
    lines += _first_deploy(findings, record_path)
    return lines


def _nodes(findings: PairFindings) -> str:
    primary = findings.primary
    text = f"{primary.name} ({primary.node.endpoint}, {primary.role})"
    if findings.secondary is not None:
        text += (
            f" and {findings.secondary.name} ({findings.secondary.node.endpoint}, {findings.secondary.role})"
        )
    return text


def _facts(findings: PairFindings) -> list[str]:
    lines = []
    objects = findings.preview.objects
    pair = [item for item in objects if item.resource_type == "lborg_ha_pair"]
    for item in pair:
        state = (
            "paired as the site file says" if item.exists else "not paired yet: the first deploy pairs them"
        )
        lines.append(f"  HA pair: {findings.primary.name} with {item.import_id}: {state}")
    floating = [item for item in objects if item.resource_type == "lborg_floating_ip"]
    for item in floating:
        state = "present" if item.exists else "missing: the first deploy adds it"
        lines.append(f"  service gateway floating IP {item.import_id}: {state}")
    by_address: dict[str, list[str]] = {}
    for item in objects:
        if item.resource_type == "lborg_layer4_vip" and item.listens_on:
            by_address.setdefault(item.listens_on.rsplit(":", 1)[0], []).append(item.import_id)
    for address, labels in sorted(by_address.items()):
        lines.append(f"  service VIP {address}: {', '.join(labels)}")
    for kept in findings.mapping.names:
        names = [f"VIP {kept.vip_label}"] if kept.vip_label else []
        names += [f"{ip} as {label}" for ip, label in sorted(kept.server_labels.items())]
        lines.append(
            f"  names kept (the API cannot rename them): pool {kept.name} (# {kept.section}): "
            + ", ".join(names)
        )
    for appliance in [findings.primary, findings.secondary]:
        if appliance is None:
            continue
        settings = [
            item
            for item in objects
            if item.appliance == appliance.name
            and item.resource_type in ("lborg_hostname", "lborg_interface_address", "lborg_route")
        ]
        words = [f"{subject(item)} {'present' if item.exists else 'added'}" for item in settings]
        lines.append(f"  per-node settings of {appliance.name}: " + (", ".join(words) or "none managed"))
    return lines


def _first_deploy(findings: PairFindings, record_path: str | None) -> list[str]:
    objects = findings.preview.objects
    imported = [item for item in objects if item.exists]
    changed = [item for item in imported if item.changes]
    added = [item for item in objects if not item.exists]
    # The primary's commit, and its reload-after-destroy companion once it has a pool or floating IP.
    anchored = ("lborg_layer7_vip", "lborg_layer4_vip", "lborg_floating_ip")
    commits = 1 + any(item.resource_type in anchored for item in objects)
    what = "commit" if commits == 1 else "commits"
    lines = []
    if record_path:
        lines.append(
            f"  recorded in {record_path}: {_count(imported, 'object')} to import (and the primary's {what})"
        )
    lines.append(
        f"  first `cdktf deploy {findings.stack}`: adopts {len(imported) + commits} objects "
        f"(the {what} included), adds {len(added)}, changes {len(changed)}, replaces 0, destroys 0"
    )
    for item in added:
        lines.append(f"    + adds {subject(item)} on {item.appliance}")
    reloads = {
        name: findings.preview.reloads(name)
        for name in [findings.primary.name] + ([findings.secondary.name] if findings.secondary else [])
    }
    said = [f"{', '.join(services)} on {name}" for name, services in reloads.items() if services]
    lines.append("    reloads: " + ("; ".join(said) if said else "none (nothing is off the guide)"))
    if findings.globals_off:
        lines.append("    it stops before any change until the global check settings above are set")
    return lines
