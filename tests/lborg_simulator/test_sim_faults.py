"""Fault injection: off by default, switchable at run time, replayable with a seed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.simulator_api import nodestatus

NODESTATUS = {"lbcli": [{"action": "nodestatus"}]}


def _set_faults(sim: SimulatorProcess, **settings: object) -> None:
    target = sim.state_dir / "faults.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings))
    tmp.replace(target)


def test_faults_are_off_by_default(sim: SimulatorProcess) -> None:
    assert all(sim.post(NODESTATUS).status_code == 200 for _ in range(20))


def test_runtime_faults_file_switches_kinds(sim: SimulatorProcess) -> None:
    _set_faults(sim, rate=1, kinds=["http500"])
    response = sim.post(NODESTATUS)
    assert response.status_code == 500
    assert "injected" in response.json()["error"]

    _set_faults(sim, rate=1, kinds=["failed"])
    response = sim.post({"lbcli": [{"action": "nodestatus"}, {"action": "list", "function": "floatingip"}]})
    results = response.json()["lbapi"][0]["itteration"][0]["lbcli"]
    assert [r["status"] for r in results] == ["failed", "failed"]
    assert all(r["message"] for r in results)

    _set_faults(sim, rate=1, kinds=["drop"])
    with pytest.raises(requests.exceptions.ConnectionError):
        sim.post(NODESTATUS)

    _set_faults(sim, rate=1, kinds=["timeout"], timeout_s=3)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sim.post(NODESTATUS, timeout=0.5)

    _set_faults(sim, rate=0, latency_ms=300)
    started = time.monotonic()
    assert sim.post(NODESTATUS).status_code == 200
    assert time.monotonic() - started >= 0.3

    (sim.state_dir / "faults.json").unlink()
    assert sim.post(NODESTATUS).status_code == 200


def test_bad_faults_file_is_reported(sim: SimulatorProcess) -> None:
    _set_faults(sim, rate=2)
    response = sim.post(NODESTATUS)
    assert response.status_code == 500
    assert "rate" in response.json()["error"]


def test_failed_faults_leave_configuration_untouched(sim: SimulatorProcess, subnet: str) -> None:
    _set_faults(sim, rate=1, kinds=["failed"])
    sim.post({"lbcli": [{"action": "add-floating-ip", "ip": f"{subnet}.50"}]})
    (sim.state_dir / "faults.json").unlink()
    assert nodestatus(sim)["pending"] == []


def _status_sequence(sim: SimulatorProcess, count: int) -> list[int]:
    codes = []
    for _ in range(count):
        codes.append(sim.post(NODESTATUS).status_code)
    return codes


def test_seed_replays_the_same_faults(tmp_path: Path, subnet: str) -> None:
    args = ["--fault-rate", "0.5", "--fault-kinds", "http500", "--fault-seed", "42"]
    runs = []
    for attempt in range(2):
        with running_simulator(tmp_path / f"lb{attempt}", f"{subnet}.1:10443", extra_args=args) as sim:
            runs.append(_status_sequence(sim, 20))
    assert runs[0] == runs[1]
    assert set(runs[0]) == {200, 500}


def test_an_early_answer_does_not_poison_a_kept_alive_connection(sim: SimulatorProcess) -> None:
    """An injected 500 (or a 401) is sent before the body is read; the connection must then
    close, or the unread body would be parsed as the next request on it."""
    from lborg_simulator.testing import TEST_PASSWORD, TEST_USERNAME, api_headers

    with requests.Session() as session:

        def post(password: str) -> requests.Response:
            return session.post(
                sim.endpoint,
                json=NODESTATUS,
                auth=(TEST_USERNAME, password),
                headers=api_headers(),
                verify=str(sim.ca_file),
                timeout=10,
            )

        _set_faults(sim, rate=1, kinds=["http500"])
        assert post(TEST_PASSWORD).status_code == 500
        (sim.state_dir / "faults.json").unlink()
        assert post("wrong").status_code == 401
        assert post(TEST_PASSWORD).status_code == 200


def _floating_ips(sim: SimulatorProcess) -> list[str]:
    data = sim.call([{"action": "list", "function": "floatingip"}])[0]["data"]
    return list(data["floatingip"])


def test_applied_kinds_run_the_actions_and_lose_the_answer(sim: SimulatorProcess, subnet: str) -> None:
    """`lost`, `cut` and `late` change the configuration although the client hears no success."""
    expected: list[str] = []
    for number, (kind, error) in enumerate(
        [
            ("lost", None),
            ("cut", requests.exceptions.ConnectionError),
            ("late", requests.exceptions.ReadTimeout),
        ],
        start=50,
    ):
        ip = f"{subnet}.{number}"
        _set_faults(sim, rate=1, kinds=[kind], timeout_s=2)
        body = {"lbcli": [{"action": "add-floating-ip", "ip": ip}]}
        if error is None:
            response = sim.post(body)
            assert response.status_code == 500
            assert "after the actions ran" in response.json()["error"]
        else:
            with pytest.raises(error):
                sim.post(body, timeout=0.5)
        (sim.state_dir / "faults.json").unlink()
        expected.append(ip)
        assert _floating_ips(sim) == expected, kind
    assert nodestatus(sim)["pending"] == ["heartbeat"]
    assert json.loads((sim.state_dir / "faults-seen.json").read_text()) == {"cut": 1, "late": 1, "lost": 1}


def test_a_late_answer_arrives_after_timeout_s_and_does_not_block_others(sim: SimulatorProcess) -> None:
    _set_faults(sim, rate=1, kinds=["late"], timeout_s=1.5, seed=1)
    started = time.monotonic()
    late = sim.post(NODESTATUS, timeout=10)
    assert late.status_code == 200 and time.monotonic() - started >= 1.5
    assert late.json()["lbapi"][0]["itteration"][0]["lbcli"][0]["status"] == "success"
    # While one answer is held back, the appliance answers others: the lock is not held.
    held = threading.Thread(target=lambda: sim.post(NODESTATUS, timeout=10))
    held.start()
    (sim.state_dir / "faults.json").unlink()
    time.sleep(0.2)
    quick = time.monotonic()
    assert sim.post(NODESTATUS).status_code == 200
    assert time.monotonic() - quick < 1.0
    held.join()


def test_kinds_are_validated_and_the_default_leaves_out_the_applied_ones() -> None:
    from lborg_simulator.faults import APPLIED_KINDS, DEFAULT_KINDS, FaultSettings, validate_kinds

    assert FaultSettings.parse({"rate": 0.1}, "faults.json").kinds == DEFAULT_KINDS
    assert not set(APPLIED_KINDS) & set(DEFAULT_KINDS)
    assert validate_kinds(("late", " lost", "cut "), "x") == ("late", "lost", "cut")
    with pytest.raises(ValueError, match=r"fault kind 'slow' is not one of .*late, lost, cut"):
        FaultSettings.parse({"kinds": "late,slow"}, "faults.json")


def test_seed_replays_every_kind_without_a_process(tmp_path: Path) -> None:
    """The same seed draws the same faults, kind by kind, the applied ones included."""
    from lborg_simulator.faults import FAULT_KINDS, FaultInjector, FaultSettings

    settings = FaultSettings(rate=0.3, kinds=FAULT_KINDS, seed=7)
    first = FaultInjector(settings, tmp_path / "absent.json")
    second = FaultInjector(settings, tmp_path / "absent.json")
    one = [first.draw()[0] for _ in range(400)]
    two = [second.draw()[0] for _ in range(400)]
    assert one == two
    assert set(one) == {None, *FAULT_KINDS}
    assert 0.2 < sum(kind is not None for kind in one) / len(one) < 0.4


def test_cli_rejects_an_unknown_kind(subnet: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "lborg_simulator",
            "serve",
            "--listen",
            f"{subnet}.1:10443",
            "--fault-kinds",
            "lost,nope",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "fault kind 'nope'" in result.stderr and "late" in result.stderr
