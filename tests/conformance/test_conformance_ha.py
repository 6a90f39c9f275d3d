"""`ha_create` as the help and the vendor's HA example use it, posted raw to a pair of simulators."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.testing import TEST_PASSWORD, SimulatorProcess, lbcli_results, running_simulator
from tests.conformance.fixture_files import requests_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pair(module_dir: Path) -> Iterator[tuple[SimulatorProcess, SimulatorProcess]]:
    shared = ["--ca-dir", str(module_dir / "ca"), "--heartbeat-interval", "0.5"]
    with ExitStack() as stack:
        local = stack.enter_context(
            running_simulator(module_dir / "lb1", "127.10.0.2:10443", name="lbha1", extra_args=shared)
        )
        peer = stack.enter_context(
            running_simulator(module_dir / "lb2", "127.10.0.3:10443", name="lbha2", extra_args=shared)
        )
        yield local, peer


def test_ha_pair_requests_succeed(pair: tuple[SimulatorProcess, SimulatorProcess]) -> None:
    local, peer = pair
    termination = {
        "action": "termination",
        "type": "stunnel",
        "vip": "TLS",
        "ip": "127.10.0.3",
        "port": "16443",
    }
    peer.call_ok([{**termination, "function": "add", "backend_port": "16080"}])
    refused = local.call(
        [
            {
                "action": "ha_create",
                "local_ip": "127.10.0.2",
                "peer_ip": "127.10.0.3",
                "peer_password": TEST_PASSWORD,
            }
        ]
    )[0]
    assert refused["status"] == "failed" and "not empty" in refused["message"], refused  # the help
    peer.call_ok([{"action": "termination", "type": "stunnel", "function": "delete", "vip": "TLS"}])
    for request in requests_of("ha_pair"):
        actions = [
            {key: TEST_PASSWORD if value == "PEER_PASSWORD" else value for key, value in action.items()}
            for action in request.lbcli
        ]
        response = local.post({"lbcli": actions})
        assert response.status_code == 200
        statuses = [(r["action"], r["status"], r.get("message")) for r in lbcli_results(response.json())]
        assert all(status == "success" for _a, status, _m in statuses), f"{request.name}: {statuses}"
    replicated = peer.call([{"action": "list", "function": "virtual", "layer": "7", "vip": "paired"}])[0]
    assert replicated["status"] == "success"
    assert replicated["data"]["virtual"][0]["real"]["label"] == "paired0"
