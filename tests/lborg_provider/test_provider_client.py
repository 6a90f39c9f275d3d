"""The API client on its own: envelope parsing, endpoint forms, settings, retries and the cache."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from lborg_provider.client import ApiCredentials, ApplianceActionError, ApplianceClient, ApplianceUnreachable
from lborg_provider.client.endpoint import normalize_endpoint
from lborg_provider.client.envelope import ActionResult, parse_results
from lborg_provider.model.normalize import first_port, flag, number, text
from lborg_provider.runtime.connection import ApplianceConnection
from lborg_provider.runtime.settings import SettingsError, resolve_settings
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.terraform import simulator_counters

ACTIONS = [{"action": "list", "function": "dumpconfig"}, {"action": "reload-haproxy"}]


@pytest.mark.parametrize(
    "body",
    [
        {
            "lbapi": [
                {"itteration": [{"lbcli": [{"action": "list", "status": "success", "data": {"a": 1}}, {}]}]}
            ]
        },
        {
            "lbapi": [
                {"iteration": [{"lbcli": [{"action": "list", "status": "success", "data": {"a": 1}}, {}]}]}
            ]
        },
        [{"action": "list", "status": "success", "data": {"a": 1}}, {"action": "reload-haproxy"}],
        {"lbcli": [{"action": "list", "data": {"a": 1}}, {"status": "SUCCESS"}]},
    ],
)
def test_envelope_is_read_leniently(body: Any) -> None:
    first, second = parse_results(body, ACTIONS)
    assert first.ok and first.data == {"a": 1}
    assert second.ok and second.action == "reload-haproxy"


def test_envelope_reports_errors_and_unanswered_actions() -> None:
    results = parse_results({"lbcli": [{"action": "list", "error": "no such function"}]}, ACTIONS)
    assert [r.status for r in results] == ["failed", "failed"]
    assert results[0].message == "no such function"
    assert "no result" in results[1].message


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("https://lb1.example.net", "https://lb1.example.net:9443/api/v2/"),
        ("https://127.2.0.1:10443", "https://127.2.0.1:10443/api/v2/"),
        ("https://127.2.0.1:10443/api/v2/", "https://127.2.0.1:10443/api/v2/"),
        ("https://127.2.0.1:10443/api/v2", "https://127.2.0.1:10443/api/v2/"),
        ("https://[::1]:10443/", "https://[::1]:10443/api/v2/"),
    ],
)
def test_endpoint_forms(given: str, expected: str) -> None:
    assert normalize_endpoint(given) == expected


@pytest.mark.parametrize("bad", ["http://lb1:9443", "https://:9443", "https://lb1:9443/other", "lb1:9443"])
def test_endpoint_rejects(bad: str) -> None:
    with pytest.raises(ValueError):
        normalize_endpoint(bad)


def test_normalization_of_appliance_values() -> None:
    assert number("30") == 30 and number(30.0) == 30 and number([]) is None
    assert flag("on") and flag("1") and flag(True) and flag("Yes") and not flag("off") and not flag([])
    assert text(443) == "443" and text([]) == ""
    assert first_port("80,443") == 80 and first_port("8000-8010") == 8000


def test_settings_precedence_and_messages(tmp_path: Path) -> None:
    secret_file = tmp_path / "password"
    secret_file.write_text("from-file\n")
    env = {"LBORG_ENDPOINT": "https://127.2.0.1:10443", "LBORG_USERNAME": "u", "MY_KEY": "key-from-env"}
    settings = resolve_settings({"password_file": str(secret_file), "api_key_env": "MY_KEY"}, env)
    assert settings.password == "from-file" and settings.api_key == "key-from-env"
    assert settings.appliance_name == "127.2.0.1" and settings.timeout_seconds == 30
    assert "from-file" not in repr(settings) and "key-from-env" not in repr(settings)

    with pytest.raises(SettingsError) as missing:
        resolve_settings({"password": "p"}, env)
    assert missing.value.attribute == "api_key" and "LBORG_API_KEY" in str(missing.value)
    with pytest.raises(SettingsError) as unset:
        resolve_settings({"password": "p", "api_key_env": "NOT_SET_ANYWHERE"}, env)
    assert "NOT_SET_ANYWHERE" in str(unset.value)
    with pytest.raises(SettingsError) as plain:
        resolve_settings({"endpoint": "http://lb1", "password": "p", "api_key": "k"}, env)
    assert plain.value.attribute == "endpoint" and "https" in str(plain.value)


class _CountingClient:
    """Stands in for the HTTP client to observe how the cache calls it (the real one is below)."""

    def __init__(self) -> None:
        self.calls = 0

    def dumpconfig(self) -> dict[str, Any]:
        self.calls += 1
        time.sleep(0.2)  # long enough for every reader thread to arrive while the fetch is in flight
        return {"haproxy": {"virtual": []}, "call": self.calls}

    def call(self, actions: Any, idempotent: bool | None = None) -> list[ActionResult]:
        return [ActionResult(str(action["action"]), "success") for action in actions]


def test_read_cache_is_single_flight_and_dropped_after_writes() -> None:
    settings = resolve_settings(
        {"endpoint": "https://127.2.0.1:10443", "username": "u", "password": "p", "api_key": "k"}, {}
    )
    appliance = ApplianceConnection(settings)
    fake = _CountingClient()
    appliance.client = fake  # type: ignore[assignment]
    seen: list[dict[str, Any]] = []
    readers = [threading.Thread(target=lambda: seen.append(appliance.config())) for _ in range(10)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join(timeout=30)
    assert fake.calls == 1 and len(seen) == 10 and all(s["call"] == 1 for s in seen)
    appliance.write([{"action": "reload-haproxy"}], services=["haproxy"])
    assert appliance.config()["call"] == 2
    assert appliance.written_services == {"haproxy"}


class _ReadBackClient:
    """Answers every action with success; what `list dumpconfig` answers is tagged with the call."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def call(self, actions: Any, idempotent: bool | None = None) -> list[ActionResult]:
        self.calls.append([str(action["action"]) for action in actions])
        return [ActionResult(str(action["action"]), "success") for action in actions]

    def config_of(self, result: ActionResult) -> dict[str, Any]:
        return {"haproxy": {"virtual": []}, "call": len(self.calls)}

    def dumpconfig(self) -> dict[str, Any]:
        self.calls.append(["list"])
        return {"haproxy": {"virtual": []}, "call": len(self.calls)}


