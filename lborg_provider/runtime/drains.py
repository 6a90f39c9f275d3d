"""Drain before removal: a real server that leaves the configuration drains before the reload
that removes it from the running service, and one apply waits for all of them at once.

A real server's delete (`resources.table_resource`) sends lbcli `drain` for it, then `delete-rip`:
the pending configuration loses it at once, while the running service (HAProxy, or IPVS through
ldirectord) keeps serving its established connections and sends it no new ones. It records here
until when the server drains (`started`). `lborg_commit` runs after every delete of the apply
(Terraform destroys a removed dependency before it updates what depended on it) and, before it
reloads a service, waits until the last of that service's drains has run its time
(`wait_before_reload`). So the servers removed from many VIPs in one apply all drain at once, and
the apply pays one drain time, not one per VIP or per resource (Terraform deletes ten resources at
a time; each delete only sends its two actions and returns).

The deadlines are also kept in a small file beside the create journal (`<appliance>.drains.json`,
mode 0600, labels only), so an apply stopped or killed while it waits converges on the next one:
that apply's commit plans the reload (the pending configuration differs from the last commit),
waits what is left of the drain, then reloads. A drain whose VIP is gone too (the VIP was removed
in the same apply, or `terraform destroy`) is not waited for: the reload ends that VIP whatever
its servers do. A server whose label is back in the pending configuration is not waited for either.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lborg_provider.client.errors import ApplianceError
from lborg_provider.model.config_view import LAYER_SECTIONS, find_real, find_virtual
from lborg_provider.model.server_states import DEFAULT_DRAIN_SECONDS, MAX_DRAIN_SECONDS
from lborg_provider.runtime.create_journal import appliance_file, default_directory, folder_lock
from lborg_support.files import write_private

#: How often a wait looks whether Terraform asked the provider to stop.
POLL_SECONDS = 0.2


def drain_seconds(value: Any) -> float:
    """A resource's `drain_seconds`, or the default when it is unset."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return float(DEFAULT_DRAIN_SECONDS)
    return float(value)


def drain_time(state: Any, value: Any) -> float:
    """How long a real server in `state` drains when it is removed: its `drain_seconds` (`value`,
    the default when unset), and none when it is halted (it takes no connections to drain)."""
    return 0.0 if state == "halt" else drain_seconds(value)


@dataclass(frozen=True)
class Drain:
    """A real server drained by a delete of this or an earlier apply, removed by the next reload."""

    layer: str
    vip: str
    rip: str
    until: float  # seconds since the epoch (survives the provider process)

    @property
    def service(self) -> str:
        return LAYER_SECTIONS[self.layer]

    @property
    def key(self) -> str:
        return f"{self.layer}:{self.vip}/{self.rip}"

    def left(self, now: float | None = None) -> float:
        return max(0.0, self.until - (time.time() if now is None else now))

    def still_to_wait(self, config: dict[str, Any]) -> bool:
        """Its VIP is still there and it is not (back) in the pending configuration."""
        virtual = find_virtual(config, self.layer, self.vip)
        return virtual is not None and find_real(virtual, self.rip) is None


class DrainInterrupted(ApplianceError):
    """Terraform asked the provider to stop while real servers drained; nothing was reloaded."""

    @property
    def summary(self) -> str:
        return f"appliance {self.appliance}: stopped while real servers drain"


class DrainSchedule:
    """The drains of one appliance: this process's and those an interrupted apply left."""

    def __init__(self, endpoint: str, directory: Path | None = None) -> None:
        self.directory = directory or default_directory()
        self.path = appliance_file(self.directory, endpoint, ".drains.json")
        self._lock = threading.Lock()
        #: This process's drains, known even when the file could not be written.
        self._mine: dict[str, Drain] = {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Drain]]:
        """The recorded drains, under this process's and other processes' lock; written back."""
        with folder_lock(self.directory, self._lock):
            drains = self._load()
            before = dict(drains)
            yield drains
            if drains != before:
                body = {key: asdict(drain) for key, drain in sorted(drains.items())}
                write_private(self.path, json.dumps(body, indent=1).encode() + b"\n")

    def _load(self) -> dict[str, Drain]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # none yet, or damaged: a reload then simply does not wait
        drains: dict[str, Drain] = {}
        forgotten = time.time() - MAX_DRAIN_SECONDS  # over a day past its time: reloaded since
        for key, item in raw.items() if isinstance(raw, dict) else ():
            try:
                drains[key] = Drain(
                    str(item["layer"]), str(item["vip"]), str(item["rip"]), float(item["until"])
                )
            except (KeyError, TypeError, ValueError):
                continue
            if drains[key].until < forgotten:
                del drains[key]
        return drains

    def started(self, layer: str, vip: str, rip: str, seconds: float) -> Drain:
        """A delete drained `vip/rip` for `seconds`; recorded before the delete-rip is sent."""
        drain = Drain(layer, vip, rip, time.time() + seconds)
        try:
            with self._locked() as drains:
                drains[drain.key] = drain
        except OSError:
            pass  # the wait of this apply still knows it (below); only a later apply would not
        self._mine[drain.key] = drain
        return drain

    def recorded(self, services: Collection[str]) -> list[Drain]:
        """The drains of `services` (this process's and any an interrupted apply left)."""
        try:
            with self._locked() as drains:
                found = dict(drains)
        except OSError:
            found = {}
        found.update(self._mine)
        return sorted((d for d in found.values() if d.service in services), key=lambda d: d.key)

    def to_wait_for(self, config: dict[str, Any], services: Collection[str]) -> list[Drain]:
        """The drains a reload of `services` must wait for, given the pending configuration."""
        return [drain for drain in self.recorded(services) if drain.still_to_wait(config)]

    def wait(self, appliance: str, drains: list[Drain], stop_requested: Callable[[], bool]) -> None:
        """Until the last of `drains` has run its time; `DrainInterrupted` if asked to stop."""
        while drains:
            left = max(drain.left() for drain in drains)
            if left <= 0:
                return
            if stop_requested():
                raise DrainInterrupted(
                    appliance,
                    f"appliance {appliance}: stopped while {describe_wait(drains)} drain: nothing was "
                    "reloaded; the next apply waits what is left of the drain, then reloads",
                )
            time.sleep(min(POLL_SECONDS, left))

    def reloaded(self, services: Collection[str]) -> None:
        """The reload of `services` ran: their drained servers are gone from the running service."""
        for key in [key for key, drain in self._mine.items() if drain.service in services]:
            del self._mine[key]
        with contextlib.suppress(OSError), self._locked() as drains:
            for key in [key for key, drain in drains.items() if drain.service in services]:
                del drains[key]


def describe_wait(drains: list[Drain]) -> str:
    """`'SERV_SIP-5060/EAS_SSS-1' (20 s left), ...`, for diagnostics."""
    return ", ".join(f"'{d.vip}/{d.rip}' ({d.left():.0f} s left)" for d in drains)
