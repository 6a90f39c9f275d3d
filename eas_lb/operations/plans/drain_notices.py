"""Which EAS server drains on which VIPs, for how long: said before a deploy starts the drains.

A deploy drains a real server in two ways, and the operator needs the time of each before it
starts: a server removed from a pool drains before its delete, and the deploy waits for it before
the reload that removes it (`lborg_commit`); a server put in maintenance (`state: drain`) drains
without a reload, and the deploy does not wait: `eas-lb servers --wait-drained` does, before the
upgrade. Both come from the plan: the real servers it deletes (their `drain_seconds`, none when
halted, as `maintenance.drain_of` says) and those whose state it moves to `drain` (their
`drain_seconds`, the provider's default when unset). A real server whose VIP goes too, or that is
deleted and created again, does not drain: the reload ends it, or it stays.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, AttributeChange, PlannedResourceChange
from eas_lb.operations.plans.maintenance import REAL_SERVER_TYPES, VIP_TYPES, drain_of, state_change
from lborg_provider.model.server_states import DEFAULT_DRAIN_SECONDS


@dataclass(frozen=True)
class DrainNotice:
    """One EAS server address draining on one appliance's VIPs for `seconds`."""

    address: str
    appliance: str
    vips: tuple[str, ...]
    seconds: int
    #: True: removed, the deploy waits for the drain, then reloads; False: put in maintenance.
    removal: bool

    def sentence(self, start: float) -> str:
        """What happens and until when, the drain counted from `start` (seconds since the epoch)."""
        from lborg_support.countdown import clock_time

        where = f"{_vips(self.vips)} on {self.appliance}"
        until = clock_time(start + self.seconds)
        if self.removal:
            return (
                f"EAS {self.address} leaves {where} after a {self.seconds} s drain, until about {until}: "
                "the deploy waits for it, then reloads"
            )
        return (
            f"EAS {self.address} drains on {where} for {self.seconds} s, until about {until}: "
            "wait for it with `eas-lb servers --wait-drained` before the upgrade"
        )


def _vips(labels: Sequence[str]) -> str:
    count = f"{len(labels)} VIP" + ("" if len(labels) == 1 else "s")
    return f"{count} ({', '.join(labels)})"


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _seconds(change: PlannedResourceChange) -> int:
    value = change.value("drain_seconds")
    if isinstance(value, bool) or not isinstance(value, int | float):
        return DEFAULT_DRAIN_SECONDS
    return int(value)


def _ended_otherwise(changes: Sequence[PlannedResourceChange]) -> set[tuple[str, str, str]]:
    """(stack, VIP, address) of real servers whose VIP goes, or that are created again."""
    gone_vips = {
        (change.stack, _text(change.value("label")))
        for change in changes
        if change.resource_type in VIP_TYPES and change.action in (Action.DELETE, Action.REPLACE)
    }
    created = {
        (change.stack, _text(change.value("vip")), _text(change.value("ip")))
        for change in changes
        if change.resource_type in REAL_SERVER_TYPES and change.action is Action.CREATE
    }
    ended = set(created)
    for change in changes:
        key = (change.stack, _text(change.value("vip")), _text(change.value("ip")))
        if change.resource_type in REAL_SERVER_TYPES and key[:2] in gone_vips:
            ended.add(key)
    return ended


def drain_notices(changes: Iterable[PlannedResourceChange]) -> list[DrainNotice]:
    """Every drain the plan starts, one notice per EAS server, appliance, kind and drain time."""
    changes = list(changes)
    skip = _ended_otherwise(changes)
    found: dict[tuple[str, str, int, bool], set[str]] = defaultdict(set)
    for change in changes:
        if change.resource_type not in REAL_SERVER_TYPES or change.imported:
            continue
        address, vip = _text(change.value("ip")), _text(change.value("vip"))
        if (change.stack, vip, address) in skip:
            continue
        if change.action is Action.DELETE:
            seconds, removal = drain_of(change), True
        elif (moved := state_change(change)) is not None and moved[1] == "drain":
            seconds, removal = _seconds(change), False
        else:
            continue
        if seconds > 0:
            found[(address, change.appliance.name, seconds, removal)].add(vip)
    return [
        DrainNotice(address, appliance, tuple(sorted(vips)), seconds, removal)
        for (address, appliance, seconds, removal), vips in sorted(found.items())
    ]


