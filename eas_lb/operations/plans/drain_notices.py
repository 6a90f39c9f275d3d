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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from eas_lb.operations.plans.changes import Action, PlannedResourceChange
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
