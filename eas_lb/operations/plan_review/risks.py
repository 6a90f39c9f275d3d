"""Risk flags: the changes that interrupt service or can fail over, named so reviewers stop.

The rules follow what the appliance does: a VIP that is deleted or re-created (or moves to another
address) drops its connections; persistence and health-check changes take effect on the next
HAProxy/ldirectord reload and move sticky clients or mark servers down; a Layer 7 VIP's capacity
(connection limit, persistence table size) changes at the reload too (`capacity_effects`); HA
pairing and floating IPs decide which node serves; a rebuilt VM takes its appliance away. A reload
also activates whatever is pending on the appliance that Terraform did not put there: the provider
names those in the commit's `unmanaged` attribute, and each one is a risk when the commit reloads
the service it belongs to: an edit of an attribute the code leaves unset stays in that list once it
is live, and a plan that reloads only another service does not make it live again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from eas_lb.operations.plan_review.capacity_effects import capacity_reason
from eas_lb.operations.plans import maintenance
from eas_lb.operations.plans.changes import Action, PlannedResourceChange
from eas_lb.operations.plans.reloads import reloads_of
from eas_lb.operations.plans.wording import REAL_SERVER_TYPES, VIP_TYPES, vip_phrase
from eas_lb.operations.pool_terms import arrow, show
from lborg_provider.model.unmanaged_entries import services_of


class RiskKind(Enum):
    """Kinds of risk, in the order the headline lists them."""

    INTERRUPTION = "traffic interruption"
    VM_REBUILD = "VM replacement"
    FAILOVER = "fail-over risk"
    PERSISTENCE = "persistence change"
    CAPACITY = "capacity change"
    HEALTH_CHECK = "health-check change"
    OUTSIDE = "outside change"


@dataclass(frozen=True)
class Risk:
    """One flagged change: its kind, where, and a short reason."""

    kind: RiskKind
    stack: str
    appliance: str
    subject: str
    reason: str


_DONE = {
    Action.CREATE: "added",
    Action.UPDATE: "changed",
    Action.REPLACE: "replaced",
    Action.DELETE: "removed",
    Action.FORGET: "forgotten",
    Action.READ: "read",
    Action.NOOP: "unchanged",
}
_PERSISTENCE = ("persistence", "persist_time", "persistent")
_HEALTH_CHECK = ("check_type", "check_port")


def _vip_risks(change: PlannedResourceChange) -> list[tuple[RiskKind, str, str]]:
    label = show(change.value("label"))
    if change.action is Action.DELETE:
        return [(RiskKind.INTERRUPTION, label, "VIP deleted")]
    if change.action is Action.REPLACE:
        return [(RiskKind.INTERRUPTION, label, "VIP re-created")]
    if change.action is not Action.UPDATE:
        return []
    found = []
    moved = change.changed("ip") or change.changed("ports")
    if moved:
        found.append((RiskKind.INTERRUPTION, label, f"VIP moves {arrow(moved.before, moved.after)}"))
    for names, kind in ((_PERSISTENCE, RiskKind.PERSISTENCE), (_HEALTH_CHECK, RiskKind.HEALTH_CHECK)):
        phrases = [phrase for phrase in (vip_phrase(change, name) for name in names) if phrase]
        if phrases:
            found.append((kind, label, ", ".join(phrases)))
    capacity = capacity_reason(change) if change.resource_type == "lborg_layer7_vip" else None
    if capacity:
        found.append((RiskKind.CAPACITY, label, capacity))
    return found


def _outside_risks(
    change: PlannedResourceChange, reloaded: frozenset[str]
) -> list[tuple[RiskKind, str, str]]:
    """What the commit's reload would activate that no resource of the configuration manages:
    only what belongs to a service this apply reloads (`reloaded`)."""
    if change.action not in (Action.CREATE, Action.UPDATE, Action.REPLACE):
        return []
    if change.after.get("on_destroy") is True:
        return []
    found = change.after.get("unmanaged")
    if not isinstance(found, list | tuple):
        return []
    reason = "reload will activate changes made outside Terraform"
    return [(RiskKind.OUTSIDE, show(item), reason) for item in found if services_of(show(item)) & reloaded]


def _risks_of(
    change: PlannedResourceChange,
    changes: list[PlannedResourceChange],
    drift: Sequence[PlannedResourceChange],
) -> list[tuple[RiskKind, str, str]]:
    if change.action is Action.NOOP:
        return []  # adopted as it is: nothing on the appliance changes
    kind = change.resource_type
    if kind == "lborg_commit":
        reloads = reloads_of(change, list(drift), changes)
        return _outside_risks(change, frozenset(reloads.services) if reloads else frozenset())
    if kind in VIP_TYPES:
        return _vip_risks(change)
    if kind == "lborg_ha_pair" and change.action is not Action.READ:
        return [(RiskKind.FAILOVER, f"HA pairing with {show(change.value('peer_ip'))}", _DONE[change.action])]
    if kind == "lborg_floating_ip" and change.action is not Action.READ:
        return [(RiskKind.FAILOVER, f"floating IP {show(change.value('ip'))}", _DONE[change.action])]
    if kind == "vsphere_virtual_machine" and change.action in (Action.REPLACE, Action.DELETE):
        verb = "rebuilt" if change.action is Action.REPLACE else "deleted"
        return [(RiskKind.VM_REBUILD, f"VM {show(change.value('name'))}", verb)]
    return []


def _recreated_servers(changes: list[PlannedResourceChange]) -> list[Risk]:
    """One address deleted and created again on one VIP by two resources of one plan.

    Terraform orders the two independently, so the create can come first and fail ("already real
    server"), and the server's connections drop either way. The constructs never plan it: a real
    server's Terraform address is its address. A site deployed when labels were by position plans
    it until its labels are kept (`migrate-labels`, or `deploy`, which runs it).
    """

    def key(change: PlannedResourceChange) -> tuple[str, str, str, str]:
        return (change.stack, change.appliance.name, show(change.value("vip")), show(change.value("ip")))

    servers = [change for change in changes if change.resource_type in REAL_SERVER_TYPES]
    deleted = {key(change): change for change in servers if change.action is Action.DELETE}
    found = []
    for change in servers:
        gone = deleted.get(key(change)) if change.action is Action.CREATE else None
        if gone is not None:
            stack, appliance, vip, ip = key(change)
            reason = (
                f"deleted as {show(gone.value('label'))} and created again as {show(change.value('label'))}: "
                "to keep a deployed site's labels, run eas-lb migrate-labels"
            )
            found.append(Risk(RiskKind.INTERRUPTION, stack, appliance, f"EAS {ip} in {vip}", reason))
    return found


def risks(
    changes: list[PlannedResourceChange],
    drift: Sequence[PlannedResourceChange] = (),
    sticky: frozenset[tuple[str, str]] = frozenset(),
) -> list[Risk]:
    """Every risk of the planned changes, in a stable order (kind, stack, appliance, subject).

    `drift` and `sticky` ((stack, VIP label) of the VIPs with persistence) let the EAS servers'
    changes be judged: a removal without a drain, a halt on Layer 4, a hand-made state undone.
    """
    found = [
        Risk(kind, change.stack, change.appliance.name, subject, reason)
        for change in changes
        for kind, subject, reason in _risks_of(change, changes, drift)
    ]
    found += [
        Risk(RiskKind.OUTSIDE if item.outside else RiskKind.INTERRUPTION, *_server_risk_fields(item))
        for item in maintenance.risks(changes, drift, sticky)
    ]
    found += _recreated_servers(changes)
    order = list(RiskKind)
    return sorted(found, key=lambda r: (order.index(r.kind), r.stack, r.appliance, r.subject, r.reason))


def _server_risk_fields(item: maintenance.ServerRisk) -> tuple[str, str, str, str]:
    return item.stack, item.appliance, item.subject, item.reason
