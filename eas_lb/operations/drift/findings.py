"""What drifted, one finding per object and appliance, each with its two ways out.

A finding says, in pool terms, what differs between an appliance and the last deploy (the
Terraform state), or what the appliance has that the code does not manage; which service's reload
makes it live; and the two ways out: deploy to put the code's value back (the exact command), or
change the site's files to keep the new value (which file, which line or key). Where no key of
the site's files can hold the value (the deployment guide's values are built in), it says so
instead of inventing one.

The sentences come from `eas_lb.operations.pool_terms` (the words verify and plan review use) and
`eas_lb.operations.plans.wording.drift_statements`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from eas_lb.inputs.pools import Pool
from eas_lb.inputs.site import PairPlan
from eas_lb.operations.plans import reloads
from eas_lb.operations.plans.changes import Action, PlannedResourceChange
from eas_lb.operations.plans.wording import REAL_SERVER_TYPES, VIP_TYPES, drift_statements
from eas_lb.operations.pool_terms import server_name, show
from lborg_provider.model.unmanaged_entries import UNSET_EDIT_ENDING


class Kind(StrEnum):
    """What sort of drift a finding is."""

    CHANGED = "changed outside the code"
    MISSING = "deleted outside the code"
    NOT_MANAGED = "not managed by the code"
    SERVER_STATE = "state set outside the code"
    GLOBAL_SETTINGS = "off the deployment guide"


#: The service whose reload makes a change of each resource type live (plan review's, and an
#: HA pair's drift, which plan review never shows as a reload).
SERVICE_OF_TYPE = {**reloads.SERVICE_OF_TYPE, "lborg_ha_pair": "heartbeat"}
SERVICE_OF_LAYER = {"7": "haproxy", "4": "ldirectord"}

_STICKY = ("persistence", "persist_time", "persistent")
#: Said where no key of the site's files holds a value: the code always deploys the guide's.
BUILT_IN = (
    "not possible: no key in the site's files holds it, the code always deploys the deployment guide's value"
)


@dataclass(frozen=True)
class Finding:
    """One drifted object on one appliance."""

    appliance: str
    stack: str
    subject: str
    what: str
    kind: Kind
    #: The service whose reload makes it live (None: not a configuration change).
    service: str | None
    put_back: str
    keep: str
    #: Set on the appliance where the code leaves the attribute unset: a deploy does not put it
    #: back, and the deploy's reload makes it live.
    unset_in_code: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "appliance": self.appliance,
            "stack": self.stack,
            "subject": self.subject,
            "what": self.what,
            "kind": self.kind.value,
            "service": self.service,
            "put_back": self.put_back,
            "keep": self.keep,
            "unset_in_code": self.unset_in_code,
        }


@dataclass(frozen=True)
class StackContext:
    """What a finding's ways out need to know about its stack."""

    stack: str
    plan: PairPlan | None
    deploy: str
    #: The pools file as the site's people name it: relative to the site file's folder.
    pools_file: str = "pools.txt"
    #: Configured resource address → the attributes the configuration sets.
    configured: dict[str, frozenset[str]] = field(default_factory=dict)

    def pool(self, label: str) -> Pool | None:
        if self.plan is None:
            return None
        return next((pool for pool in self.plan.pools.pools if pool.label == label), None)


def _where(context: StackContext, pool: Pool | None, column: str) -> str:
    if pool is None:
        return BUILT_IN
    return f"{context.pools_file} line {pool.line} (pool {pool.name}): the {column} column"


def _keep_vip(context: StackContext, pool: Pool | None, attribute: str) -> str:
    if pool is None:
        return "the pool is not in the site's pools file any more: deploy removes it"
    if attribute in _STICKY:
        return _where(context, pool, "STICKY") + " (seconds; 0 = no persistence)"
    if attribute == "ports":
        return _where(context, pool, "PORT")
    if attribute == "ip":
        if pool.pool_ip is None and context.plan is not None:
            return f"site file, pair {context.plan.pair.name}: service_vip (or service_vips: {pool.name})"
        return _where(context, pool, "POOL IP")
    return BUILT_IN


def _unset(context: StackContext, change: PlannedResourceChange, attribute: str) -> bool:
    from eas_lb.operations.plans.appliance_index import configured_address

    configured = context.configured.get(configured_address(change.address))
    return configured is not None and attribute not in configured


def _put_back(context: StackContext, unset: bool) -> str:
    if unset:
        return (
            "the code leaves this value unset, so a deploy keeps the appliance's value (and its "
            "reload makes it live): set it on the appliance again by hand"
        )
    return f"`{context.deploy}`"


def _finding(
    context: StackContext,
    change: PlannedResourceChange,
    subject: str,
    what: str,
    kind: Kind,
    keep: str,
    unset: bool = False,
) -> Finding:
    service = SERVICE_OF_TYPE.get(change.resource_type)
    return Finding(
        change.appliance.name,
        change.stack,
        subject,
        what,
        kind,
        service,
        _put_back(context, unset),
        keep,
        unset,
    )


