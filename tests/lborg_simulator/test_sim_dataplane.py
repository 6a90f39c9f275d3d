"""Traffic through the real HAProxy the simulator runs, to stand-in EAS servers on 127.1.x."""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.eas_servers import EasServerGroup, eas_servers
from lborg_simulator.haproxy_process import HaproxyProcess
from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.simulator_api import (
    identity_via,
    l4_vip,
    l7_vip,
    names_seen,
    nodestatus,
    one,
    rip,
    wait_for,
)

pytestmark = pytest.mark.slow

FAST_CHECKS = {
    "l7.interval": "300",
    "l7.rise": "2",
    "l7.fall": "2",
    "l4.checkinterval": "1",
    "l4.checktimeout": "1",
    "l4.failurecount": "1",
}


@pytest.fixture
def fast_sim(tmp_path: Path, subnet: str) -> Iterator[SimulatorProcess]:
    with running_simulator(tmp_path / "lb1", f"{subnet}.1:10443", advanced=FAST_CHECKS) as simulator:
        yield simulator


@pytest.fixture
def backends(subnet: str) -> Iterator[EasServerGroup]:
    specs = [("eas-a", f"{subnet}.21", 12080), ("eas-b", f"{subnet}.22", 12080)]
    with eas_servers(specs) as group:
        yield group


def test_eas_server_answers_http_and_plain(backends: EasServerGroup, subnet: str) -> None:
    import requests

    assert identity_via(f"{subnet}.21", 12080) == "eas-a"
    response = requests.get(f"http://{subnet}.22:12080/", timeout=10)
    assert response.status_code == 200
    # Straight to the server: it saw this client's own loopback address.
    assert response.text.startswith(f"EAS-SIM name=eas-b addr={subnet}.22:12080 client=127.")
    backends["eas-a"].stop()
    with pytest.raises(OSError):
        identity_via(f"{subnet}.21", 12080, timeout=2)
    backends["eas-a"].start()
    assert identity_via(f"{subnet}.21", 12080) == "eas-a"


def _l7_pool(sim: SimulatorProcess, subnet: str, **extra: str) -> str:
    vip = f"{subnet}.10"
    sim.call_ok(
        [
            l7_vip("MGMT_HTTP", vip, 12000, **extra),
            rip("MGMT_HTTP", "EAS_SSS-1", f"{subnet}.21", 12080),
            rip("MGMT_HTTP", "EAS_SSS-2", f"{subnet}.22", 12080),
            {"action": "reload-haproxy"},
        ]
    )
    return vip


