"""`servers --wait-drained`: when a drain has run its time, on a clock the test drives."""

from __future__ import annotations

from eas_lb.operations.appliances.live_servers import LiveServer
from eas_lb.operations.servers.drained import DrainWatch


def _server(
    address: str, state: str, vip: str = "MGMT_HTTP-80", connections: int | None = None
) -> LiveServer:
    return LiveServer("lb1", "7", vip, f"EAS_SSS-{address}", address, state, connections)


def _watch(maintenance: dict[str, str] | None = None) -> DrainWatch:
    return DrainWatch(lambda vip: 600 if vip == "MGMT_HTTPS-443" else 300, maintenance or {})


def test_a_drain_has_run_its_time_after_its_pools_drain_time_from_when_it_was_first_seen() -> None:
    watch = _watch({"10.0.0.1": "drain"})
    servers = [
        _server("10.0.0.1", "drain"),
        _server("10.0.0.1", "drain", "MGMT_HTTPS-443"),
        _server("10.0.0.2", "online"),
    ]
    first = watch.observe(servers, now=1000.0)
    assert not first.finished and len(first.waiting) == 2
    assert "EAS 10.0.0.1 on MGMT_HTTP-80 (lb1): 300 s of its 300 s drain left" in first.waiting
    halfway = watch.observe(servers, now=1300.0)  # MGMT_HTTP-80's 300 s are over, not MGMT_HTTPS-443's 600
    assert halfway.waiting == ("EAS 10.0.0.1 on MGMT_HTTPS-443 (lb1): 300 s of its 600 s drain left",)
    assert watch.observe(servers, now=1600.0).finished


def test_no_established_connection_left_ends_the_wait_early_and_halt_has_nothing_to_drain() -> None:
    watch = _watch()
    progress = watch.observe(
        [
            _server("10.0.0.1", "drain", connections=0),
            _server("10.0.0.3", "halt"),
            _server("10.0.0.4", "drain", connections=2),
        ],
        now=0.0,
    )
    assert progress.done == 2
    assert progress.waiting == (
        "EAS 10.0.0.4 on MGMT_HTTP-80 (lb1): 300 s of its 300 s drain left, 2 connections left",
    )


def test_a_server_back_online_meanwhile_starts_its_clock_again() -> None:
    watch = _watch()
    watch.observe([_server("10.0.0.1", "drain")], now=0.0)
    watch.observe([_server("10.0.0.1", "online")], now=200.0)
    again = watch.observe([_server("10.0.0.1", "drain")], now=250.0)
    assert again.waiting == ("EAS 10.0.0.1 on MGMT_HTTP-80 (lb1): 300 s of its 300 s drain left",)


def test_a_maintenance_server_still_online_has_not_started_its_drain() -> None:
    watch = _watch({"10.0.0.1": "drain", "10.0.0.9": "halt"})
    progress = watch.observe(
        [_server("10.0.0.1", "online"), _server("10.0.0.1", "drain", "MGMT_HTTPS-443")], now=0.0
    )
    assert progress.not_started == (
        "EAS 10.0.0.1 is in maintenance (drain) in the site file but online on MGMT_HTTP-80 (lb1): "
        "deploy first",
        "EAS 10.0.0.9 is in maintenance in the site file but on no VIP of the appliances",
    )
    assert not progress.finished
