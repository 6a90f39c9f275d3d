"""Fault injection: off by default, switchable at run time, replayable with a seed."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests
from sim_helpers import nodestatus

from lborg_simulator.testing import SimulatorProcess, running_simulator

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