@pytest.mark.smoke
def test_l7_vip_reaches_every_backend_with_weighted_round_robin(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    vip = _l7_pool(fast_sim, subnet, persistence="none")
    seen = Counter(names_seen(vip, 12000, 10))
    # Equal weights alternate; a tolerance keeps a momentary failed check on a loaded machine from
    # failing the test while still catching "everything to one backend".
    assert set(seen) == {"eas-a", "eas-b"} and min(seen.values()) >= 3, seen
    fast_sim.call_ok(
        [
            {"action": "edit-rip", "vip": "MGMT_HTTP", "rip": "EAS_SSS-1", "weight": "3"},
            {"action": "reload-haproxy"},
        ]
    )
    seen = Counter(names_seen(vip, 12000, 12))
    assert seen["eas-a"] < seen["eas-b"]  # weight 3 vs 100


def test_sticky_vip_keeps_a_client_on_one_backend(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    vip = _l7_pool(fast_sim, subnet, persistence="ip", persist_time="35")
    cfg = (fast_sim.state_dir / "haproxy" / "haproxy.cfg").read_text()
    assert "expire 35m" in cfg and "stick on src" in cfg
    by_client = {
        source: set(names_seen(vip, 12000, 6, source=source)) for source in (f"{subnet}.101", f"{subnet}.102")
    }
    assert all(len(names) == 1 for names in by_client.values()), by_client
    assert by_client[f"{subnet}.101"] != by_client[f"{subnet}.102"]
    fast_sim.call_ok([{"action": "haproxy-clear-stick", "vip": "MGMT_HTTP"}])
    assert one(fast_sim, {"action": "haproxy-clear-stick", "vip": "NOPE"})["status"] == "missing"


def test_the_vip_limits_are_haproxys_and_a_full_persistence_table_evicts_its_oldest_client(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    """`maxconn` and `persist_table_size` reach the real HAProxy, and a full table behaves as
    HAProxy's own: the oldest entry is purged for a new client (configuration manual, `stick-table`)."""
    vip = _l7_pool(fast_sim, subnet, persistence="ip", persist_time="35", persist_table_size="2", maxconn="7")
    cfg = (fast_sim.state_dir / "haproxy" / "haproxy.cfg").read_text()
    assert "    maxconn 7\n" in cfg and "    stick-table type ip size 2 expire 35m\n" in cfg
    haproxy = HaproxyProcess(fast_sim.state_dir / "haproxy")
    stats = list(csv.DictReader(haproxy.command("show stat").lstrip("# ").splitlines()))
    (frontend,) = [row for row in stats if row["pxname"] == "MGMT_HTTP" and row["svname"] == "FRONTEND"]
    assert frontend["slim"] == "7"  # HAProxy's own session limit of the VIP
    clients = [f"{subnet}.101", f"{subnet}.102", f"{subnet}.103"]
    for client in clients:
        identity_via(vip, 12000, source=client)  # each connection ends: no entry is held in use
        time.sleep(0.05)  # one after the other: the first client's entry is the oldest
    table = haproxy.command("show table MGMT_HTTP")
    assert "size:2, used:2" in table, table
    assert set(re.findall(r": key=(\S+)", table)) == set(clients[1:]), table  # the first is gone


def test_stopped_backend_leaves_rotation_and_returns(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    vip = _l7_pool(fast_sim, subnet, persistence="none")
    wait_for(lambda: set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}, what="both backends in rotation")
    backends["eas-b"].stop()
    wait_for(lambda: set(names_seen(vip, 12000, 4)) == {"eas-a"}, what="eas-b out of rotation")
    backends["eas-b"].start()
    wait_for(lambda: set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}, what="eas-b back in rotation")


def test_l4_nat_vip_reaches_every_backend(fast_sim: SimulatorProcess, subnet: str) -> None:
    vip = f"{subnet}.10"
    specs = [("eas-a", f"{subnet}.21", 12443), ("eas-b", f"{subnet}.22", 12443)]
    with eas_servers(specs) as group:
        fast_sim.call_ok(
            [
                l4_vip("SERV_HTTPS", vip, 12443, persistent="off", scheduler="wrr"),
                rip("SERV_HTTPS", "EAS_SSS-1", f"{subnet}.21"),
                rip("SERV_HTTPS", "EAS_SSS-2", f"{subnet}.22"),
                {"action": "reload-ldirectord"},
            ]
        )
        cfg = (fast_sim.state_dir / "haproxy-layer4" / "haproxy.cfg").read_text()
        assert "inter 1s fall 1 rise 2" in cfg and "timeout check 1s" in cfg
        seen = Counter(names_seen(vip, 12443, 8))
        assert set(seen) == {"eas-a", "eas-b"} and min(seen.values()) >= 2, seen
        group["eas-a"].stop()
        wait_for(lambda: set(names_seen(vip, 12443, 4)) == {"eas-b"}, what="eas-a out of the L4 rotation")
        fast_sim.call_ok(
            [{"action": "edit-vip", "vip": "SERV_HTTPS", "persistent": "on"}, {"action": "reload-ldirectord"}]
        )
        group["eas-a"].start()
        assert "expire 300s" in (fast_sim.state_dir / "haproxy-layer4" / "haproxy.cfg").read_text()


def test_bad_config_is_refused_and_old_one_keeps_serving(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    vip = _l7_pool(fast_sim, subnet, persistence="none")
    assert set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}
    fast_sim.call_ok([{"action": "edit-vip", "vip": "MGMT_HTTP", "timeout_client": "30d"}])
    result = one(fast_sim, {"action": "reload-haproxy"})
    assert result["status"] == "failed"
    assert "timer overflow" in result["message"] and "timeout client" in result["message"]
    assert set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}
    status = nodestatus(fast_sim)
    assert status["pending"] == ["haproxy"]
    assert status["counters"]["reloads"]["haproxy"] == 1


def test_drain_and_halt_take_effect_without_reload(
    fast_sim: SimulatorProcess, backends: EasServerGroup, subnet: str
) -> None:
    vip = _l7_pool(fast_sim, subnet, persistence="none")
    fast_sim.call_ok([{"action": "halt", "vip": "MGMT_HTTP", "rip": "EAS_SSS-2"}])
    assert set(names_seen(vip, 12000, 4)) == {"eas-a"}
    fast_sim.call_ok([{"action": "online", "vip": "MGMT_HTTP", "rip": "EAS_SSS-2"}])
    wait_for(lambda: set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}, what="EAS_SSS-2 back online")
    fast_sim.call_ok([{"action": "drain", "vip": "MGMT_HTTP", "rip": "EAS_SSS-1"}])
    assert set(names_seen(vip, 12000, 4)) == {"eas-b"}


