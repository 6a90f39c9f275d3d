"""EAS servers in plan review: maintenance, back online, removal after a drain, hand-made drains.

A reviewer upgrading an EAS server thinks of the server, not of its real servers: "EAS eas-3
(10.225.37.231, 192.168.85.61) in maintenance (drain) on 5 + 2 VIPs" (Layer 7 + Layer 4; a server
the site file names in `eas_servers:` is one line with all its addresses, an address no name
covers is its own), "EAS 10.225.37.116 removed from MGMT_HTTPS-443 after a 300 s drain". This
module reads the real-server changes of every stack (their `state` and `drain_seconds`) and says
that, once per EAS server; the per-pool sections keep one line per
real server (`real_server_text`). Servers added are listed too, and an added address that no
other pool uses is flagged: a typo of a real server's address looks exactly like that. It also
finds the risks of such changes:
- a real server deleted on Layer 4 loses the connections still open when it leaves: the kernel
  drops them (IPVS `expire_nodest_conn` 0), after its drain when it has one, at once without;
- a real server deleted without a drain (`drain_seconds` 0; unset is the provider's default
  drain) on Layer 7 leaves at once: nothing waits for its connections to end, and on a sticky
  pool its persistent clients move at once; a halted one has nothing to drain;
- `halt` on a Layer 4 VIP drops the server's established connections;
- a state someone set on the appliance by hand (a drain in the WebUI, found as drift) that this
  apply would put back: said as a change, never undone silently.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eas_lb.operations.plans.changes import Action, PlannedResourceChange
from lborg_provider.model.server_states import DEFAULT_DRAIN_SECONDS

REAL_SERVER_TYPES = frozenset({"lborg_layer7_real_server", "lborg_layer4_real_server"})
VIP_TYPES = frozenset({"lborg_layer7_vip", "lborg_layer4_vip"})
ONLINE = "online"
#: Real-server attributes that change nothing the appliance reloads: a state is set with the
#: lbcli action of its name at once, a drain time is Terraform's own.
RUNTIME_ATTRIBUTES = frozenset({"state", "drain_seconds"})


@dataclass(frozen=True)
class ServerRisk:
    """A risk found in the EAS servers' changes; `outside` marks the repair of a hand-made state."""

    stack: str
    appliance: str
    subject: str
    reason: str
    outside: bool = False


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _seconds(value: Any) -> int | None:
    """`drain_seconds` as a whole number; None when unset or not known until apply."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(value)


def _state(values: Mapping[str, Any]) -> str:
    """A real server's state; a state from before the provider had one is `online`."""
    return _text(values.get("state")) or ONLINE


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def runtime_only(change: PlannedResourceChange) -> bool:
    """A real-server update that changes only its state or drain time: no reload follows."""
    return (
        change.resource_type in REAL_SERVER_TYPES
        and change.action is Action.UPDATE
        and bool(change.attributes)
        and all(item.name in RUNTIME_ATTRIBUTES for item in change.attributes)
    )


def _gone_vips(changes: Sequence[PlannedResourceChange]) -> set[tuple[str, str]]:
    """(stack, label) of VIPs deleted or re-created: their real servers go with them, and the
    VIP's own line says so (a drain of its servers would not keep its connections)."""
    return {
        (change.stack, _text(change.value("label")))
        for change in changes
        if change.resource_type in VIP_TYPES and change.action in (Action.DELETE, Action.REPLACE)
    }


def _recreated(changes: Sequence[PlannedResourceChange]) -> set[tuple[str, str, str]]:
    """(stack, VIP, address) deleted and created again in one plan: not a removal (risks.py flags
    it on its own)."""
    created = {
        (change.stack, _text(change.value("vip")), _text(change.value("ip")))
        for change in changes
        if change.resource_type in REAL_SERVER_TYPES and change.action is Action.CREATE
    }
    return {
        key
        for change in changes
        if change.resource_type in REAL_SERVER_TYPES and change.action is Action.DELETE
        for key in [(change.stack, _text(change.value("vip")), _text(change.value("ip")))]
        if key in created
    }


def drain_of(change: PlannedResourceChange) -> int:
    """Seconds a deleted real server drains before its delete: its `drain_seconds`, the
    provider's default when unset (also for a state written before drains existed), none when it
    was halted (nothing left to drain, as the provider does)."""
    if _state(change.before) == "halt":
        return 0
    seconds = _seconds(change.before.get("drain_seconds"))
    return DEFAULT_DRAIN_SECONDS if seconds is None else seconds


