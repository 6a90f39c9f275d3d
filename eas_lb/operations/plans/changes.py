"""The typed change model: what a plan does to which resource on which appliance.

Secrets are masked here, at the border: values Terraform marks sensitive (``before_sensitive`` /
``after_sensitive``) are replaced by :data:`SENSITIVE` before anything else sees them, so no later
step can print them. Whether a masked attribute changed is decided on the raw values first and
kept as a flag, so "password changed" can still be reported without the password.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

from eas_lb.operations.plans import plan_json
from eas_lb.operations.plans.appliance_index import ApplianceIndex, PlannedAppliance


class Hidden(Enum):
    """A value the review must not or cannot show."""

    SENSITIVE = "(sensitive)"
    UNKNOWN = "(known after apply)"

    def __str__(self) -> str:
        return self.value


SENSITIVE = Hidden.SENSITIVE
UNKNOWN = Hidden.UNKNOWN


class Action(Enum):
    """What Terraform will do to one resource; replace is one action here, as reviewers see it."""

    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    READ = "read"
    FORGET = "forget"
    NOOP = "no-op"


_ACTIONS: dict[tuple[str, ...], Action] = {
    ("no-op",): Action.NOOP,
    ("create",): Action.CREATE,
    ("read",): Action.READ,
    ("update",): Action.UPDATE,
    ("delete", "create"): Action.REPLACE,
    ("create", "delete"): Action.REPLACE,
    ("delete",): Action.DELETE,
    ("forget",): Action.FORGET,
}


# A frozen record alike preview.py's AttributeDifference and saved_plans.py's ReviewedStack; other meaning.
@dataclass(frozen=True)
class AttributeChange:
    """One top-level attribute whose value differs (values already masked)."""

    name: str
    before: Any
    after: Any


@dataclass(frozen=True)
class PlannedResourceChange:
    """One resource's planned (or drifted) change, with masked values."""

    stack: str
    address: str
    resource_type: str
    appliance: PlannedAppliance
    action: Action
    before: Mapping[str, Any]
    after: Mapping[str, Any]
    attributes: tuple[AttributeChange, ...]
    replace_because: tuple[str, ...]
    #: Imported by this plan (an object made by hand that `adopt` brought under code): the review
    #: says "adopted", and its attribute changes are from the hand-made value to the code's.
    imported: bool = False

    def value(self, name: str) -> Any:
        """The attribute as it will be (or was, for a deletion)."""
        after = self.after.get(name)
        if self.action is Action.DELETE or after is None or after is UNKNOWN:
            return self.before.get(name, after)
        return after

    def changed(self, name: str) -> AttributeChange | None:
        """The change of one attribute, or None when it keeps its value."""
        return next((change for change in self.attributes if change.name == name), None)


@dataclass(frozen=True)
class StackPlan:
    """Everything one stack's plan says, in the review's terms."""

    name: str
    appliances: tuple[PlannedAppliance, ...]
    changes: tuple[PlannedResourceChange, ...]
    drift: tuple[PlannedResourceChange, ...]
    #: Labels of the stack's VIPs with persistence, whether the plan changes them or not: a real
    #: server deleted without a drain is a risk on those (see `plans.maintenance`).
    sticky_vips: frozenset[str] = frozenset()
    #: (VIP label, address) of every real server once the plan is applied, unchanged ones too:
    #: an added address no other pool uses may be a typo (see `plans.maintenance`).
    servers: frozenset[tuple[str, str]] = frozenset()


def _sticky_vips(entries: list[plan_json.PlanJsonResourceChange]) -> frozenset[str]:
    """VIPs with persistence among every entry (no-op ones too), as they are after the plan."""
    sticky = set()
    for entry in entries:
        values = entry.change.after if isinstance(entry.change.after, dict) else entry.change.before
        if entry.mode != "managed" or not isinstance(values, dict):
            continue
        if entry.type == "lborg_layer7_vip":
            is_sticky = values.get("persistence") not in (None, "", "none")
        elif entry.type == "lborg_layer4_vip":
            is_sticky = values.get("persistent") is True
        else:
            continue
        if is_sticky and isinstance(values.get("label"), str):
            sticky.add(values["label"])
    return frozenset(sticky)


def _servers(entries: list[plan_json.PlanJsonResourceChange]) -> frozenset[tuple[str, str]]:
    """(VIP label, address) of every real server that stays or comes (no-op entries too)."""
    found = set()
    for entry in entries:
        values = entry.change.after
        if entry.mode != "managed" or not entry.type.endswith("_real_server") or not isinstance(values, dict):
            continue  # a deleted server has no `after`
        if isinstance(values.get("vip"), str) and isinstance(values.get("ip"), str):
            found.add((values["vip"], values["ip"]))
    return frozenset(found)


