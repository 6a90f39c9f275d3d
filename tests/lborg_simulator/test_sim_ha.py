"""HA pairs: ha_create, replication except per-node settings, take-over when the primary stops."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.eas_servers import eas_servers
from lborg_simulator.testing import TEST_PASSWORD, SimulatorProcess, running_simulator
from tests.support.simulator_api import data, l7_vip, names_seen, nodestatus, one, rip, wait_for

pytestmark = pytest.mark.slow

PRIMARY_GLOBALS = {"l7.interval": "3000", "l4.checkinterval": "3", "l4.failurecount": "2"}


@pytest.fixture
def pair(tmp_path: Path, subnet: str) -> Iterator[tuple[SimulatorProcess, SimulatorProcess]]:
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.5"]
    with ExitStack() as stack:
        primary = stack.enter_context(
            running_simulator(
                tmp_path / "lb1", f"{subnet}.1:10443", name="lb1", extra_args=shared, advanced=PRIMARY_GLOBALS
            )
        )
        secondary = stack.enter_context(
            running_simulator(tmp_path / "lb2", f"{subnet}.2:10443", name="lb2", extra_args=shared)
        )
        yield primary, secondary


def _ha_create(primary: SimulatorProcess, subnet: str) -> dict[str, str]:
    return one(
        primary,
        {
            "action": "ha_create",
            "local_ip": f"{subnet}.1",
            "peer_ip": f"{subnet}.2",
            "peer_password": TEST_PASSWORD,
        },
    )


def test_config_replicates_but_per_node_settings_do_not(
    pair: tuple[SimulatorProcess, SimulatorProcess], subnet: str
) -> None:
    primary, secondary = pair
    assert _ha_create(primary, subnet)["status"] == "success"
    assert _ha_create(primary, subnet)["status"] == "failed"
    primary.call_ok(
        [
            l7_vip("MGMT_HTTP", f"{subnet}.10", 13000),
            rip("MGMT_HTTP", "EAS_SSS-1", f"{subnet}.21", 13080),
            {"action": "add-floating-ip", "ip": f"{subnet}.50"},
            {"action": "reload-haproxy"},
            {"action": "hostname", "function": "set", "hostname": "primary-node"},
            {"action": "route", "function": "default", "type": "set", "gateway": "192.0.2.1"},
        ]
    )
    mine = data(primary, {"action": "list", "function": "dumpconfig"})
    theirs = data(secondary, {"action": "list", "function": "dumpconfig"})
    for name in ("haproxy", "ldirectord", "heartbeat"):
        assert theirs[name] == mine[name], name
    assert theirs["haproxy"]["global"]["interval"] == "3000"  # L7 globals replicate
    assert theirs["ldirectord"]["global"]["failurecount"] == "2"  # and L4 globals
    assert theirs["physical"]["network"]["hostname"] == "lb2"
    assert theirs["physical"]["routing"] == []
    p_status, s_status = nodestatus(primary), nodestatus(secondary)
    assert (p_status["role"], p_status["state"], p_status["ha"], p_status["peer"]) == (
        "master",
        "active",
        True,
        f"{subnet}.2",
    )
    assert (s_status["role"], s_status["state"], s_status["peer"]) == ("slave", "passive", f"{subnet}.1")
    assert s_status["pending"] == ["heartbeat"]  # like the primary: floating IP added, heartbeat not reloaded
    assert s_status["counters"]["reloads"]["haproxy"] == 1
    assert s_status["vips"][0]["status"] == "not bound: passive node"
    assert p_status["floating_ips"]["owned"] is True and s_status["floating_ips"]["owned"] is False


def test_peer_must_be_empty(pair: tuple[SimulatorProcess, SimulatorProcess], subnet: str) -> None:
    primary, secondary = pair
    secondary.call_ok([{"action": "add-floating-ip", "ip": f"{subnet}.60"}])
    result = _ha_create(primary, subnet)
    assert result["status"] == "failed" and "not empty" in result["message"]
    wrong = one(
        primary,
        {"action": "ha_create", "local_ip": f"{subnet}.1", "peer_ip": f"{subnet}.2", "peer_password": "nope"},
    )
    assert wrong["status"] == "failed" and "peer_password" in wrong["message"]
    assert nodestatus(primary)["ha"] is False


def test_stopping_the_primary_moves_the_vips(
    pair: tuple[SimulatorProcess, SimulatorProcess], subnet: str
) -> None:
    primary, secondary = pair
    vip = f"{subnet}.10"
    with eas_servers([("eas-a", f"{subnet}.21", 13080)]):
        assert _ha_create(primary, subnet)["status"] == "success"
        primary.call_ok(
            [
                l7_vip("MGMT_HTTP", vip, 13000),
                rip("MGMT_HTTP", "EAS_SSS-1", f"{subnet}.21", 13080),
                {"action": "reload-haproxy"},
            ]
        )
        assert names_seen(vip, 13000, 2) == ["eas-a", "eas-a"]
        primary.stop()
        wait_for(lambda: nodestatus(secondary)["state"] == "active", what="secondary to take over")
        wait_for(lambda: names_seen(vip, 13000, 1) == ["eas-a"], what="VIP served by the secondary")
        assert nodestatus(secondary)["floating_ips"]["owned"] is True
        primary.start()
        wait_for(lambda: nodestatus(primary)["state"] == "active", what="primary to take back")
        wait_for(lambda: nodestatus(secondary)["state"] == "passive", what="secondary to yield")
        assert names_seen(vip, 13000, 2) == ["eas-a", "eas-a"]


def test_ha_create_explains_an_untrusted_peer_certificate(tmp_path: Path, subnet: str) -> None:
    with ExitStack() as stack:
        primary = stack.enter_context(running_simulator(tmp_path / "lb1", f"{subnet}.1:10443"))
        stack.enter_context(running_simulator(tmp_path / "lb2", f"{subnet}.2:10443", name="lb2"))
        result = _ha_create(primary, subnet)
    assert result["status"] == "failed"
    assert "--ca-dir" in result["message"] and "--peer-ca" in result["message"]


def test_a_secondary_that_was_down_catches_up(
    pair: tuple[SimulatorProcess, SimulatorProcess], subnet: str
) -> None:
    primary, secondary = pair
    assert _ha_create(primary, subnet)["status"] == "success"
    secondary.stop()
    results = primary.call_ok([l7_vip("LATE", f"{subnet}.10", 13000), {"action": "reload-haproxy"}])
    assert "not replicated yet" in results[-1]["message"]
    assert nodestatus(primary)["state"] == "active"
    secondary.start()

    def same_config() -> bool:
        mine = data(primary, {"action": "list", "function": "dumpconfig"})
        theirs = data(secondary, {"action": "list", "function": "dumpconfig"})
        return all(mine[name] == theirs[name] for name in ("haproxy", "ldirectord", "heartbeat"))

    wait_for(same_config, what="the secondary to receive the missed change")
    status = nodestatus(secondary)
    assert (status["state"], status["pending"]) == ("passive", [])
    assert [vip["status"] for vip in status["vips"]] == ["not bound: passive node"]
