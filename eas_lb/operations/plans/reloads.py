"""How many service reloads an apply causes, read from the ``lborg_commit`` changes.

Each appliance has one ``lborg_commit`` whose ``triggers`` map holds a digest per service
(``haproxy``, ``ldirectord``, ``heartbeat``). Creating it reloads every service it names (all
three without triggers). An update reloads the services whose trigger digest changed, plus the
services whose configuration drifted on the appliance since the last commit: the apply repairs
the drift, and the repair needs a reload. The provider marks that by leaving ``config_digests``
unknown; where it leaves the whole map unknown, the drifted services are read from the drift the
refresh found on that appliance (a layer 7 resource means HAProxy, layer 4 ldirectord, a floating
IP heartbeat). A commit with `depends_on` alone (no triggers) reloads the services that the
configuration changes planned in the same run write to (the provider notes them while planning),
so those are read from the planned changes on that appliance (leaving out a real server's state
or drain time alone: those reload nothing). Drift outside any resource (a VIP
added by hand) leaves only the upper bound: every service the commit manages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eas_lb.operations.plans.changes import Action, Hidden, PlannedResourceChange
from eas_lb.operations.plans.maintenance import runtime_only

SERVICES = ("haproxy", "ldirectord", "heartbeat")


@dataclass(frozen=True)
class Reloads:
    """The services one appliance's apply reloads."""

    stack: str
    appliance: str
    services: tuple[str, ...]
    repairs: tuple[str, ...]

    def describe(self) -> str:
        """``haproxy, ldirectord``, naming the reloads that only repair drift."""
        text = ", ".join(self.services)
        if self.repairs == self.services:
            return f"{text} (to repair drift)"
        if self.repairs:
            return f"{text} ({', '.join(self.repairs)} to repair drift)"
        return text


def _map(values: Any, name: str) -> dict[str, Any]:
    """A map attribute (``triggers``, ``config_digests``); empty when unset or unknown."""
    found = values.get(name) if isinstance(values, Mapping) else None
    return dict(found) if isinstance(found, dict) else {}


def _ordered(services: set[str]) -> tuple[str, ...]:
    known = [name for name in SERVICES if name in services]
    return tuple(known + sorted(services - set(SERVICES)))


#: The service whose reload makes a change of each resource type live.
SERVICE_OF_TYPE = {
    "lborg_layer7_vip": "haproxy",
    "lborg_layer7_real_server": "haproxy",
    "lborg_layer4_vip": "ldirectord",
    "lborg_layer4_real_server": "ldirectord",
    "lborg_floating_ip": "heartbeat",
}


def _drifted_services(commit: PlannedResourceChange, drift: list[PlannedResourceChange]) -> set[str]:
    """Services whose resources on the commit's appliance drifted, from the refresh's findings."""
    return {
        SERVICE_OF_TYPE[item.resource_type]
        for item in drift
        if item.stack == commit.stack
        and item.appliance == commit.appliance
        and item.resource_type in SERVICE_OF_TYPE
    }


def _written_services(
    commit: PlannedResourceChange, changes: list[PlannedResourceChange], drift: list[PlannedResourceChange]
) -> set[str]:
    """Services the planned configuration changes on the commit's appliance write to, leaving out
    the repairs of drift (those count as repairs)."""
    repairs = {(item.stack, item.address) for item in drift}
    return {
        SERVICE_OF_TYPE[item.resource_type]
        for item in changes
        if (item.stack, item.address) not in repairs
        and item.stack == commit.stack
        and item.appliance == commit.appliance
        and item.resource_type in SERVICE_OF_TYPE
        and item.action in (Action.CREATE, Action.UPDATE, Action.REPLACE, Action.DELETE)
        and not runtime_only(item)
    }


def _repairs(
    commit: PlannedResourceChange, managed: set[str], changed: set[str], drift: list[PlannedResourceChange]
) -> set[str]:
    """Services reloaded to repair drift, beyond those whose triggers changed (or, without
    triggers, those the planned changes write to: `changed` holds them then)."""
    digests = commit.after.get("config_digests")
    if isinstance(digests, Mapping):
        return {name for name, digest in digests.items() if digest is Hidden.UNKNOWN} - changed
    if digests is not Hidden.UNKNOWN:
        return set()
    drifted = _drifted_services(commit, drift) & managed
    if not drifted and not changed:
        return managed  # planned for drift the refresh did not attribute: at most every service
    return drifted - changed


def reloads_of(
    change: PlannedResourceChange,
    drift: list[PlannedResourceChange] | None = None,
    planned: list[PlannedResourceChange] | None = None,
) -> Reloads | None:
    """The reloads one ``lborg_commit`` change causes, or None when it causes none."""
    if change.resource_type != "lborg_commit":
        return None
    if change.before.get("on_destroy") is True or change.after.get("on_destroy") is True:
        # Reloads nothing on apply; reloads every service it manages when destroyed (last).
        if change.action is not Action.DELETE:
            return None
        services = set(_map(change.before, "triggers")) or set(SERVICES)
        return Reloads(change.stack, change.appliance.name, _ordered(services), ())
    after = _map(change.after, "triggers")
    managed = set(after) or set(SERVICES)
    if change.action in (Action.CREATE, Action.REPLACE):
        services, repaired = managed, set()
    elif change.action is Action.UPDATE:
        before = _map(change.before, "triggers")
        changed = {
            name for name, digest in after.items() if before.get(name) != digest or digest is Hidden.UNKNOWN
        }
        changed |= _written_services(change, planned or [], drift or []) & managed
        repaired = _repairs(change, managed, changed, drift or [])
        services = changed | repaired
    else:
        return None
    if not services:
        return None
    return Reloads(change.stack, change.appliance.name, _ordered(services), _ordered(repaired))


def reloads(
    changes: list[PlannedResourceChange], drift: list[PlannedResourceChange] | None = None
) -> list[Reloads]:
    """Reloads per appliance, sorted by stack and appliance."""
    found = [item for item in (reloads_of(change, drift, changes) for change in changes) if item is not None]
    return sorted(found, key=lambda r: (r.stack, r.appliance))
