"""How many appliance actions an apply of the plan runs: "about N appliance actions" in the review.

On an appliance every lbcli action is a process of its own, so the number of actions, not of API
requests, bounds how long an apply takes there. The count follows what `lborg_provider` sends for
each planned change (its resources' create, update and delete):

- a VIP: `add-vip` then `edit-vip` for a create (the vendor documents only the address, ports
  and mode or protocol on `add-vip`), `edit-vip` for an update, `delete-vip` for a delete;
- a real server: `add-rip` (and its `drain` or `halt` when the state is not online) for a
  create, `edit-rip` and a state action for an update, `delete-rip` for a delete, after a `drain`
  when it drains before removal (`drain_seconds` unset or above 0, not halted) and its VIP stays
  (one whose VIP the plan deletes too is not drained: the reload ends the VIP);
- a floating IP, an interface address, a route, a host name, an HA pair: one action to create or
  change, one to delete (none for a host name or an HA pair, which the API cannot undo);
- `lborg_commit`: one reload per service the review says it reloads.

It is an estimate ("about"): a create that finds its object already there, or an apply that
stops half way, sends other actions. Reads (`list dumpconfig`, `nodestatus`) are not actions.
"""

from __future__ import annotations

from eas_lb.operations.plans.changes import Action, PlannedResourceChange

_VIPS = frozenset({"lborg_layer7_vip", "lborg_layer4_vip"})
_REAL_SERVERS = frozenset({"lborg_layer7_real_server", "lborg_layer4_real_server"})
#: One action to create or change; the number of actions a delete sends.
_ONE_ACTION: dict[str, int] = {
    "lborg_floating_ip": 1,
    "lborg_interface_address": 1,
    "lborg_route": 1,
    "lborg_hostname": 0,
    "lborg_ha_pair": 0,
}
#: Real-server attributes that are not edited with `edit-rip`.
_NOT_EDITED = frozenset({"state", "drain_seconds", "id"})


def appliance_actions(changes: tuple[PlannedResourceChange, ...], reloads: int) -> int:
    """Actions an apply of `changes` sends to the appliances, `reloads` (service reloads) included."""
    gone = _deleted_vips(changes)
    return reloads + sum(_actions(change, gone) for change in changes)


def _deleted_vips(changes: tuple[PlannedResourceChange, ...]) -> frozenset[tuple[str, str, str]]:
    """(stack, VIP type, label) of every VIP the plan deletes (a replacement is not a delete)."""
    return frozenset(
        (change.stack, change.resource_type, str(change.before.get("label")))
        for change in changes
        if change.resource_type in _VIPS and change.action is Action.DELETE
    )


def _actions(change: PlannedResourceChange, gone: frozenset[tuple[str, str, str]]) -> int:
    if change.action is Action.REPLACE:
        return _deleted(change, gone) + _created(change)
    if change.action is Action.CREATE:
        return _created(change)
    if change.action is Action.DELETE:
        return _deleted(change, gone)
    if change.action is Action.UPDATE:
        return _updated(change)
    return 0


def _created(change: PlannedResourceChange) -> int:
    kind = change.resource_type
    if kind in _VIPS:
        return 2
    if kind in _REAL_SERVERS:
        return 1 + (_state(change.after.get("state")) != "online")
    return 1 if kind in _ONE_ACTION else 0


def _updated(change: PlannedResourceChange) -> int:
    kind = change.resource_type
    if kind in _REAL_SERVERS:
        names = {item.name for item in change.attributes}
        state = change.changed("state")
        state_action = state is not None and _state(state.before) != _state(state.after)
        return bool(names - _NOT_EDITED) + state_action
    return 1 if kind in _VIPS or kind in _ONE_ACTION else 0


def _deleted(change: PlannedResourceChange, gone: frozenset[tuple[str, str, str]]) -> int:
    kind = change.resource_type
    if kind in _VIPS:
        return 1
    if kind in _REAL_SERVERS:
        seconds = change.before.get("drain_seconds")
        drains = _state(change.before.get("state")) != "halt" and (seconds is None or seconds != 0)
        vip = (change.stack, kind.replace("_real_server", "_vip"), str(change.before.get("vip")))
        with_its_vip = change.action is Action.DELETE and vip in gone  # a replacement still drains
        return 1 + (drains and not with_its_vip)
    return _ONE_ACTION.get(kind, 0)


def _state(value: object) -> str:
    return value if isinstance(value, str) and value else "online"
