"""The guide's disruptive tests: health checking (an EAS server stops and returns) and fail-over.

Both interrupt users on a live system, which is why verify runs them only with --disruptive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from eas_lb.operations.appliances.clients import PairClients
from eas_lb.operations.appliances.targets import TargetGuard, VipTarget
from eas_lb.operations.verify.hooks import HookError, Hooks
from eas_lb.operations.verify.probe import ProbeResult, probe
from eas_lb.operations.verify.report import Outcome, Report
from eas_lb.operations.verify.traffic import served
from lborg_support.waiting import wait_until

if TYPE_CHECKING:
    from lborg_provider.client import ApplianceClient

Prober = Callable[[str, int], ProbeResult]


def _poll(predicate: Callable[[], bool], deadline_s: float) -> float | None:
    """Seconds until ``predicate`` held, or None when the deadline passed; a quarter-second poll
    is fine enough for fail-over times the guide states in seconds."""
    return wait_until(predicate, deadline_s, interval=0.25)


def _names(vip: VipTarget, prober: Prober, count: int) -> list[str | None]:
    """The address of the server that answered each of ``count`` connections."""
    return [
        r.server_ip if served(r) else "<failed>" for r in (prober(vip.ip, vip.port) for _ in range(count))
    ]


def health_check_test(
    vip: VipTarget,
    detect_within_s: float,
    hooks: Hooks,
    guard: TargetGuard,
    report: Report,
    prober: Prober = probe,
) -> None:
    """Stop one of the VIP's servers: it must leave rotation, the VIP must keep serving, and
    after a restart the server must come back (checked on non-sticky VIPs, where it can)."""
    guard.check(vip.ip, vip.port)
    server_ip = vip.servers[0]
    test = "health-check"
    deadline = detect_within_s * 2 + 10
    try:
        hooks.run("server_stop", ip=server_ip, name=server_ip)
    except HookError as err:
        report.add(vip.label, vip.address, test, Outcome.FAIL, str(err))
        return
    stopped = server_ip

    def left_rotation() -> bool:
        names = _names(vip, prober, 2 * len(vip.servers))
        return all(n not in (stopped, "<failed>") for n in names)

    identified = any(name is not None for name in _names(vip, prober, 2 * len(vip.servers)))
    took = _poll(left_rotation, deadline) if identified else None
    try:
        hooks.run("server_start", ip=server_ip, name=server_ip)
    except HookError as err:
        report.add(vip.label, vip.address, test, Outcome.FAIL, str(err))
        return
    if not identified:
        report.add(vip.label, vip.address, test, Outcome.SKIP, "servers do not identify themselves")
        return
    if took is None:
        report.add(
            vip.label,
            vip.address,
            test,
            Outcome.FAIL,
            f"{server_ip} still in rotation after {deadline:.0f} s",
        )
        return
    detail = f"{server_ip} left rotation within {took:.1f} s (checks: ≤{detect_within_s:.0f} s)"
    if vip.sticky_seconds:
        report.add(
            vip.label, vip.address, test, Outcome.PASS, detail + "; return not checked on a sticky VIP"
        )
        return
    back = _poll(lambda: stopped in _names(vip, prober, 2 * len(vip.servers)), deadline)
    if back is None:
        report.add(vip.label, vip.address, test, Outcome.FAIL, detail + f"; not back after {deadline:.0f} s")
    else:
        report.add(vip.label, vip.address, test, Outcome.PASS, detail + f"; back after {back:.1f} s")


def _active(client_state: Callable[[], dict[str, object]]) -> bool:
    try:
        return client_state().get("state") == "active"
    except Exception:  # an unreachable node is simply not active
        return False


def failover_test(
    pair: PairClients,
    vips: list[VipTarget],
    gateway: str | None,
    hooks: Hooks,
    guard: TargetGuard,
    report: Report,
    prober: Prober = probe,
    deadline_s: float = 30.0,
    while_failed_over: Callable[[], None] | None = None,
) -> None:
    """Stop the primary: the secondary must become active and serve every VIP and the gateway.

    `while_failed_over` runs more checks before the primary is started again."""
    primary, secondary = pair.primary.name, pair.secondary
    if secondary is None:
        report.add(pair.pair, "-", "fail-over", Outcome.SKIP, "single appliance, no HA pair")
        return
    try:
        hooks.run("appliance_stop", name=primary, ip=primary)
    except HookError as err:
        report.add(pair.pair, "-", "fail-over", Outcome.FAIL, str(err))
        return
    try:
        took = _poll(lambda: _active(secondary.nodestatus), deadline_s)
        if took is None:
            report.add(
                pair.pair, secondary.name, "fail-over", Outcome.FAIL, f"not active after {deadline_s:.0f} s"
            )
            return
        report.add(
            pair.pair,
            secondary.name,
            "fail-over",
            Outcome.PASS,
            f"{secondary.name} active after {took:.1f} s",
        )
        _vips_served_by(secondary.name, vips, guard, report, prober, deadline_s)
        if gateway:
            _gateway_held_by(secondary, gateway, report)
        if while_failed_over is not None:
            while_failed_over()
    finally:
        try:
            hooks.run("appliance_start", name=primary, ip=primary)
            _poll(lambda: _active(pair.primary.nodestatus), deadline_s)
        except HookError as err:
            report.add(pair.pair, primary, "fail-back", Outcome.FAIL, str(err))


def _vips_served_by(
    node: str, vips: list[VipTarget], guard: TargetGuard, report: Report, prober: Prober, deadline_s: float
) -> None:
    """After a fail-over: every VIP answers again (now from `node`) within the deadline."""
    for vip in vips:
        guard.check(vip.ip, vip.port)
        ok = _poll(lambda v=vip: served(prober(v.ip, v.port)), deadline_s)  # type: ignore[misc]
        outcome = Outcome.PASS if ok is not None else Outcome.FAIL
        detail = f"served by {node}" if ok is not None else f"not served after {deadline_s:.0f} s"
        report.add(vip.label, vip.address, "fail-over", outcome, detail)


def _gateway_held_by(secondary: ApplianceClient, gateway: str, report: Report) -> None:
    """After a fail-over: the secondary holds the service gateway's floating IP (NAT replies)."""
    status = secondary.nodestatus()
    floating = status.get("floating_ips") or {}
    owned = isinstance(floating, dict) and floating.get("owned") and gateway in floating.get("addresses", [])
    report.add(
        "service gateway",
        gateway,
        "fail-over",
        Outcome.PASS if owned else Outcome.FAIL,
        f"floating IP up on {secondary.name}" if owned else f"{secondary.name} does not hold {gateway}",
    )
