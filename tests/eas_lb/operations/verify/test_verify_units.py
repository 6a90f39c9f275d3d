"""verify's parts without an appliance: probes against local sockets, the target guard, the
balancing verdicts and the report."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from eas_lb.operations.appliances.targets import TargetGuard, UndeclaredTargetError, VipTarget
from eas_lb.operations.verify.probe import ProbeResult, probe
from eas_lb.operations.verify.report import Outcome, Report
from eas_lb.operations.verify.traffic import check_balancing, check_reachable

HOST = "127.3.200.1"


@contextmanager
def _server(behaviour: str) -> Iterator[int]:
    """A listener on HOST that identifies itself, stays silent, or closes at once."""
    listener = socket.socket()
    listener.bind((HOST, 0))
    listener.listen()
    port = listener.getsockname()[1]
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                if behaviour == "identify":
                    conn.sendall(f"EAS-SIM name=eas-a addr={HOST}:{port}\n".encode())
                elif behaviour == "silent":
                    stop.wait(1.5)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        stop.set()
        thread.join()
        listener.close()


def test_probe_reads_the_identity_of_the_server() -> None:
    with _server("identify") as port:
        result = probe(HOST, port)
    assert result.connected and result.error is None
    assert result.server == "eas-a" and result.server_ip == HOST


def test_probe_counts_a_silent_server_that_holds_the_connection_as_served() -> None:
    with _server("silent") as port:
        result = probe(HOST, port, banner_wait=0.3)
    assert result.connected and result.error is None and result.server is None


def test_probe_tells_a_vip_without_healthy_servers_apart() -> None:
    with _server("close") as port:
        result = probe(HOST, port)
    assert result.connected and result.error == "closed by the VIP without data"


def test_probe_reports_a_refused_connection() -> None:
    with _server("identify") as port:
        pass
    result = probe(HOST, port, timeout=1)
    assert not result.connected and result.error == "connection refused"


def _vip(sticky: int = 0, servers: tuple[str, ...] = ("127.3.201.1", "127.3.201.2")) -> VipTarget:
    return VipTarget("MGMT_X", "management", HOST, 18080, sticky, servers, "pair1")


def test_guard_refuses_anything_the_site_does_not_declare() -> None:
    guard = TargetGuard([_vip()])
    guard.check(HOST, 18080)
    with pytest.raises(UndeclaredTargetError):
        guard.check(HOST, 18081)
    with pytest.raises(UndeclaredTargetError):
        guard.check("10.0.0.1", 18080)


def _prober(names: list[str | None]) -> object:
    answers = iter(names)

    def fake(ip: str, port: int) -> ProbeResult:
        name = next(answers)
        return ProbeResult(f"{ip}:{port}", True, name, None, 0.01, None)

    return fake


@pytest.mark.parametrize(
    ("sticky", "names", "outcome"),
    [
        (2100, ["a", "a", "a", "a"], Outcome.PASS),
        (2100, ["a", "b", "a", "a"], Outcome.FAIL),
        (0, ["a", "b", "a", "b"], Outcome.PASS),
        (0, ["a", "a", "a", "a"], Outcome.FAIL),
        (0, [None, None, None, None], Outcome.SKIP),
    ],
)
def test_balancing_verdicts(sticky: int, names: list[str | None], outcome: Outcome) -> None:
    vip = _vip(sticky)
    report = Report("t")
    check_balancing(vip, TargetGuard([vip]), report, prober=_prober(names), attempts=4)  # type: ignore[arg-type]
    assert [row.outcome for row in report.rows] == [outcome]
    assert report.rows[0].test == ("persistence" if sticky else "spread")


def _prober_with_addresses(addresses: list[str]) -> object:
    answers = iter(addresses)

    def fake(ip: str, port: int) -> ProbeResult:
        address = next(answers)
        return ProbeResult(f"{ip}:{port}", True, f"eas-{address}", None, 0.01, address)

    return fake


@pytest.mark.parametrize(
    ("addresses", "outcome", "detail"),
    [
        (
            ["127.3.201.1", "127.3.201.2"] * 3,
            Outcome.PASS,
            "6 connections over eas-127.3.201.1 x3, eas-127.3.201.2 x3",
        ),
        (
            ["127.3.201.1", "127.3.201.2", "127.3.201.1", "127.3.201.2", "127.3.201.1", "127.3.201.1"],
            Outcome.FAIL,
            "6 connections over eas-127.3.201.1 x4, eas-127.3.201.2 x2; none on 127.3.201.3",
        ),
    ],
)
def test_spread_fails_when_a_declared_server_got_no_connection(
    addresses: list[str], outcome: Outcome, detail: str
) -> None:
    vip = _vip(
        0,
        ("127.3.201.1", "127.3.201.2", "127.3.201.3")
        if outcome is Outcome.FAIL
        else ("127.3.201.1", "127.3.201.2"),
    )
    report = Report("t")
    check_balancing(vip, TargetGuard([vip]), report, prober=_prober_with_addresses(addresses), attempts=6)  # type: ignore[arg-type]
    assert [(row.outcome, row.detail) for row in report.rows] == [(outcome, detail)]


def test_spread_with_too_few_connections_to_tell_does_not_fail_on_an_unused_server() -> None:
    vip = _vip(0, ("127.3.201.1", "127.3.201.2", "127.3.201.3"))
    report = Report("t")
    addresses = ["127.3.201.1", "127.3.201.2", "127.3.201.1", "127.3.201.2"]
    check_balancing(vip, TargetGuard([vip]), report, prober=_prober_with_addresses(addresses), attempts=4)  # type: ignore[arg-type]
    assert [row.outcome for row in report.rows] == [Outcome.PASS]
    assert report.rows[0].detail.startswith("4 connections over")


def test_unreachable_vip_fails_the_report_and_json_says_so() -> None:
    vip = _vip()
    report = Report("t")

    def refused(ip: str, port: int) -> ProbeResult:
        return ProbeResult(f"{ip}:{port}", False, None, "connection refused", 0.0)

    assert not check_reachable(vip, TargetGuard([vip]), report, prober=refused)
    assert not report.passed
    document = json.loads(report.to_json())
    assert document["passed"] is False and document["counts"] == {"pass": 0, "fail": 1, "skip": 0, "warn": 0}
    assert "verification FAILED: 0 of 1 checks passed" in report.to_table()


def test_an_empty_report_never_passes() -> None:
    assert not Report("t").passed


def test_every_missing_credential_variable_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.appliances.clients import MissingCredentialsError, pair_clients
    from tests.support.paths import REPO_ROOT

    deployment = load_deployment(REPO_ROOT / "examples" / "site-demo.yaml")
    credentials = deployment.site.credentials
    for name in (credentials.username_env, credentials.password_env, credentials.api_key_env or ""):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(credentials.username_env, "loadbalancer")
    with pytest.raises(MissingCredentialsError) as caught:
        pair_clients(deployment)
    nodes = ", ".join(node.name for node in deployment.pairs[0].pair.nodes)
    assert str(caught.value) == (
        f"environment variables {credentials.password_env} and {credentials.api_key_env} are not set "
        f"(appliances {nodes})"
    )