def _how_removed(change: PlannedResourceChange) -> str:
    if _state(change.before) == "halt":
        return "(it was halted: nothing to drain)"
    seconds = drain_of(change)
    if change.resource_type == "lborg_layer4_real_server":
        if seconds:
            return f"after a {seconds} s drain (Layer 4: the connections still open then are cut)"
        return "at once, without a drain (Layer 4: its established connections are cut)"
    return f"after a {seconds} s drain" if seconds else "at once, without a drain"


def state_change(change: PlannedResourceChange) -> tuple[str, str] | None:
    """(before, after) of a real server's state when this change moves it, else None."""
    if change.resource_type not in REAL_SERVER_TYPES or change.action is not Action.UPDATE:
        return None
    before, after = _state(change.before), _state(change.after)
    return (before, after) if before != after else None


def real_server_text(change: PlannedResourceChange, named: str = "") -> str | None:
    """The per-pool line of a real server whose state moves, else None; `named` is the label as
    the pool lines show it (` (label EAS_SSS-1)`, or nothing). A removal keeps the usual line: how
    long it drains is said once per EAS server (`summary_lines`), which knows whether its VIP goes
    too (then the reload ends it without a drain)."""
    if change.resource_type not in REAL_SERVER_TYPES or change.imported:
        return None
    pool, address = _text(change.value("vip")), _text(change.value("ip"))
    moved = state_change(change)
    if moved is None:
        return None
    others = [item.name for item in change.attributes if item.name not in RUNTIME_ATTRIBUTES]
    if others:
        return None  # other attributes change too: the generic line lists them all
    before, after = moved
    if after == ONLINE:
        return f"EAS {address}{named} back online in {pool} (was {before})"
    return f"EAS {address}{named} in maintenance ({after}) in {pool}"


