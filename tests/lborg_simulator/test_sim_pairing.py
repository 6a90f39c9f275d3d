"""The HA peer password is used once, at ha_create, and stored by neither simulator.

After pairing, the primary authenticates to its peer with a random pairing key; the peer keeps
only a salted scrypt hash of it. State written before pairing keys (the password in `ha.json`)
is converted at the next start. Loopback range 127.17.4.0/24.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests

from lborg_simulator.pairing import PAIRING_HEADER, KeyHash, new_pairing_key
from lborg_simulator.testing import TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.simulator_api import data, l7_vip, wait_for

NET = "127.17.4"


def test_key_hash_is_salted_and_checks_the_key() -> None:
    key = new_pairing_key()
    first, second = KeyHash.of(key), KeyHash.of(key)
    assert first.salt != second.salt and first.digest != second.digest
    assert first.matches(key) and not first.matches(key + "x")
    stored = KeyHash.from_json(json.loads(json.dumps(first.to_json())))
    assert stored is not None and stored.matches(key)
    assert key not in json.dumps(first.to_json())
    assert KeyHash.from_json({"salt": "zz"}) is None and KeyHash.from_json(None) is None


def _files_holding(root: Path, secret: str) -> list[str]:
    return [
        str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and secret.encode() in p.read_bytes()
    ]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[tuple[SimulatorProcess, SimulatorProcess]]:
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.3"]
    with ExitStack() as stack:
        primary = SimulatorProcess(tmp_path / "lb1", f"{NET}.1:10443", name="lb1", extra_args=shared)
        secondary = SimulatorProcess(tmp_path / "lb2", f"{NET}.2:10443", name="lb2", extra_args=shared)
        for sim in (primary, secondary):
            sim.start()
            stack.callback(sim.stop)
        yield primary, secondary


def _replicated(primary: SimulatorProcess, secondary: SimulatorProcess, label: str, port: int) -> None:
    primary.call_ok([l7_vip(label, f"{NET}.10", port)])
    wait_for(
        lambda: label in json.dumps(data(secondary, {"action": "list", "function": "dumpconfig"})["haproxy"]),
        timeout=10,
    )


def _peer_post(sim: SimulatorProcess, headers: dict[str, str]) -> int:
    response = requests.post(
        sim.endpoint + "peer", json={"op": "probe"}, headers=headers, verify=str(sim.ca_file), timeout=10
    )
    return response.status_code


@pytest.mark.slow
def test_no_simulator_keeps_the_peer_password(
    tmp_path: Path, pair: tuple[SimulatorProcess, SimulatorProcess]
) -> None:
    primary, secondary = pair
    created = primary.call(
        [
            {
                "action": "ha_create",
                "local_ip": f"{NET}.1",
                "peer_ip": f"{NET}.2",
                "peer_password": TEST_PASSWORD,
            }
        ]
    )
    assert created[0]["status"] == "success", created
    _replicated(primary, secondary, "MGMT_A", 13000)

    assert _files_holding(tmp_path / "lb1", TEST_PASSWORD) == []
    assert _files_holding(tmp_path / "lb2", TEST_PASSWORD) == []
    mine = json.loads((tmp_path / "lb1" / "ha.json").read_text())
    theirs = json.loads((tmp_path / "lb2" / "ha.json").read_text())
    assert set(mine) == {"peer_url", "pairing_key"}
    assert set(theirs) == {"peer_url", "peer_key_hash"}
    assert mine["pairing_key"] not in (tmp_path / "lb2" / "ha.json").read_text()  # only its hash
    stored = KeyHash.from_json(theirs["peer_key_hash"])
    assert stored is not None and stored.matches(mine["pairing_key"])

    # The peer channel takes the pairing key or the password, nothing else.
    assert _peer_post(secondary, {PAIRING_HEADER: mine["pairing_key"]}) == 200
    assert _peer_post(secondary, {PAIRING_HEADER: new_pairing_key()}) == 401
    assert _peer_post(secondary, {}) == 401
    status = requests.post(
        secondary.endpoint + "peer",
        json={"op": "probe"},
        auth=(TEST_USERNAME, TEST_PASSWORD),
        verify=str(secondary.ca_file),
        timeout=10,
    ).status_code
    assert status == 200


@pytest.mark.slow
def test_a_stored_password_from_older_state_becomes_a_pairing_key(
    tmp_path: Path, pair: tuple[SimulatorProcess, SimulatorProcess]
) -> None:
    primary, secondary = pair
    created = primary.call(
        [
            {
                "action": "ha_create",
                "local_ip": f"{NET}.1",
                "peer_ip": f"{NET}.2",
                "peer_password": TEST_PASSWORD,
            }
        ]
    )
    assert created[0]["status"] == "success", created
    primary.stop()
    ha_file = tmp_path / "lb1" / "ha.json"
    old = json.loads(ha_file.read_text())
    ha_file.write_text(json.dumps({"peer_url": old["peer_url"], "peer_password": TEST_PASSWORD}))
    primary.start()
    assert TEST_PASSWORD not in ha_file.read_text()  # dropped from the file at start
    wait_for(lambda: "pairing_key" in json.loads(ha_file.read_text()), timeout=10)
    _replicated(primary, secondary, "MGMT_B", 13001)
    assert _files_holding(tmp_path / "lb1", TEST_PASSWORD) == []
    assert _files_holding(tmp_path / "lb2", TEST_PASSWORD) == []
