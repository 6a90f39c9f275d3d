"""The data plane of a simulated appliance: one HAProxy per layer, as the appliance has two services.

Layer 7 is HAProxy on the appliance and here; Layer 4 is IPVS driven by ldirectord on the
appliance and a second HAProxy in TCP mode here. Each is reloaded only by its own service's
reload (`reload-haproxy`, `reload-ldirectord`), and only when what it serves changed, so a
change to one layer never touches the other layer's connections. What a reload, a drain, a halt
or a delete does to established connections follows each component's documentation; the choices
and their sources are in docs/appliance-api.md, "Reloads and established connections", and in
`CONNECTION_EFFECTS` below.

A process is started at the first reload that has something to serve, so a simulator used only
for its API costs no HAProxy process. With `serve --layer4-netns`, Layer 4 is the kernel's NAT
instead (`nat_dataplane.py`) and this class serves Layer 7 only.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from lborg_simulator.config import Layer, find_virtual, get_text
from lborg_simulator.haproxy_process import HaproxyError, HaproxyProcess
from lborg_simulator.haproxy_render import VipStatus, haproxy_name, render

#: The service whose reload serves each layer.
LAYER_SERVICE: dict[Layer, str] = {"7": "haproxy", "4": "ldirectord"}
#: Every service that has a data plane; a reload of another one (heartbeat) touches neither.
SERVED = tuple(LAYER_SERVICE.values())
#: Work directories under the state directory: the appliance's HAProxy, and Layer 4's stand-in.
WORKDIRS: dict[Layer, str] = {"7": "haproxy", "4": "haproxy-layer4"}
_L7_RUNTIME_STATES = {"drain": "drain", "halt": "maint", "online": "ready"}

#: What each action does to established connections, per layer, as emulated; the same table is
#: published for plan review in docs/established-connections.json (a test keeps the two equal),
#: and docs/appliance-api.md gives each entry's source. `kept`: they go on until they end;
#: `cut`: they end (IPVS drops their packets, the stand-in closes them); `untouched`: that
#: layer's service is not reloaded at all. Entries about one real server or VIP concern its own
#: connections; every other real server's and VIP's are kept.
CONNECTION_EFFECTS: dict[str, dict[str, str]] = {
    "reload-haproxy": {"layer7": "kept", "layer4": "untouched"},
    "reload-ldirectord": {"layer7": "untouched", "layer4": "kept"},
    "restart-haproxy": {"layer7": "cut", "layer4": "untouched"},
    "restart-ldirectord": {"layer7": "untouched", "layer4": "cut"},
    "drain": {"layer7": "kept", "layer4": "kept"},
    "halt": {"layer7": "kept", "layer4": "cut"},
    "online": {"layer7": "kept", "layer4": "kept"},
    "delete-rip then reload": {"layer7": "kept", "layer4": "cut"},
    "delete-vip then reload": {"layer7": "kept", "layer4": "cut"},
}


@dataclass(frozen=True)
class _Destination:
    """What identifies an IPVS real server: its virtual service's address and ports and its own
    address and port (ldirectord keys its table so; a label is only ours)."""

    vip_ip: str
    vip_ports: str
    ip: str
    port: str


@dataclass
class _LayerPlane:
    layer: Layer
    process: HaproxyProcess
    statuses: list[VipStatus] = field(default_factory=list)
    #: The last configuration checked without a process to serve it (nothing bound yet).
    checked: str | None = None

    def destinations(self) -> dict[_Destination, tuple[str, str]]:
        """Every real server in use, with its HAProxy proxy and server names."""
        return {
            _Destination(vip.ip, vip.ports, real.ip, real.port): (
                haproxy_name(vip.label),
                haproxy_name(real.label),
            )
            for vip in self.statuses
            if vip.bound
            for real in vip.reals
            if real.used
        }


class HaproxyDataPlane:
    def __init__(self, state_dir: Path, layers: Collection[Layer] = ("7", "4")) -> None:
        """`layers`: the ones HAProxy serves (Layer 7 only when the kernel serves Layer 4)."""
        self._planes: dict[Layer, _LayerPlane] = {
            layer: _LayerPlane(layer, HaproxyProcess(state_dir / name))
            for layer, name in WORKDIRS.items()
            if layer in layers
        }
        self._lock = threading.Lock()
        self._running: ET.Element | None = None

    # appliance.DataPlane.serve's signature, as in nat_dataplane.py's serve; the bodies differ.
    def serve(
        self,
        running: ET.Element,
        opstate: dict[str, dict[str, str]],
        active: bool,
        services: Collection[str] = SERVED,
        restart: bool = False,
    ) -> None:
        """Serve `running` with the processes of `services`; the other layer is left alone.

        `restart` stops them first: HAProxy's hard stop closes every established connection, and
        ldirectord's stop takes every real server and virtual service out of the IPVS table.

        A process whose configuration would not change is not reloaded (a reload of the
        appliance's service then has no effect on any connection either). Statuses always follow
        `running`, which differs from what an untouched layer serves only in runtime states.
        """
        stats_socket = "unix@stats.sock"  # relative to HAProxy's working directory, the workdir
        with self._lock:
            for layer, plane in self._planes.items():
                rendered = render(running, opstate, active, stats_socket, layer)
                served = LAYER_SERVICE[layer] in services
                if served:
                    if restart:
                        plane.process.stop()
                    self._apply(plane, rendered.text, any(status.bound for status in rendered.vips))
                # Only IPVS ends the connections of the real servers that left (`_cut_removed`).
                before = plane.destinations() if served and layer == "4" else None
                plane.statuses = rendered.vips
                if before is not None:
                    self._cut_removed(plane, before)
            self._running = running

    @staticmethod
    def _apply(plane: _LayerPlane, text: str, serves_something: bool) -> None:
        process = plane.process
        if not process.running and not serves_something:
            if plane.checked != text:
                process.check(text)
                plane.checked = text
        elif process.current_config() != text:
            process.apply(text)

    @staticmethod
    def _cut_removed(plane: _LayerPlane, before: dict[_Destination, tuple[str, str]]) -> None:
        """IPVS: connections of a real server ldirectord removed from the table (or of a removed
        virtual service) lose every packet (`expire_nodest_conn` 0). The old workers of the
        stand-in still hold them; they are closed there."""
        after = plane.destinations()
        removed = [names for destination, names in before.items() if destination not in after]
        if not removed or not plane.process.running:
            return
        old_workers = plane.process.worker_pids(old_only=True)
        for proxy, server in removed:
            plane.process.shutdown_sessions(proxy, server, old_workers)

    def _layer_of(self, vip: str, rip: str) -> _LayerPlane | None:
        """The plane serving real server `rip` of VIP `vip`, when it is bound and in use."""
        for plane in self._planes.values():
            for status in plane.statuses:
                if (
                    status.label == vip
                    and status.bound
                    and any(r.label == rip and r.used for r in status.reals)
                ):
                    return plane if plane.process.running else None
        return None

    def set_server_state(self, vip: str, rip: str, state: str, weight: str) -> None:
        with self._lock:
            plane = self._layer_of(vip, rip)
            if plane is None:
                return
            name = f"{haproxy_name(vip)}/{haproxy_name(rip)}"
            if plane.layer == "7":
                # HAProxy: drain takes no new connection but persistent ones; maint none at all;
                # neither ends an established one (that is `shutdown sessions`, never sent).
                self._runtime(plane, f"set server {name} state {_L7_RUNTIME_STATES[state]}")
                if state == "online":
                    self._runtime(plane, f"set server {name} weight {weight}")
                if state == "drain" and self._clears_stick_on_drain(vip):
                    # The help: `clear_stick_drain` clears the VIP's stick table on a drain, so
                    # persistent clients too are balanced anew (established ones go on).
                    self._runtime(plane, f"clear table {haproxy_name(vip)}")
                return
            # IPVS through ldirectord: drain is weight 0 (no new connection, persistent clients
            # still reach it, established ones go on); halt takes the real server out of the
            # table, whose established connections then lose their packets; online restores it.
            if state == "halt":
                self._runtime(plane, f"set server {name} state maint")
                plane.process.shutdown_sessions(
                    haproxy_name(vip), haproxy_name(rip), plane.process.worker_pids()
                )
                return
            self._runtime(plane, f"set server {name} weight {'0' if state == 'drain' else weight}")
            self._runtime(plane, f"set server {name} state ready")

    def _clears_stick_on_drain(self, vip: str) -> bool:
        found = find_virtual(self._running, vip) if self._running is not None else None
        return found is not None and get_text(found[1], "clear_stick_drain") == "on"

    def clear_stick(self, vip: str | None) -> None:
        """`haproxy-clear-stick`: the stick tables of Layer 7 (HAProxy's; IPVS has none to clear)."""
        with self._lock:
            plane = self._planes["7"]
            if not plane.process.running:
                return
            for status in plane.statuses:
                if status.bound and (vip is None or status.label == vip):
                    self._runtime(plane, f"clear table {haproxy_name(status.label)}")

    @staticmethod
    def _runtime(plane: _LayerPlane, line: str) -> None:
        try:
            answer = plane.process.command(line).strip()
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
            return [status.as_json() for plane in self._planes.values() for status in plane.statuses]

    def connections(self) -> list[dict[str, object]]:
        """The lab's count of established connections per real server (a simulator extension: API
        v2 reports none): HAProxy's sessions to it in every worker, a reload's old ones too."""
        with self._lock:
            found: list[dict[str, object]] = []
            for layer, plane in self._planes.items():
                if not plane.process.running:
                    continue
                counts = plane.process.session_counts()
                found += [
                    {
                        "layer": layer,
                        "vip": vip.label,
                        "rip": real.label,
                        "connections": counts[(haproxy_name(vip.label), haproxy_name(real.label))],
                    }
                    for vip in plane.statuses
                    if vip.bound
                    for real in vip.reals
                    if real.used
                ]
            return found

    def stop(self) -> None:
        with self._lock:
            for plane in self._planes.values():
                plane.process.stop()
