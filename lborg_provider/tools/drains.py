"""What an interrupted apply left draining on an appliance, for a tool that tells the user.

The provider keeps each appliance's drain deadlines beside its create journal
(`runtime.drains`), so that the next apply waits what is left of a drain before it reloads. A
command that ran Terraform (`eas_lb deploy` after Ctrl-C) reads them here, through the
provider's public tools, to say whether real servers are still draining and for how long.
"""

from __future__ import annotations

from dataclasses import dataclass

from lborg_provider.client.endpoint import normalize_endpoint
from lborg_provider.runtime.drains import DrainSchedule, describe_wait

_SERVICES = ("haproxy", "ldirectord")


def pending_drains(endpoint: str) -> str | None:
    """`'VIP/RIP' (250 s left), ...` for the appliance at `endpoint`; None when nothing drains."""
    schedule = DrainSchedule(normalize_endpoint(endpoint))
    drains = [drain for drain in schedule.recorded(_SERVICES) if drain.left() > 0]
    return describe_wait(drains) if drains else None


@dataclass(frozen=True)
class RecordedDrain:
    """A real server a running (or interrupted) apply drains on an appliance, until `until`."""

    vip: str
    rip: str
    until: float  # seconds since the epoch


def running_drains(endpoint: str) -> list[RecordedDrain]:
    """The drains of the appliance at `endpoint` that have not run their time yet (a deploy shows
    them while its apply waits for them)."""
    schedule = DrainSchedule(normalize_endpoint(endpoint))
    return [
        RecordedDrain(drain.vip, drain.rip, drain.until)
        for drain in schedule.recorded(_SERVICES)
        if drain.left() > 0
    ]
