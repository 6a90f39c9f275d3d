"""What drifted, one finding per object and appliance, each with its two ways out.

A finding says, in pool terms, what differs between an appliance and the last deploy (the
Terraform state), or what the appliance has that the code does not manage; which service's reload
makes it live; and the two ways out: deploy to put the code's value back (the exact command), or
the site file's key that keeps the new value. pools.txt is the EAS's own file, taken as the EAS
gives it (`fetch-pools`), so a value that comes from it is never "kept" by editing it: where no key
of the site file can hold the value (a pools.txt column, the deployment guide's built-in values),
it says so instead of inventing one. No advice deletes what the code declares: an object the code
names that is missing from the state is the code's (an interrupted apply, a lost state), not a
stranger to remove.

The sentences come from `eas_lb.operations.pool_terms` (the words verify and plan review use) and
`eas_lb.operations.plans.wording.drift_statements`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
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

    # Alike lborg_simulator/haproxy_render.py's VipStatus.as_json in shape; eas_lb never imports it.
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
    #: The site file as given on the command line, for the commands the advice spells out.
    site_arg: str = "site.yaml"
    #: EAS server address → the state the site file's `maintenance:` gives it (absent: online).
    maintenance: Mapping[str, str] = field(default_factory=dict)
    #: Appliance → its newest lb_config.xml copy (the site's `backup:` folder), when there is one.
    backups: Mapping[str, Path] = field(default_factory=dict)
    #: Why there is no copy to restore (no `backup:` section, or none taken yet).
    no_backup: str = "the site file has no backup: section, so no copy of lb_config.xml was taken"
    #: EAS server address → its name in the site file's `eas_servers:`: advice names the server,
    #: so the maintenance entry it suggests covers every address (both layers).
    names: Mapping[str, str] = field(default_factory=dict)

    def pool(self, label: str) -> Pool | None:
        if self.plan is None:
            return None
        return next((pool for pool in self.plan.pools.pools if pool.label == label), None)


def _where(context: StackContext, pool: Pool | None, column: str) -> str:
    """A value from pools.txt: no site-file key keeps another one (the EAS's file is not edited)."""
    if pool is None:
        return BUILT_IN
    return (
        f"not possible in the site file: it is the {column} column of pool {pool.name} in the EAS's "
        f"pools.txt ({context.pools_file} line {pool.line}), the EAS's own file, which the site takes "
        "as the EAS gives it"
    )


def _keep_vip(context: StackContext, pool: Pool | None, attribute: str) -> str:
    if pool is None:
        return "the pool is not in the site's pools file any more: deploy removes it"
    if attribute in _STICKY:
        return _where(context, pool, "STICKY")
    if attribute == "ports":
        return _where(context, pool, "PORT")
    if attribute == "ip":
        if pool.pool_ip is None and context.plan is not None:
            return (
                f"site file, pair {context.plan.pair.name}: service_vips: {{{pool.name}: ADDRESS}} "
                "(or service_vip, for every service pool)"
            )
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
        keep = _keep_vip_gone(context, pool) if vip else _keep_server_gone(context, pool)
        return [_finding(context, change, label, s.text, Kind.MISSING, keep) for s in statements]
    found = []
    # drift_statements words the changed attributes in the order of `change.attributes`.
    names = [item.name for item in change.attributes if item.name != "id"]
    for statement, attribute in zip(statements, names, strict=False):
        if not vip and attribute == "state":
            found.append(_server_state(context, change, label))
            continue
        unset = _unset(context, change, attribute)
        if vip:
            keep = _keep_vip(context, pool, attribute)
        else:
            keep = _where(context, pool, "SERVER IPS") if attribute == "ip" else BUILT_IN
        what = statement.text + (" (not set in the code)" if unset else "")
        found.append(_finding(context, change, label, what, Kind.CHANGED, keep, unset))
    return found


def _keep_vip_gone(context: StackContext, pool: Pool | None) -> str:
    if pool is None:
        return "the pool is not in the site's pools file any more: nothing to keep, a deploy forgets it"
    return (
        f"not possible in the site file: pool {pool.name} is a row of the EAS's pools.txt "
        f"({context.pools_file} line {pool.line}), the EAS's own file; a deploy creates the VIP again"
    )


def _keep_server_gone(context: StackContext, pool: Pool | None) -> str:
    return (
        _where(context, pool, "SERVER IPS")
        + "; to keep an EAS server out of service, list it under maintenance: in the site file "
        "(drain or halt), and a deploy keeps it so"
    )


_STATE_WORDS = {
    "halt": "halted on the appliance: it takes no new connections",
    "drain": "draining on the appliance: it takes no new connections, except its persistent clients",
    "online": "online on the appliance",
}


def _server_state(context: StackContext, change: PlannedResourceChange, vip: str) -> Finding:
    """A real server halted, drained or put online outside the code. The next deploy, for any
    change, sets every server to the state the site file gives it (`maintenance:`, else online),
    as plan review says: an upgrade in progress gets its server back in service unless the site
    file lists it."""
    item = change.changed("state")
    after = show(item.after) if item else "(unknown)"
    address = show(change.value("ip"))
    words = _STATE_WORDS.get(after, f"state {after} on the appliance")
    code = context.maintenance.get(address) or (show(item.before) if item and item.before else "online")
    what = (
        f"{server_name(change.value('ip'), change.value('label'))} {words}; "
        f"the next deploy, for any change, puts it back {_state_phrase(code)}"
    )
    named = context.names.get(address)
    if after in ("drain", "halt"):
        reach = "on every VIP that uses it"
        if named:
            reach = f"EAS server {named}: each of its addresses, every VIP"
        keep = (
            f"site file: maintenance: [{{server: {named or address}, state: {after}}}] ({reach}) before "
            "the next deploy, which otherwise puts it back online"
        )
    else:
        listed = f"{named} (or {address})" if named else address
        keep = f"site file: remove {listed} from maintenance: (it is listed there as {code})"
    return Finding(
        change.appliance.name,
        change.stack,
        vip,
        what,
        Kind.SERVER_STATE,
        SERVICE_OF_TYPE.get(change.resource_type),
        f"`{context.deploy}`",
        keep,
    )


def _state_phrase(state: str) -> str:
    if state == "online":
        return "online"
    return f"in maintenance ({state}, as the site file's maintenance: says)"


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
    "a deploy does not remove what the code does not manage, and its reload makes it live: if it "
    "should not serve, delete it in the WebUI (Cluster Configuration > Layer 7 or Layer 4 Virtual "
    "Services) before the next reload"
)


