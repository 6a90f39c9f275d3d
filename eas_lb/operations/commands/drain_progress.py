"""What a deploy shows while its apply drains real servers: who drains where, until when, time left.

The lborg provider drains a removed real server before the reload that removes it, and its
commit waits until the last drain has run its time; Terraform meanwhile prints only
`Still modifying... [4m50s elapsed]`. The provider records each drain's end beside its create
journal as it starts it (`lborg_provider.tools.drains`), so the deploy reads those records while
Terraform runs: each EAS server is said once, when its drain starts ("EAS 10.225.37.231 drains on
2 VIPs (...) on lb1 for 300 s, until 21:50:10 UTC"), and the time left until the reload is shown
(`lborg_support.countdown`: a live line on a terminal, a line per minute in a log). With a reviewed
plan the same is said from the plan before the apply starts (`plans.drain_notices`).
"""

from __future__ import annotations

import ipaddress
import time
from collections import defaultdict
from collections.abc import Callable, Mapping

from lborg_support.countdown import Countdown, clock_time, duration

#: Seconds between two reads of the provider's drain records.
READ_EVERY = 0.5


def server_of(label: str) -> str:
    """`EAS 10.0.0.5` for the label `EAS_SSS-10.0.0.5`; a label by position is named as it is."""
    _, _, tail = label.rpartition("-")
    try:
        return f"EAS {ipaddress.ip_address(tail)}"
    except ValueError:
        return f"real server {label}"


class DeployDrains:
    """Follows the provider's drain records of the deployed appliances while Terraform runs."""

    def __init__(
        self,
        endpoints: Mapping[str, str],
        countdown: Countdown,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.endpoints = dict(endpoints)  # appliance name -> API endpoint
        self.countdown = countdown
        self.clock = clock
        self._said: set[tuple[str, str, str]] = set()
        self._read_at = 0.0

    def tick(self) -> None:
        """Read the records (at most every READ_EVERY s), say new drains, keep the countdown."""
        now = self.clock()
        if now - self._read_at >= READ_EVERY:
            self._read_at = now
            self._read(now)
        self.countdown.tick()

    def _read(self, now: float) -> None:
        from lborg_provider.tools.drains import running_drains

        running: list[tuple[str, str, str, float]] = []
        for appliance, endpoint in self.endpoints.items():
            try:
                running += [(appliance, d.vip, d.rip, d.until) for d in running_drains(endpoint)]
            except OSError:
                continue  # unreadable now: the next read tries again
        new: dict[tuple[str, str], list[tuple[str, float]]] = defaultdict(list)
        for appliance, vip, rip, until in running:
            if (appliance, vip, rip) not in self._said:
                self._said.add((appliance, vip, rip))
                new[(appliance, rip)].append((vip, until))
        for (appliance, rip), drained in sorted(new.items()):
            vips = sorted(vip for vip, _ in drained)
            until = max(until for _, until in drained)
            count = f"{len(vips)} VIP" + ("" if len(vips) == 1 else "s")
            self.countdown.say(
                f"==> {server_of(rip)} drains on {count} ({', '.join(vips)}) on {appliance} for "
                f"{duration(until - now)}, until {clock_time(until)}: the deploy waits for it, then "
                "reloads (its established connections go on meanwhile; new ones go to the others)"
            )
        if running:
            servers = ", ".join(sorted({server_of(rip) for _, _, rip, _ in running}))
            last = max(until for *_, until in running)
            self.countdown.set(f"waiting for the drain of {servers} before the reload", last)
        elif self.countdown.what is not None:
            self.countdown.clear()
