"""The Layer 4 NAT data path of a service VIP: the client's own address in, the reply back through the pair.

A service VIP is Layer 4 NAT: the appliance rewrites only the destination, so the EAS server sees
the subscriber's own address and its reply must go back through the pair to be translated again.
An EAS server whose default gateway is not the pair's floating `service_gateway` sends its reply
past the pair: the connection never completes (the client's connect times out) although the VIP
accepted it. This check makes several connections through the VIP and reports:

- timed-out connections: FAIL, naming the declared servers that never answered (those the
  timed-out connections must have gone to), the gateway they should use and the guide's rule;
- from a kernel-NAT lab's client (`--client-netns`), where the stand-ins say which client address
  they saw: PASS when every server saw this client's own address (and answered through the pair,
  as only the pair's translation lets the reply reach the client), FAIL when one saw another
  address (the VIP is not NAT: something proxies it);
- otherwise nothing (a real EAS server does not say what it saw).
"""

from __future__ import annotations

from collections.abc import Callable

from eas_lb.guide.mapping import NAT_GATEWAY_RULE
from eas_lb.operations.appliances.targets import TargetGuard, VipTarget
from eas_lb.operations.verify.probe import ProbeResult, probe
from eas_lb.operations.verify.report import Outcome, Report

TEST = "data path"
Prober = Callable[[str, int], ProbeResult]


def _probe_short(ip: str, port: int) -> ProbeResult:
    """A lost reply costs the connect time-out: two seconds is ample on a service network."""
    return probe(ip, port, timeout=2.0)


def check_data_path(
    vip: VipTarget,
    gateway: str | None,
    guard: TargetGuard,
    report: Report,
    *,
    nat_client: bool,
    prober: Prober = _probe_short,
    when: str = "",
) -> None:
    """`when` starts each detail (for instance "after the fail-over: ")."""
    test = TEST
    guard.check(vip.ip, vip.port)
    results = [prober(vip.ip, vip.port) for _ in range(max(4, 2 * len(vip.servers)))]
    lost = [r for r in results if not r.connected and r.error == "timed out"]
    answered = {r.server_ip for r in results if r.connected and r.server_ip}
    if lost:
        report.add(
            vip.label,
            vip.address,
            test,
            Outcome.FAIL,
            _lost_detail(vip, gateway, len(lost), len(results), answered),
        )
        return
    if not nat_client:
        return
    seen = [r for r in results if r.connected and r.client_seen is not None]
    if not seen:
        report.add(
            vip.label, vip.address, test, Outcome.SKIP, "servers do not say which client address they saw"
        )
        return
    wrong = [r for r in seen if r.client_seen != r.local]
    if wrong:
        first = wrong[0]
        detail = when + (
            f"EAS server {first.server_ip} saw the client as {first.client_seen}, not as its own address "
            f"{first.local}: the VIP does not keep the client's address (not Layer 4 NAT)"
        )
        report.add(vip.label, vip.address, test, Outcome.FAIL, detail)
        return
    client = (seen[0].local or "").rpartition(":")[0]
    servers = ", ".join(sorted(answered))
    detail = when + (
        f"{len(seen)} connections: {servers} saw the client's own address {client}; "
        "replies came back through the pair"
    )
    report.add(vip.label, vip.address, test, Outcome.PASS, detail)


def _lost_detail(vip: VipTarget, gateway: str | None, lost: int, made: int, answered: set[str]) -> str:
    silent = [server for server in vip.servers if server not in answered]
    if len(silent) == 1:
        who = f"EAS server {silent[0]}"
    elif silent:
        who = f"one of the EAS servers {', '.join(silent)}"
    else:
        who = "an EAS server"
    should = (
        f"should use the pair's service gateway {gateway}" if gateway else "should use the pair's floating IP"
    )
    return (
        f"{lost} of {made} connections got no reply: {who} does not send its replies back through the pair; "
        f"its default gateway {should} (service_gateway); {NAT_GATEWAY_RULE}"
    )