def _added(
    changes: Sequence[PlannedResourceChange], drift: Sequence[PlannedResourceChange]
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Address → the pools (VIP labels) this plan adds it to, and → those it puts back after a
    delete outside Terraform (found as drift); not one deleted and created again."""
    again = _recreated(changes)
    gone = {(item.stack, item.address) for item in drift if item.action is Action.DELETE}
    added: dict[str, set[str]] = defaultdict(set)
    restored: dict[str, set[str]] = defaultdict(set)
    for change in changes:
        if (
            change.resource_type not in REAL_SERVER_TYPES
            or change.imported
            or change.action is not Action.CREATE
        ):
            continue
        address, pool = _text(change.value("ip")), _text(change.value("vip"))
        if (change.stack, change.address) in gone:
            restored[address].add(pool)
        elif (change.stack, pool, address) not in again:
            added[address].add(pool)
    return added, restored


def _added_lines(
    added: Mapping[str, set[str]], restored: Mapping[str, set[str]], in_use: Mapping[str, frozenset[str]]
) -> list[str]:
    """ "EAS 10.225.37.62 added to MGMT_HTTPS-443", flagged when no other pool uses the address."""
    lines = []
    for address in sorted(added, key=_address_key):
        pools = added[address]
        others = set(in_use.get(address, frozenset())) - pools
        flag = (
            f" ⚠ no other pool uses {address}: check that it is not a typo of a real server's address"
            if len(pools) == 1 and not others
            else ""
        )
        lines.append(f"EAS {address} added to {', '.join(sorted(pools))}{flag}")
    for address in sorted(restored, key=_address_key):
        where = ", ".join(sorted(restored[address]))
        lines.append(f"EAS {address} put back in {where} (it was deleted outside Terraform)")
    return lines


def vip_count(where: set[tuple[str, str, str]]) -> str:
    """`5 + 2 VIPs` for (stack, VIP, layer) on both layers (Layer 7 + Layer 4), else `5 VIPs`."""
    layer7 = sum(1 for *_, layer in where if layer == "7")
    if layer7 and layer7 < len(where):
        return f"{layer7} + {len(where) - layer7} VIPs"
    return _plural(len(where), "VIP")


def _layer(change: PlannedResourceChange) -> str:
    return "4" if change.resource_type == "lborg_layer4_real_server" else "7"


def summary_lines(
    changes: Sequence[PlannedResourceChange],
    drift: Sequence[PlannedResourceChange],
    servers: Mapping[str, frozenset[str]] | None = None,
    names: Mapping[str, str] | None = None,
) -> list[str]:
    """One line per EAS server and what happens to it, over every stack and appliance.

    `servers`: address → every pool that uses it once the plan is applied (no-op resources too);
    an added address no other pool uses is flagged. Without it, only this plan's own additions
    are known, so an address added to one pool is flagged. `names`: address → the server's title
    (`eas-3 (10.225.37.231, 192.168.85.61)`) for the servers the site file names: their state
    changes are one line per server."""
    in_use = dict(servers or {})
    titles = dict(names or {})
    moved: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    removed: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    gone, again = _gone_vips(changes), _recreated(changes)
    for change in changes:
        if change.resource_type not in REAL_SERVER_TYPES or change.imported:
            continue
        address, pool = _text(change.value("ip")), _text(change.value("vip"))
        if change.action is Action.DELETE:
            if (change.stack, pool) not in gone and (change.stack, pool, address) not in again:
                removed[address][_how_removed(change)].add(pool)
            continue
        found = state_change(change)
        if found is not None:
            moved[(titles.get(address, address), found[1])].add((change.stack, pool, _layer(change)))
    added, restored = _added(changes, drift)
    state_moves = {(change.stack, change.address) for change in changes if state_change(change)}
    hand_made = {
        (_text(item.value("ip")), _state(item.after), item.stack, _text(item.value("vip")))
        for item in drift
        if item.resource_type in REAL_SERVER_TYPES
        and _state(item.before) != _state(item.after)
        and (item.stack, item.address) in state_moves
    }
    lines = []
    for (server, state), where in sorted(moved.items(), key=lambda item: _address_key(item[0][0])):
        count = vip_count(where)
        labels = ", ".join(sorted({pool for _, pool, _ in where}))
        if state == ONLINE:
            lines.append(f"EAS {server} back online on {count} ({labels})")
        else:
            lines.append(f"EAS {server} in maintenance ({state}) on {count} ({labels})")
    lines += _added_lines(added, restored, in_use)
    for address in sorted(removed, key=_address_key):
        for how, pools in sorted(removed[address].items()):
            lines.append(f"EAS {address} removed from {', '.join(sorted(pools))} {how}")
    for address, state, stack, pool in sorted(hand_made, key=lambda item: (_address_key(item[0]), item[2:])):
        lines.append(
            f"EAS {address} was set to {state} on {pool} outside Terraform (WebUI or API; stack "
            f"{stack}): this apply puts back the site file's state; to keep it, list the server "
            "under maintenance: in the site file"
        )
    return lines


def risks(
    changes: Sequence[PlannedResourceChange],
    drift: Sequence[PlannedResourceChange],
    sticky: frozenset[tuple[str, str]],
) -> list[ServerRisk]:
    """Removals without a drain, halts on Layer 4, and hand-made states this apply undoes.

    `sticky` holds (stack, VIP label) of every VIP with persistence.
    """
    found = []
    repaired = {(item.stack, item.address) for item in drift if _state(item.before) != _state(item.after)}
    gone, again = _gone_vips(changes), _recreated(changes)
    for change in changes:
        if change.resource_type not in REAL_SERVER_TYPES or change.imported:
            continue
        key = (change.stack, _text(change.value("vip")), _text(change.value("ip")))
        if key[:2] in gone or key in again:
            continue
        layer4 = change.resource_type == "lborg_layer4_real_server"
        pool, address = _text(change.value("vip")), _text(change.value("ip"))
        subject = f"EAS {address} in {pool}"
        where = (change.stack, change.appliance.name)
        if change.action is Action.DELETE:
            reason = _removal_risk(change, (change.stack, pool) in sticky)
            if reason is not None:
                found.append(ServerRisk(*where, subject, reason))
            continue
        moved = state_change(change)
        if moved is None:
            continue
        if (change.stack, change.address) in repaired:
            reason = f"set to {moved[0]} outside Terraform; this apply puts it back to {moved[1]}"
            found.append(ServerRisk(*where, subject, reason, outside=True))
        elif moved[1] == "halt" and layer4:
            found.append(ServerRisk(*where, subject, "halted: IPVS drops its established connections"))
    return found


def _removal_risk(change: PlannedResourceChange, sticky: bool) -> str | None:
    """Why a real server's delete interrupts sessions, or None: on Layer 4 the connections still
    open when it leaves are cut (IPVS), after its drain or at once; without a drain nothing waits
    for its connections, and a sticky pool's clients move at once. A halted server has none left."""
    if _state(change.before) == "halt":
        return None
    seconds = drain_of(change)
    layer4 = change.resource_type == "lborg_layer4_real_server"
    if seconds:
        if not layer4:
            return None
        return (
            f"removed after a {seconds} s drain: IPVS then drops the connections still open to it "
            "(Layer 4 keeps none of a deleted real server's)"
        )
    reasons = ["its sticky clients are moved at once"] if sticky else []
    if layer4:
        reasons.append("IPVS drops its established connections")
    elif not sticky:
        reasons.append("nothing waits for its established connections to end")
    return "removed without a drain: " + " and ".join(reasons) + " (set drain: in the site file)"


def _address_key(address: str) -> tuple[int, tuple[int, ...], str]:
    """Addresses in numeric order (IPv4 before IPv6), anything else after them by text."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return (2, (), address)
    return (parsed.version // 6, tuple(parsed.packed), address)
