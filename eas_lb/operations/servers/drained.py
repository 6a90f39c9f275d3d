"""When a drain has run its time: the rule `servers --wait-drained` waits for, as a pure function.

A real server in `drain` on an appliance has run its drain when either
- the appliance reports no established connection left to it (where it reports connections;
  API v2 reports none, so on today's appliances the time alone decides), or
- it has been seen in `drain` for its pool's drain time (the site file's `drain:`, else 300 s),
  counted from the first time this command saw it draining (the appliance does not say when a
  drain began, so the clock starts when the wait does: run it right after the deploy).
A real server in `halt` has nothing left to drain. A server the site file puts in maintenance that
an appliance still shows `online` (or not at all) has not started its drain: the deploy has not
run, and waiting would never end, so that is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from eas_lb.operations.appliances.live_servers import LiveServer

Key = tuple[str, str, str]  # appliance, VIP, EAS server address


@dataclass(frozen=True)
class Progress:
    """Where every drain stands at one moment."""

    waiting: tuple[str, ...]  # one sentence per real server still draining
    not_started: tuple[str, ...]  # maintenance servers an appliance shows in service
    done: int
    #: Seconds until the last drain still running has run its time (0 when none runs).
    left: float = 0.0

    @property
    def finished(self) -> bool:
        return not self.waiting and not self.not_started


@dataclass
class DrainWatch:
    """Follows the drains of successive reads of the appliances.

    `drain_seconds` gives a VIP label's drain time; `maintenance` the site file's servers and
    their wanted state, by address.
    """

    drain_seconds: Callable[[str], int]
    maintenance: Mapping[str, str]
    first_seen: dict[Key, float] = field(default_factory=dict)

    def observe(self, servers: Iterable[LiveServer], now: float) -> Progress:
        servers = list(servers)
        waiting, done = [], 0
        draining = set()
        longest = 0.0
        for server in servers:
            key = (server.appliance, server.vip, server.address)
            if server.state == "halt":
                done += 1
                continue
            if server.state != "drain":
                continue
            draining.add(key)
            since = self.first_seen.setdefault(key, now)
            wanted = self.drain_seconds(server.vip)
            left = wanted - (now - since)
            if server.connections == 0 or left <= 0:
                done += 1
                continue
            longest = max(longest, left)
            connections = "" if server.connections is None else f", {server.connections} connections left"
            waiting.append(
                f"EAS {server.address} on {server.vip} ({server.appliance}): {left:.0f} s of its "
                f"{wanted} s drain left{connections}"
            )
        for key in list(self.first_seen):  # back online meanwhile: its clock starts again
            if key not in draining:
                del self.first_seen[key]
        not_started = []
        for address, state in sorted(self.maintenance.items()):
            mine = [server for server in servers if server.address == address]
            online = sorted({f"{s.vip} ({s.appliance})" for s in mine if s.state == "online"})
            if online:
                not_started.append(
                    f"EAS {address} is in maintenance ({state}) in the site file but online on "
                    f"{', '.join(online)}: deploy first"
                )
            elif not mine:
                not_started.append(
                    f"EAS {address} is in maintenance in the site file but on no VIP of the appliances"
                )
        return Progress(tuple(waiting), tuple(not_started), done, longest)