def test_non_loopback_vips_are_kept_but_never_bound(fast_sim: SimulatorProcess, subnet: str) -> None:
    fast_sim.call_ok(
        [
            l7_vip("MGMT_HTTP-80", "10.225.37.227", 80),
            rip("MGMT_HTTP-80", "EAS_SSS-1", "10.225.37.231", 80),
            l4_vip("SERV_HTTP-80", "192.168.85.20", 80),
            rip("SERV_HTTP-80", "EAS_SSS-1", "192.168.85.61"),
            l7_vip("LOCAL", f"{subnet}.10", 12000),
            rip("LOCAL", "FAR", "10.225.37.116", 12000),
            {"action": "reload-haproxy"},
            {"action": "reload-ldirectord"},
        ]
    )
    by_label = {vip["label"]: vip for vip in nodestatus(fast_sim)["vips"]}
    assert by_label["MGMT_HTTP-80"]["status"] == "not bound: non-loopback address"
    assert by_label["SERV_HTTP-80"]["status"] == "not bound: non-loopback address"
    assert by_label["LOCAL"]["bound"] is True
    assert by_label["LOCAL"]["reals"][0]["status"] == "not used: non-loopback address"
    cfg = (fast_sim.state_dir / "haproxy" / "haproxy.cfg").read_text()
    assert "10.225." not in cfg and "192.168." not in cfg


def test_haproxy_of_a_killed_simulator_is_stopped_at_the_next_start(
    tmp_path: Path, subnet: str, backends: EasServerGroup
) -> None:
    from tests.support.processes import haproxy_processes_under

    with running_simulator(tmp_path / "lb1", f"{subnet}.1:10443") as sim:
        vip = _l7_pool(sim, subnet, persistence="none")
        sim.kill()
        assert haproxy_processes_under(tmp_path), "HAProxy should outlive a SIGKILLed simulator"
        assert set(names_seen(vip, 12000, 2)) <= {"eas-a", "eas-b"}
        old_master = int((sim.state_dir / "haproxy" / "haproxy.pid").read_text().split()[0])
        sim.start()
        status = nodestatus(sim)
        assert [v["status"] for v in status["vips"]] == ["bound"]
        assert not Path(f"/proc/{old_master}/cmdline").exists(), "the orphaned HAProxy was not stopped"
        assert set(names_seen(vip, 12000, 4)) == {"eas-a", "eas-b"}
    wait_for(lambda: not haproxy_processes_under(tmp_path), what="HAProxy to stop with the simulator")