def _declared(context: StackContext, what: str) -> str:
    """The way back for an object the code declares that the state does not hold: never a delete."""
    return (
        f"do not delete it: the code declares {what} (it may carry traffic). An apply of this "
        "configuration that was interrupted made it: the next deploy takes it over. Made by hand: "
        f"`eas-lb adopt --site {context.site_arg}` records it for import, then deploy"
    )


def _unmanaged_vip(context: StackContext, appliance: str, label: str) -> Finding:
    pool = context.pool(label)
    if pool is None:
        put_back = _REMOVE_BY_HAND
        keep = (
            f"not possible in the site file: the site's pools are the EAS's pools.txt, which has no pool "
            f"{label}; left alone it stays outside the code"
        )
    else:
        put_back = _declared(context, f"pool {pool.name} ({context.pools_file} line {pool.line})")
        keep = "nothing to change: the code declares it already"
    what = f"VIP {label} on the appliance"
    return Finding(appliance, context.stack, label, what, Kind.NOT_MANAGED, None, put_back, keep)


def _unmanaged_server(context: StackContext, appliance: str, vip: str, rip: str) -> Finding:
    pool = context.pool(vip)
    address = rip.removeprefix("EAS_SSS-")
    named = pool is not None and rip != address and address in {str(server) for server in pool.servers}
    what = f"server {rip} in {vip} on the appliance"
    if named:
        put_back = _declared(context, f"EAS {address} in pool {vip}")
        keep = "nothing to change: the code declares it already"
    else:
        put_back = _REMOVE_BY_HAND
        keep = _where(context, pool, "SERVER IPS")
    return Finding(appliance, context.stack, vip, what, Kind.NOT_MANAGED, None, put_back, keep)


def _restore(context: StackContext, appliance: str) -> str:
    """Undo an edit no managed attribute explains: by hand, or the newest copy, as a full command."""
    copy = context.backups.get(appliance)
    if copy is None:
        return f"undo it in the WebUI ({context.no_backup})"
    return (
        "undo it in the WebUI, or put back the newest copy of lb_config.xml, taken before the last "
        f"deploy: `eas-lb restore --site {context.site_arg} --from {copy} --appliance "
        f"{appliance}`, then `{context.deploy}` (the copy predates that deploy's changes)"
    )


#: Where the heartbeat settings (UDP port, heartbeat addresses) are set on the appliance: the
#: deployment guide's HA page. A deploy does not put them back: no managed attribute covers them.
_HEARTBEAT_BY_HAND = (
    "set it back in the WebUI (Cluster Configuration > High-Availability Configuration) before the "
    "next reload: a deploy does not put it back, and its heartbeat reload would make it live"
)


def not_managed(context: StackContext, appliance: str, entry: str) -> Finding | None:
    """One entry of the commit's `unmanaged` list: what the next reload would activate. None for
    an attribute edited by hand that the configuration leaves unset: the refresh's drift names it
    already (marked "not set in the code"); None for a floating IP, which the appliance reads
    name with the WebUI step that removes it."""
    if UNSET_EDIT_ENDING.search(entry) or entry.startswith("floating IP "):
        return None
    if entry.startswith("VIP '"):
        return _unmanaged_vip(context, appliance, entry[len("VIP '") : -1])
    if entry.startswith("real server '"):
        vip, _, rip = entry[len("real server '") : -1].partition("/")
        return _unmanaged_server(context, appliance, vip, rip)
    service = entry.split(" ", 1)[0]
    return Finding(
        appliance,
        context.stack,
        "appliance settings",
        entry,
        Kind.NOT_MANAGED,
        service if service in SERVICE_OF_LAYER.values() or service == "heartbeat" else None,
        _HEARTBEAT_BY_HAND if service == "heartbeat" else _restore(context, appliance),
        BUILT_IN,
    )
