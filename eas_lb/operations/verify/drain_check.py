"""verify --disruptive's drain check: what a drained EAS server does, seen from a client.

On one VIP without persistence, with at least two servers that identify themselves:
1. hold an established connection that one server (the first not in maintenance) answers;
2. `drain` that server on the appliance (the vendor's action, through the provider's client);
3. new connections must all go to the other servers, and the held one must still answer;
4. `online` it again: new connections must reach it again.
Whatever happens, the server is put back `online` and the held connection closed: the check
leaves the appliance as it found it. It reads nothing a real EAS server does not offer, except
that only servers that say who they are (the stand-ins) let it tell who answered; with silent
servers it is skipped. The held connection uses the stand-ins' `EAS-SIM hold` line (they then keep
the connection and echo lines); a server that does not keep it makes the "kept" part a skip.
"""

from __future__ import annotations

import contextlib
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

from eas_lb.operations.appliances.live_servers import live_servers
from eas_lb.operations.appliances.targets import TargetGuard, VipTarget
from eas_lb.operations.verify.client_side import open_connection
from eas_lb.operations.verify.probe import ProbeResult, probe
from eas_lb.operations.verify.report import Outcome, Report
from lborg_provider.client import ApplianceClient, ApplianceError
from lborg_support.waiting import wait_until

TEST = "drain"
_HOLD = b"EAS-SIM hold\n"
_IDENTITY = re.compile(r"EAS-SIM name=(?P<name>\S+) addr=(?P<addr>\S+)")

Prober = Callable[[str, int], ProbeResult]


@dataclass
class _Held:
    """One client connection kept open through the VIP."""

    sock: socket.socket
    server_ip: str | None
    name: str | None

    def still_answers(self) -> bool:
        """Send a line on the established connection: the same server must echo it."""
        try:
            self.sock.sendall(b"still there\n")
            data = b""
            while not data.endswith(b"\n") and len(data) < 512:
                chunk = self.sock.recv(512)
                if not chunk:
                    return False
                data += chunk
        except OSError:
            return False
        return data.decode(errors="replace").strip() == f"{self.name} still there"

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def _hold(ip: str, port: int) -> _Held | None:
    """Connect, ask to hold the connection, read who answered; None when the VIP served none."""
    try:
        sock = open_connection(ip, port, timeout=3.0)
    except OSError:
        return None
    try:
        sock.sendall(_HOLD)
        data = b""
        while b"\n" not in data and len(data) < 512:
            chunk = sock.recv(512)
            if not chunk:
                break
            data += chunk
    except OSError:
        sock.close()
        return None
    match = _IDENTITY.search(data.decode(errors="replace"))
    if match is None:
        return _Held(sock, None, None)
    return _Held(sock, match.group("addr").rpartition(":")[0].strip("[]"), match.group("name"))


def pick_for_drain_check(vips: list[VipTarget]) -> list[VipTarget]:
    """One VIP per pair and layer without persistence and with two servers or more."""
    chosen: dict[tuple[str, str], VipTarget] = {}
    for vip in vips:
        if vip.sticky_seconds or len(vip.servers) < 2:
            continue
        chosen.setdefault((vip.pair, vip.section), vip)
    return list(chosen.values())


def drain_check(
    vip: VipTarget,
    appliance: ApplianceClient,
    guard: TargetGuard,
    report: Report,
    prober: Prober = probe,
    deadline_s: float = 15.0,
) -> None:
    """Drain one server of `vip` on `appliance` (the active node), check, and put it back online."""
    guard.check(vip.ip, vip.port)
    server = vip.servers[0]
    try:
        label = _real_server_label(vip, appliance, server)
    except ApplianceError as error:
        report.add(vip.label, vip.address, TEST, Outcome.FAIL, str(error))
        return
    if label is None:
        report.add(vip.label, vip.address, TEST, Outcome.FAIL, f"{server} is no real server of {vip.label}")
        return
    action = {"vip": vip.label, "rip": label}
    held: list[_Held] = []
    drained = False
    try:
        target = None
        for _ in range(4 * len(vip.servers)):
            connection = _hold(vip.ip, vip.port)
            if connection is None:
                continue
            if connection.server_ip is None:
                connection.close()
                report.add(vip.label, vip.address, TEST, Outcome.SKIP, "servers do not identify themselves")
                return
            held.append(connection)
            if connection.server_ip == server:
                target = connection if connection.still_answers() else None  # a server that holds it
                break
        appliance.run([{"action": "drain", **action}])
        drained = True
        answered = [prober(vip.ip, vip.port).server_ip for _ in range(2 * len(vip.servers))]
        reached = sum(1 for ip in answered if ip == server)
        kept = target is not None and target.still_answers()
        appliance.run([{"action": "online", **action}])
        drained = False
        back = wait_until(lambda: prober(vip.ip, vip.port).server_ip == server, deadline_s, interval=0.2)
    except ApplianceError as error:
        report.add(vip.label, vip.address, TEST, Outcome.FAIL, str(error))
        return
    finally:
        if drained:
            with contextlib.suppress(ApplianceError):
                appliance.run([{"action": "online", **action}])
        for connection in held:
            connection.close()
    _report_drain(vip, report, server, (reached, len(answered)), target is not None, kept, back, deadline_s)


def _real_server_label(vip: VipTarget, appliance: ApplianceClient, server: str) -> str | None:
    """The label of the real server at `server` in `vip`, as the appliance has it now."""
    layer = "7" if vip.section == "management" else "4"
    labels = [
        live.label
        for live in live_servers(appliance.name, appliance.dumpconfig(), {})
        if live.vip == vip.label and live.address == server and live.layer == layer
    ]
    return labels[0] if labels else None


def _report_drain(
    vip: VipTarget,
    report: Report,
    server: str,
    reached_of: tuple[int, int],
    held: bool,
    kept: bool,
    back: float | None,
    deadline_s: float,
) -> None:
    """The outcome: no new connection while drained, the held one kept, new ones again after online."""
    reached, answered = reached_of
    problems = []
    if reached:
        problems.append(f"drained {server} got {reached} of {answered} new connections")
    if held and not kept:
        problems.append(f"the established connection to {server} ended on the drain")
    if back is None:
        problems.append(f"{server} got no new connection within {deadline_s:.0f} s of online")
    if problems:
        report.add(vip.label, vip.address, TEST, Outcome.FAIL, "; ".join(problems))
        return
    established = "its established connection kept" if held else "no connection held"
    detail = (
        f"drained {server}: none of {answered} new connections, {established}; "
        f"back after online in {back:.1f} s"
    )
    report.add(vip.label, vip.address, TEST, Outcome.PASS if held else Outcome.SKIP, detail)