def _pool_object(context: StackContext, change: PlannedResourceChange) -> list[Finding]:
    """A VIP or real server the refresh found changed or gone."""
    vip = change.resource_type in VIP_TYPES
    label = show(change.value("label" if vip else "vip"))
    pool = context.pool(label)
    statements = drift_statements(change)
    if change.action is Action.DELETE:
        keep = (
            f"delete the pool's row from {context.pools_file}"
            if vip and pool is not None
            else _where(context, pool, "SERVER IPS")
        )
        return [_finding(context, change, label, s.text, Kind.MISSING, keep) for s in statements]
    found = []
    # drift_statements words the changed attributes in the order of `change.attributes`.
    names = [item.name for item in change.attributes if item.name != "id"]
    for statement, attribute in zip(statements, names, strict=False):
        if not vip and attribute == "state":
            found.append(_server_state(change, label))
            continue
        unset = _unset(context, change, attribute)
        if vip:
            keep = _keep_vip(context, pool, attribute)
        else:
            keep = _where(context, pool, "SERVER IPS") if attribute == "ip" else BUILT_IN
        what = statement.text + (" (not set in the code)" if unset else "")
        found.append(_finding(context, change, label, what, Kind.CHANGED, keep, unset))
    return found


_STATE_WORDS = {
    "halt": "halted on the appliance: it takes no new connections",
    "drain": "draining on the appliance: it takes no new connections, except its persistent clients",
    "online": "online again on the appliance",
}


def _server_state(change: PlannedResourceChange, vip: str) -> Finding:
    """A real server halted or drained (or put online) outside the code."""
    rip = show(change.value("label"))
    item = change.changed("state")
    after = show(item.after) if item else "(unknown)"
    words = _STATE_WORDS.get(after, f"state {after} on the appliance")
    what = f"{server_name(change.value('ip'), change.value('label'))} {words}"
    return Finding(
        change.appliance.name,
        change.stack,
        vip,
        what,
        Kind.SERVER_STATE,
        SERVICE_OF_TYPE.get(change.resource_type),
        f"set its state in the WebUI (System Overview), or with the API action `online` (or `drain`, "
        f"`halt`) with vip {vip} and rip {rip}",
        "the site's files set no server state: the code leaves it as the appliance has it",
    )


def from_drift(context: StackContext, change: PlannedResourceChange) -> list[Finding]:
    """Findings of one resource the refresh found changed or gone."""
    kind = change.resource_type
    if kind == "lborg_commit":
        return []  # its `unmanaged` list is read from the refreshed state: see `not_managed`
    if kind in VIP_TYPES or kind in REAL_SERVER_TYPES:
        return _pool_object(context, change)
    if kind == "lborg_floating_ip":
        verb = "deleted" if change.action is Action.DELETE else "changed"
        what = f"floating IP {show(change.value('ip'))} {verb} on the appliance"
        pair = context.plan.pair.name if context.plan else "of this stack"
        keep = f"site file, pair {pair}: service_gateway (the service network's gateway the code manages)"
        kind_of = Kind.MISSING if change.action is Action.DELETE else Kind.CHANGED
        return [_finding(context, change, "floating IPs", what, kind_of, keep)]
    texts = [s.text for s in drift_statements(change)] or [f"{change.address} {change.action.value}"]
    kind_of = Kind.MISSING if change.action is Action.DELETE else Kind.CHANGED
    keep = f"the site file's entry for appliance {change.appliance.name} (its addresses, routes, domain)"
    return [_finding(context, change, "appliance settings", text, kind_of, keep) for text in texts]


_REMOVE_BY_HAND = (
    "a deploy does not remove what the code does not manage: delete it in the WebUI (Cluster "
    "Configuration > Layer 7 or Layer 4 Virtual Services) before the next reload"
)


def not_managed(context: StackContext, appliance: str, entry: str) -> Finding | None:
    """One entry of the commit's `unmanaged` list: what the next reload would activate. None for
    an attribute edited by hand that the configuration leaves unset: the refresh's drift names it
    already (marked "not set in the code")."""
    if UNSET_EDIT_ENDING.search(entry):
        return None
    if entry.startswith("VIP '"):
        label = entry[len("VIP '") : -1]
        pool = context.pool(label)
        keep = (
            f"add a row for it to {context.pools_file} and import it (README: 'You already have a "
            "configured pair')"
            if pool is None
            else f"{context.pools_file} line {pool.line} names it: deploy, then check the plan"
        )
        what = f"VIP {label} on the appliance"
        return Finding(
            appliance,
            context.stack,
            label,
            what,
            Kind.NOT_MANAGED,
            None,
            _REMOVE_BY_HAND,
            keep,
        )
    if entry.startswith("real server '"):
        vip, _, rip = entry[len("real server '") : -1].partition("/")
        pool = context.pool(vip)
        what = f"server {rip} in {vip} on the appliance"
        keep = _where(context, pool, "SERVER IPS") + " (add its address), then deploy"
        return Finding(
            appliance,
            context.stack,
            vip,
            what,
            Kind.NOT_MANAGED,
            None,
            _REMOVE_BY_HAND,
            keep,
        )
    service = entry.split(" ", 1)[0]
    return Finding(
        appliance,
        context.stack,
        "appliance settings",
        entry,
        Kind.NOT_MANAGED,
        service if service in SERVICE_OF_LAYER.values() or service == "heartbeat" else None,
        "undo it in the WebUI, or restore the last backup: `eas-lb restore --site SITE --from FILE "
        f"--appliance {appliance}`",
        BUILT_IN,
    )
