"""Our own lbcli requests, posted raw to the simulator: every documented action, field and value
must answer `success`, as on the appliance, and what was written must show in the configuration.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest

from lborg_simulator.testing import SimulatorProcess, lbcli_results
from tests.conformance.fixture_files import Request, every_action, fixture_names, requests_of
from tests.conformance.lbcli_help import HELP_ACTIONS, HELP_VALUES

#: Needs a second appliance: test_conformance_ha.py posts it.
HA_FIXTURE = "ha_pair"
#: Fields that name the object rather than set a value of it.
NAMING_FIELDS = {"action", "layer", "vip", "rip", "clone", "method"}
#: Single-action requests after which the sent values are looked for in the VIP.
VIP_WRITES = {"add-vip", "edit-vip", "clone-vip", "add-rip", "edit-rip"}


def _post(appliance: SimulatorProcess, request: Request) -> list[dict[str, Any]]:
    response = appliance.post({"lbcli": request.lbcli})
    assert response.status_code == 200, f"{request.file} / {request.name}: HTTP {response.status_code}"
    results = lbcli_results(response.json())
    assert len(results) == len(request.lbcli), f"{request.file} / {request.name}: one result per action"
    return results


def _leaves(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_leaves(item) for item in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_leaves(item) for item in value)) if value else set()
    return {str(value)}


def _stored_values_missing(appliance: SimulatorProcess, action: dict[str, Any]) -> list[str]:
    """The values of `action` that `list virtual` does not show for its VIP."""
    label = action.get("clone") or action["vip"]
    for layer in ("7", "4"):
        result = appliance.call([{"action": "list", "function": "virtual", "layer": layer, "vip": label}])[0]
        if result["status"] == "success":
            shown = _leaves(result["data"])
            return [
                f"{name}={value!r}"
                for name, value in action.items()
                if name not in NAMING_FIELDS and value != "" and str(value) not in shown
            ]
    return [f"VIP '{label}' is not listed"]


@pytest.mark.slow
@pytest.mark.parametrize("fixture", [name for name in fixture_names() if name != HA_FIXTURE])
def test_every_request_succeeds(appliance: SimulatorProcess, fixture: str) -> None:
    failures: list[str] = []
    for request in requests_of(fixture):
        results = _post(appliance, request)
        for sent, result in zip(request.lbcli, results, strict=True):
            if result.get("status") != "success":
                failures.append(f"{request.name}: {sent} -> {result.get('status')}: {result.get('message')}")
        if len(request.lbcli) == 1 and request.lbcli[0]["action"] in VIP_WRITES and not failures:
            missing = _stored_values_missing(appliance, request.lbcli[0])
            if missing:
                failures.append(f"{request.name}: not in list virtual afterwards: {', '.join(missing)}")
    assert not failures, "\n".join(failures)


def test_fixtures_cover_the_help() -> None:
    """Every action, field and enumerated value of the help appears in a fixture request."""
    used_fields: dict[str, set[str]] = defaultdict(set)
    used_values: dict[tuple[str, str], set[str]] = defaultdict(set)
    for action in every_action():
        name = str(action["action"])
        for field, value in action.items():
            used_fields[name].add(field)
            used_values[(name, field)].add(str(value))
    missing_actions = sorted(set(HELP_ACTIONS) - set(used_fields))
    assert not missing_actions, f"actions of the help no fixture uses: {missing_actions}"
    missing_fields = {
        action: sorted(fields - used_fields[action])
        for action, fields in HELP_ACTIONS.items()
        if fields - used_fields[action]
    }
    assert not missing_fields, f"fields of the help no fixture uses: {missing_fields}"
    missing_values = {
        key: sorted(values - used_values[key])
        for key, values in HELP_VALUES.items()
        if values - used_values[key]
    }
    assert not missing_values, f"values of the help no fixture uses: {missing_values}"


@pytest.mark.slow
def test_unemulated_settings_show_in_dumpconfig(appliance: SimulatorProcess) -> None:
    """What the simulator stores without emulating it is visible to a reader of the configuration."""
    appliance.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "STORED",
                "ip": "127.10.1.50",
                "ports": "17080",
                "mode": "http",
            },
            {"action": "edit-vip", "vip": "STORED", "compression": "on", "check_request": "alive.html"},
            {
                "action": "acl",
                "function": "add",
                "vip": "STORED",
                "pathtype": "path_beg",
                "path": "/api",
                "redirecttype": "backend",
                "location": "STORED",
                "bool": "equal",
            },
            {"action": "add-waf", "vip": "STORED", "waf": "STORED_WAF"},
            {
                "action": "termination",
                "type": "stunnel",
                "function": "add",
                "vip": "STORED_TLS",
                "ip": "127.10.1.50",
                "port": "17443",
                "backend_ip": "127.10.1.50",
                "backend_port": "17080",
            },
            {"action": "dns", "function": "set", "dns0": "127.10.3.53"},
            {"action": "lockdown", "enabled": "on", "network": "127.10.0.0/16"},
        ]
    )
    config = appliance.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
    virtuals = config["haproxy"]["virtual"]
    stored = next(
        v for v in (virtuals if isinstance(virtuals, list) else [virtuals]) if v["label"] == "STORED"
    )
    assert stored["compression"] == "on"
    assert stored["check"]["request"] == "alive.html"
    assert stored["acl"]["rule"]["path"] == "/api"
    assert "STORED_WAF" in _leaves(config["waf"])
    assert "STORED_TLS" in _leaves(config["stunnel"])
    assert config["physical"]["dns"]["dns0"] == "127.10.3.53"
    assert config["physical"]["lockdown"] == {"enabled": "on", "network": "127.10.0.0/16"}