def test_a_write_that_asks_for_a_read_back_brings_the_configuration_in_its_own_call() -> None:
    settings = resolve_settings(
        {"endpoint": "https://127.2.0.1:10443", "username": "u", "password": "p", "api_key": "k"}, {}
    )
    appliance = ApplianceConnection(settings)
    fake = _ReadBackClient()
    appliance.client = fake  # type: ignore[assignment]
    results = appliance.write([{"action": "edit-vip", "vip": "V"}], services=["haproxy"], read_back=True)
    assert [r.action for r in results] == ["edit-vip"]  # the read's answer is not a result
    assert fake.calls == [["edit-vip", "list"]]
    assert appliance.config()["call"] == 1 and len(fake.calls) == 1  # no read of its own
    appliance.write([{"action": "edit-vip", "vip": "V"}], services=["haproxy"])
    assert appliance.config()["call"] == 3  # a plain write drops the cache: the next read reads


def _client(sim: SimulatorProcess) -> ApplianceClient:
    return ApplianceClient(
        sim.endpoint,
        ApiCredentials(TEST_USERNAME, TEST_PASSWORD, TEST_API_KEY),
        ca_file=str(sim.ca_file),
        timeout_seconds=20,
        backoff_factor=0.05,
    )


def _faults(sim: SimulatorProcess, kinds: str | None) -> None:
    path = sim.state_dir / "faults.json"
    if kinds is None:
        path.unlink(missing_ok=True)
        return
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps({"rate": 1.0, "kinds": kinds}))
    scratch.replace(path)


@pytest.mark.slow
def test_reads_are_retried_and_writes_that_may_have_landed_are_not(simulator: SimulatorProcess) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    assert "haproxy" in _client(sim).dumpconfig()

    def requests_during(kinds: str, action: dict[str, Any]) -> tuple[int, Exception]:
        client = _client(sim)  # a fresh connection pool per case
        before = int(simulator_counters(sim)["api_requests"])
        _faults(sim, kinds)
        try:
            with pytest.raises((ApplianceUnreachable, ApplianceActionError)) as raised:
                client.run([action])
        finally:
            _faults(sim, None)
            client.close()
        after = int(simulator_counters(sim)["api_requests"])
        return after - before - 1, raised.value  # minus the counters request itself

    read = {"action": "list", "function": "dumpconfig"}
    add = {
        "action": "add-vip",
        "layer": "7",
        "vip": "X",
        "ip": f"{subnet}.10",
        "ports": "18080",
        "mode": "tcp",
    }
    count, error = requests_during("drop", read)
    assert count == 4 and isinstance(error, ApplianceUnreachable)  # one try and three retries
    count, error = requests_during("drop", add)
    assert count == 1 and isinstance(error, ApplianceUnreachable)  # it may have been applied
    count, error = requests_during("http500", add)
    assert count == 1 and "HTTP 500" in str(error)
