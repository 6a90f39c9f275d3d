"""verify's Layer 4 NAT data-path check, with scripted connection results (in-process)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from eas_lb.guide.mapping import NAT_GATEWAY_RULE
from eas_lb.operations.appliances.targets import TargetGuard, VipTarget
from eas_lb.operations.verify.data_path import check_data_path
from eas_lb.operations.verify.probe import ProbeResult
from eas_lb.operations.verify.report import Outcome, Report

VIP = VipTarget(
    "SERV_IMAP-10143", "service", "127.0.40.150", 10143, 0, ("127.0.41.61", "127.0.41.5"), "pair1"
)


def _answered(server: str, seen: str, local: str = "192.0.2.10:40000") -> ProbeResult:
    return ProbeResult("t", True, f"eas-{server}", None, 0.1, server, seen, local)


def _lost() -> ProbeResult:
    return ProbeResult("t", False, None, "timed out", 2.0)


def _script(results: list[ProbeResult]) -> Callable[[str, int], ProbeResult]:
    """The results in turn, over and over (a round robin over what the servers do)."""
    replies: Iterator[ProbeResult] = itertools.cycle(results)
    return lambda _ip, _port: next(replies)


def _run(results: list[ProbeResult], *, nat_client: bool = True) -> Report:
    report = Report(site="s")
    check_data_path(
        VIP, "127.0.41.10", TargetGuard([VIP]), report, nat_client=nat_client, prober=_script(results)
    )
    return report


def test_lost_replies_name_the_silent_server_its_gateway_and_the_guides_rule() -> None:
    report = _run([_answered("127.0.41.61", "192.0.2.10:40000"), _lost()])
    [row] = report.rows
    assert row.outcome is Outcome.FAIL
    assert "2 of 4 connections got no reply: EAS server 127.0.41.5 does not send its replies" in row.detail
    assert "should use the pair's service gateway 127.0.41.10 (service_gateway)" in row.detail
    assert NAT_GATEWAY_RULE in row.detail


def test_the_clients_own_address_passes_and_another_one_fails() -> None:
    [ok] = _run([_answered("127.0.41.61", "192.0.2.10:40000")]).rows
    assert ok.outcome is Outcome.PASS and "saw the client's own address 192.0.2.10" in ok.detail
    [proxied] = _run([_answered("127.0.41.61", "127.0.40.150:5555")]).rows
    assert proxied.outcome is Outcome.FAIL and "not Layer 4 NAT" in proxied.detail


def test_without_the_labs_client_only_lost_replies_are_reported() -> None:
    assert _run([_answered("127.0.41.61", "127.0.40.150:5555")], nat_client=False).rows == []
