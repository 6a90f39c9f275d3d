"""The data plane of a simulated appliance: render the running configuration and run HAProxy.

HAProxy is started at the first reload that has something to serve, so a simulator used only
for its API costs no HAProxy process; after that every reload re-renders and gracefully reloads.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from pathlib import Path

from lborg_simulator.haproxy_process import HaproxyError, HaproxyProcess
from lborg_simulator.haproxy_render import VipStatus, haproxy_name, render

_RUNTIME_STATES = {"drain": "drain", "halt": "maint", "online": "ready"}


class HaproxyDataPlane:
    def __init__(self, workdir: Path) -> None:
        self.process = HaproxyProcess(workdir)
        self._statuses: list[VipStatus] = []
        self._lock = threading.Lock()

    def serve(self, running: ET.Element, opstate: dict[str, dict[str, str]], active: bool) -> None:
        stats_socket = "unix@stats.sock"  # relative to HAProxy's working directory, the workdir
        rendered = render(running, opstate, active, stats_socket)
        with self._lock:
            if not self.process.running and not any(status.bound for status in rendered.vips):
                self.process.check(rendered.text)
            else:
                self.process.apply(rendered.text)
            self._statuses = rendered.vips

    def _bound(self, vip: str) -> bool:
        return any(status.label == vip and status.bound for status in self._statuses)

    def set_server_state(self, vip: str, rip: str, state: str, weight: str) -> None:
        with self._lock:
            if not self.process.running or not self._bound(vip):
                return
            if not any(r.label == rip and r.used for s in self._statuses if s.label == vip for r in s.reals):
                return
            name = f"{haproxy_name(vip)}/{haproxy_name(rip)}"
            self._runtime(f"set server {name} state {_RUNTIME_STATES[state]}")
            if state == "online":
                self._runtime(f"set server {name} weight {weight}")

    def clear_stick(self, vip: str | None) -> None:
        with self._lock:
            if not self.process.running:
                return
            for status in self._statuses:
                if status.bound and (vip is None or status.label == vip):
                    self._runtime(f"clear table {haproxy_name(status.label)}")

    def _runtime(self, line: str) -> None:
        try:
            answer = self.process.command(line).strip()
        except OSError as error:
            raise HaproxyError(f"haproxy runtime API unreachable: {error}") from None
        if (
            answer
            and not answer.startswith("No such table")
            and answer.lower().startswith(("no such", "unknown", "error"))
        ):
            raise HaproxyError(f"haproxy answered '{answer}' to '{line}'")

    def status(self) -> list[dict[str, object]]:
        with self._lock:
            return [status.as_json() for status in self._statuses]

    def stop(self) -> None:
        with self._lock:
            self.process.stop()