Key = tuple[str, str, str]  # resource type, VIP label, EAS server address


def _alias(provider: object) -> str:
    """`lb1` from `lborg.lb1` (configuration) or `provider["…/lborg"].lb1` (state)."""
    text = provider if isinstance(provider, str) else ""
    return text.rsplit(".", 1)[-1] if "." in text else text


def _configured(config: Mapping[str, Any]) -> tuple[dict[Key, Mapping[str, Any]], set[str]]:
    """Real servers by key, and the VIP labels, of a synthesized stack (`cdk.tf.json`)."""
    resources = config.get("resource") or {}
    servers = {
        (kind, _text(body.get("vip")), _text(body.get("ip"))): body
        for kind in REAL_SERVER_TYPES
        for body in (resources.get(kind) or {}).values()
    }
    vips = {_text(body.get("label")) for kind in VIP_TYPES for body in (resources.get(kind) or {}).values()}
    return servers, vips


def _deployed(state: Mapping[str, Any]) -> tuple[dict[Key, Mapping[str, Any]], set[str]]:
    """Real servers by key, and the VIP labels, of a stack's Terraform state (`state pull`)."""
    servers: dict[Key, Mapping[str, Any]] = {}
    vips: set[str] = set()
    for resource in state.get("resources") or []:
        if resource.get("mode") != "managed":
            continue
        kind = resource.get("type")
        for instance in resource.get("instances") or []:
            values = {**(instance.get("attributes") or {}), "provider": resource.get("provider")}
            if kind in REAL_SERVER_TYPES:
                servers[(kind, _text(values.get("vip")), _text(values.get("ip")))] = values
            elif kind in VIP_TYPES:
                vips.add(_text(values.get("label")))
    return servers, vips


def planned_drains(stack: str, state: Mapping[str, Any], config: Mapping[str, Any]) -> list[DrainNotice]:
    """The drains an apply of the synthesized `config` over `state` starts, before any plan.

    What the plan would say of the real servers: those in the state and not in the configuration
    are deleted (a VIP that goes too ends its servers without a drain), those whose `state` moves
    are updated. A plain deploy plans inside `cdktf deploy`, so this is how it says the drains
    before the apply starts them."""
    after, vips_after = _configured(config)
    before, vips_before = _deployed(state)
    changes = []
    for key, values in before.items():
        wanted = after.get(key)
        if wanted is not None and _text(wanted.get("state")) == _text(values.get("state")):
            continue
        action = Action.DELETE if wanted is None else Action.UPDATE
        appliance = PlannedAppliance(_alias(values.get("provider")), None, "")
        changes.append(_change(stack, key, appliance, action, values, wanted or {}))
    nowhere = PlannedAppliance("", None, "")
    for label in vips_before - vips_after:
        key = ("lborg_layer7_vip", label, "")
        changes.append(_change(stack, key, nowhere, Action.DELETE, {"label": label}, {}))
    return drain_notices(changes)


# Parameters alike fetch_pools.py's _compare_with_local in shape only; the two share no logic.
def _change(
    stack: str,
    key: Key,
    appliance: PlannedAppliance,
    action: Action,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> PlannedResourceChange:
    after = {"state": "online", **after} if action is Action.UPDATE else after
    before = {"state": "online", **before} if before.get("state") in (None, "") else before
    attributes = tuple(
        AttributeChange(name, before.get(name), after.get(name))
        for name in ("state", "drain_seconds")
        if action is Action.UPDATE and before.get(name) != after.get(name)
    )
    address = f"{key[0]}.{key[1]}/{key[2]}"
    return PlannedResourceChange(stack, address, key[0], appliance, action, before, after, attributes, ())
