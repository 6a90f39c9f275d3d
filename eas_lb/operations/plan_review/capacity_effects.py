"""What a change of a Layer 7 VIP's capacity (`maxconn`, persistence table size) does to sessions.

Both are HAProxy settings of the VIP's proxy, edited in place (`edit-vip`) and taken into use at
the next HAProxy reload, which starts a new process with the new values; the old process keeps
its established connections until they end (docs/appliance-api.md, "Reloads and established
connections"). So no established session is cut by either. What changes:
- `maxconn`: the new process accepts up to that many connections at once; beyond it, new
  connections wait in the kernel's queue until one ends (HAProxy configuration manual, `maxconn`
  of a proxy). The old process's connections do not count against the new limit.
- the persistence table: the new process makes a table of the new size. The appliance hands the
  old table's entries to the new process through its persistence table replication (guide: TCP
  7778; HAProxy `peers`, which pushes a stopping process's entries to its successor); where it
  does not, sticky clients are balanced anew at their next connection. A table smaller than its
  entries keeps the newest: when it is full HAProxy purges the oldest (configuration manual,
  `stick-table`, `nopurge`), and those clients lose their server.
A deployed site meets this once when its limits start to follow `subscribers`: every Layer 7 VIP
is updated in place on the next deploy, in one HAProxy reload.
"""

from __future__ import annotations

from eas_lb.operations.plans.changes import PlannedResourceChange
from eas_lb.operations.plans.wording import vip_phrase
from eas_lb.operations.pool_terms import show

#: The Layer 7 VIP attributes that are its capacity.
CAPACITY = ("maxconn", "persist_table_size")

_KEPT = "updated in place, in effect from the HAProxy reload; established sessions are kept"


def capacity_reason(change: PlannedResourceChange) -> str | None:
    """The risk line's reason for an updated Layer 7 VIP whose capacity changes, or None."""
    phrases = [phrase for phrase in (vip_phrase(change, name) for name in CAPACITY) if phrase]
    if not phrases:
        return None
    effects = [_maxconn_effect(change), _table_effect(change)]
    return f"{', '.join(phrases)}: {_KEPT}" + "".join(f"; {effect}" for effect in effects if effect)


def _numbers(change: PlannedResourceChange, name: str) -> tuple[float, float] | None:
    item = change.changed(name)
    if item is None or not isinstance(item.before, int | float) or not isinstance(item.after, int | float):
        return None
    return float(item.before), float(item.after)


def _maxconn_effect(change: PlannedResourceChange) -> str:
    values = _numbers(change, "maxconn")
    if values is None:
        return ""
    before, after = values
    if after < before:
        return f"beyond {show(after)} connections at once, new ones wait until one ends"
    return ""


def _table_effect(change: PlannedResourceChange) -> str:
    if change.changed("persist_table_size") is None:
        return ""
    if change.value("persistence") in (None, "none"):
        return "the persistence table is unused (no persistence on this VIP)"
    carried = (
        "sticky clients keep their server where the appliance hands the table to the new process "
        "(its persistence table replication), else they are balanced anew at their next connection"
    )
    values = _numbers(change, "persist_table_size")
    if values is not None and values[1] < values[0]:
        return (
            f"{carried}; the smaller table holds fewer clients: when it is full HAProxy evicts the "
            "oldest entries and their clients lose their server"
        )
    return carried