def mask(value: Any, sensitive: Any, unknown: Any = None) -> Any:
    """Copy ``value`` with sensitive parts replaced by SENSITIVE and unknown ones by UNKNOWN.

    The markers mirror the value's shape: ``true`` marks the whole subtree, objects and lists
    mark their members (Terraform's documented encoding).
    """
    if sensitive is True:
        return SENSITIVE
    if unknown is True:
        return UNKNOWN
    if isinstance(value, dict):
        return {
            key: mask(item, _member(sensitive, key), _member(unknown, key)) for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            mask(item, _member(sensitive, index), _member(unknown, index)) for index, item in enumerate(value)
        ]
    return value


def _member(marker: Any, key: str | int) -> Any:
    """The marker of one member of an object or list marker (absent means not marked)."""
    if isinstance(marker, dict) and isinstance(key, str):
        return marker.get(key)
    if isinstance(marker, list) and isinstance(key, int) and key < len(marker):
        return marker[key]
    return None


def _unknown_keys(unknown: Any) -> set[str]:
    """Top-level attributes that are unknown, in whole or in part, until apply."""
    if not isinstance(unknown, dict):
        return set()
    return {key for key, marker in unknown.items() if marker is True or (marker and marker != {})}


def _attribute_changes(change: plan_json.PlanJsonChange, action: Action) -> tuple[AttributeChange, ...]:
    """Compare raw values first (so masked changes still count), then keep only masked ones."""
    raw_before = change.before if isinstance(change.before, dict) else {}
    raw_after = change.after if isinstance(change.after, dict) else {}
    before = mask(raw_before, change.before_sensitive)
    after = mask(raw_after, change.after_sensitive, change.after_unknown)
    unknown = _unknown_keys(change.after_unknown)
    names = sorted(set(raw_before) | set(raw_after) | unknown)
    result = []
    for name in names:
        if action is Action.DELETE:
            if raw_before.get(name) is None:
                continue
            result.append(AttributeChange(name, before.get(name), None))
            continue
        old, new = raw_before.get(name), raw_after.get(name)
        if name in unknown:
            if action is Action.CREATE and name == "id":
                continue
            result.append(AttributeChange(name, before.get(name), after.get(name, UNKNOWN)))
        elif old != new:
            result.append(AttributeChange(name, before.get(name), after.get(name)))
    return tuple(result)


def _resource_change(
    stack: str, entry: plan_json.PlanJsonResourceChange, appliance: PlannedAppliance
) -> PlannedResourceChange:
    action = _ACTIONS.get(tuple(entry.change.actions))
    if action is None:
        raise plan_json.PlanFormatError(
            f"stack {stack}: resource {entry.address}: unknown action list {entry.change.actions}"
        )
    change = entry.change
    before = mask(change.before, change.before_sensitive) if isinstance(change.before, dict) else {}
    after = (
        mask(change.after, change.after_sensitive, change.after_unknown)
        if isinstance(change.after, dict)
        else {}
    )
    if isinstance(change.after_unknown, dict):
        after = {**{key: UNKNOWN for key in _unknown_keys(change.after_unknown) if key not in after}, **after}
    replace_because = tuple(sorted({str(path[0]) for path in change.replace_paths or [] if path}))
    return PlannedResourceChange(
        stack=stack,
        address=entry.address,
        resource_type=entry.type,
        appliance=appliance,
        action=action,
        before=before,
        after=after,
        attributes=_attribute_changes(change, action),
        replace_because=replace_because,
        imported=change.importing is not None,
    )


def stack_plan(name: str, plan: plan_json.Plan) -> StackPlan:
    """Build the change model of one stack's plan (managed resources only, sorted by address)."""
    index = ApplianceIndex(plan)

    def build(entries: list[plan_json.PlanJsonResourceChange]) -> tuple[PlannedResourceChange, ...]:
        result = []
        for entry in entries:
            if entry.mode != "managed":
                continue
            change = _resource_change(name, entry, index.appliance_of(entry))
            if change.action is not Action.NOOP or change.imported:
                result.append(change)
        return tuple(sorted(result, key=lambda change: change.address))

    return StackPlan(
        name=name,
        appliances=index.appliances,
        changes=build(plan.resource_changes),
        drift=build(plan.resource_drift),
        sticky_vips=_sticky_vips(plan.resource_changes),
        servers=_servers(plan.resource_changes),
    )
