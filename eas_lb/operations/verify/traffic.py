"""Traffic checks through each VIP: reachability, persistence and spread (the testpools tests)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from eas_lb.operations.appliances.targets import TargetGuard, VipTarget
from eas_lb.operations.verify.probe import ProbeResult, probe
from eas_lb.operations.verify.report import Outcome, Report

Prober = Callable[[str, int], ProbeResult]


def served(result: ProbeResult) -> bool:
    """A connection counts as served when a server identified itself or the VIP held it open."""
    return result.connected and result.error is None


def check_reachable(vip: VipTarget, guard: TargetGuard, report: Report, prober: Prober = probe) -> bool:
    guard.check(vip.ip, vip.port)
    result = prober(vip.ip, vip.port)
    if served(result):
        who = f"answered by {result.server}" if result.server else "accepted (server did not identify itself)"
        report.add(vip.label, vip.address, "connect", Outcome.PASS, f"{who} in {result.seconds:.2f} s")
        return True
    report.add(vip.label, vip.address, "connect", Outcome.FAIL, result.error or "no answer")
    return False


def check_balancing(
    vip: VipTarget, guard: TargetGuard, report: Report, prober: Prober = probe, attempts: int = 0
) -> None:
    """Sticky pools keep one client on one server; non-sticky pools use every server.

    Every row says how many connections it made; a non-sticky pool fails when a declared server
    received none of at least `MIN_CONNECTIONS_PER_SERVER` per server (fewer cannot tell).
    """
    guard.check(vip.ip, vip.port)
    count = attempts or max(4, 2 * len(vip.servers))
    results = [prober(vip.ip, vip.port) for _ in range(count)]
    failures = [r for r in results if not served(r)]
    test = "persistence" if vip.sticky_seconds else "spread"
    if failures:
        report.add(
            vip.label, vip.address, test, Outcome.FAIL, f"{len(failures)} of {count} connections failed"
        )
        return
    names = Counter(r.server for r in results if r.server)
    if len(names) == 0 or sum(names.values()) < count:
        detail = f"{count} connections; servers do not identify themselves"
        report.add(vip.label, vip.address, test, Outcome.SKIP, detail)
        return
    if vip.sticky_seconds:
        if len(names) == 1:
            (name,) = names
            report.add(vip.label, vip.address, test, Outcome.PASS, f"{count} connections all on {name}")
        else:
            detail = f"{count} connections: one client spread over {_fmt(names)}"
            report.add(vip.label, vip.address, test, Outcome.FAIL, detail)
        return
    unused = _unused_servers(vip, results)
    if unused and count >= MIN_CONNECTIONS_PER_SERVER * len(vip.servers):
        detail = f"{count} connections over {_fmt(names)}; none on {', '.join(unused)}"
        report.add(vip.label, vip.address, test, Outcome.FAIL, detail)
    elif len(vip.servers) < 2 or len(names) >= 2:
        report.add(vip.label, vip.address, test, Outcome.PASS, f"{count} connections over {_fmt(names)}")
    else:
        report.add(vip.label, vip.address, test, Outcome.FAIL, f"all {count} connections on {_fmt(names)}")


#: Connections per declared server before a server without any counts as unused: the guide's
#: round-robin gives each server its turn twice in that many, so a server left out is a finding
#: (a server the appliance marks down, or one missing from the VIP), not chance.
MIN_CONNECTIONS_PER_SERVER = 2


def _unused_servers(vip: VipTarget, results: list[ProbeResult]) -> list[str]:
    """Declared servers that no connection reached, when the servers say their address."""
    answered = {result.server_ip for result in results}
    if None in answered:  # a server that does not say its address: cannot tell which one is unused
        return []
    return [server for server in vip.servers if server not in answered]


def _fmt(names: Counter[str]) -> str:
    return ", ".join(f"{name} x{n}" for name, n in sorted(names.items(), key=lambda kv: str(kv[0])))
