"""`state` of both real-server types with real terraform against the simulator: written with the
lbcli action for that VIP and real server only, read back from the appliance, drift made through
the raw API planned and repaired (with no reload), and imported with the state it has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.terraform import API_PORT, Terraform, next_subnet, provider_block, simulator_counters

pytestmark = pytest.mark.slow


def _states(sim: SimulatorProcess) -> dict[str, str]:
    """`VIP/RIP` → state, as the simulator reports it in nodestatus."""
    data = sim.call([{"action": "nodestatus"}])[0]["data"]
    return {f"{item['vip']}/{item['rip']}": item["state"] for item in data["real_servers"]}


def _config(sim: SimulatorProcess, *, web_a: str = "", sip_b: str = "", sip_c: str = "") -> str:
    subnet = sim.subnet  # type: ignore[attr-defined]

    def state(value: str) -> str:
        return f'\n  state = "{value}"' if value else ""

    return (
        provider_block(sim)
        + f"""
resource "lborg_layer7_vip" "web" {{
  label = "WEB"
  ip    = "{subnet}.10"
  ports = "18080"
}}

resource "lborg_layer7_vip" "api" {{
  label = "API"
  ip    = "{subnet}.11"
  ports = "18081"
}}

resource "lborg_layer7_real_server" "web_a" {{
  vip   = lborg_layer7_vip.web.label
  label = "EAS-A"
  ip    = "{subnet}.21"
  port  = 18080{state(web_a)}
}}

# The same label on another VIP: a state written for WEB never reaches it.
resource "lborg_layer7_real_server" "api_a" {{
  vip   = lborg_layer7_vip.api.label
  label = "EAS-A"
  ip    = "{subnet}.21"
  port  = 18081
}}

resource "lborg_layer4_vip" "sip" {{
  label      = "SIP"
  ip         = "{subnet}.12"
  ports      = "15060"
  forwarding = "masq"
}}

resource "lborg_layer4_real_server" "sip_b" {{
  vip   = lborg_layer4_vip.sip.label
  label = "EAS-B"
  ip    = "{subnet}.22"{state(sip_b)}
}}

resource "lborg_layer4_real_server" "sip_c" {{
  vip   = lborg_layer4_vip.sip.label
  label = "EAS-C"
  ip    = "{subnet}.23"{state(sip_c)}
}}

resource "lborg_commit" "this" {{
  depends_on = [
    lborg_layer7_real_server.web_a, lborg_layer7_real_server.api_a,
    lborg_layer4_real_server.sip_b, lborg_layer4_real_server.sip_c,
  ]
}}
"""
    )


def _reloads(sim: SimulatorProcess) -> dict[str, int]:
    return dict(simulator_counters(sim)["reloads"])


def test_state_round_trip_drift_and_import(simulator: SimulatorProcess, terraform: Terraform) -> None:
    sim = simulator
    terraform.write(_config(sim, web_a="drain", sip_b="halt"))
    terraform.init()
    terraform.apply()
    assert _states(sim) == {
        "WEB/EAS-A": "drain",
        "API/EAS-A": "online",
        "SIP/EAS-B": "halt",
        "SIP/EAS-C": "online",
    }
    assert terraform.plan_exit_code() == 0

    # Changed in the configuration: only the state actions, no reload.
    reloads = _reloads(sim)
    terraform.write(_config(sim, web_a="online", sip_b="drain", sip_c="halt"))
    terraform.run("plan", "-input=false", "-no-color", "-out=tfplan")
    assert terraform.planned_changes_from("tfplan") == {
        "lborg_layer7_real_server.web_a": ["update"],
        "lborg_layer4_real_server.sip_b": ["update"],
        "lborg_layer4_real_server.sip_c": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert _states(sim)["WEB/EAS-A"] == "online"
    assert _states(sim)["SIP/EAS-B"] == "drain" and _states(sim)["SIP/EAS-C"] == "halt"
    assert _reloads(sim) == reloads
    assert terraform.plan_exit_code() == 0

    # Drift made through the raw API (as the WebUI's System Overview would): planned, repaired.
    sim.call_ok(
        [
            {"action": "drain", "vip": "API", "rip": "EAS-A"},
            {"action": "online", "vip": "SIP", "rip": "EAS-B"},
        ]
    )
    refreshed = terraform.run(
        "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", ok=(2,)
    )
    assert re.search(r'\+ state\s+= "drain"', refreshed.stdout), refreshed.stdout
    assert re.search(r'~ state\s+= "drain" -> "online"', refreshed.stdout), refreshed.stdout
    terraform.run("plan", "-input=false", "-no-color", "-out=tfplan")
    assert terraform.planned_changes_from("tfplan") == {
        "lborg_layer7_real_server.api_a": ["update"],
        "lborg_layer4_real_server.sip_b": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert _states(sim) == {
        "WEB/EAS-A": "online",
        "API/EAS-A": "online",
        "SIP/EAS-B": "drain",
        "SIP/EAS-C": "halt",
    }
    assert _reloads(sim) == reloads
    assert terraform.plan_exit_code() == 0

    # Imported with the state it has: forgotten, imported by command and by block, no changes.
    terraform.run("state", "rm", "lborg_layer4_real_server.sip_b", "lborg_layer4_real_server.sip_c")
    terraform.run("import", "-input=false", "-no-color", "lborg_layer4_real_server.sip_b", "SIP/EAS-B")
    shown = terraform.run("state", "show", "-no-color", "lborg_layer4_real_server.sip_b").stdout
    assert re.search(r'state\s+= "drain"', shown), shown
    terraform.write(
        _config(sim, web_a="online", sip_b="drain", sip_c="halt")
        + '\nimport {\n  to = lborg_layer4_real_server.sip_c\n  id = "SIP/EAS-C"\n}\n'
    )
    terraform.run("plan", "-input=false", "-no-color", "-out=tfplan")
    assert terraform.planned_changes_from("tfplan") == {}
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert terraform.plan_exit_code() == 0


def test_an_unknown_state_fails_validation(terraform: Terraform, simulator: SimulatorProcess) -> None:
    terraform.write(
        _config(simulator, sip_b="maintenance").replace(
            "  port  = 18081", "  port  = 18081\n  drain_seconds = -1"
        )
    )
    terraform.init()
    errors = " ".join(terraform.run("validate", "-no-color", ok=(1,)).stderr.split())
    assert "state = 'maintenance' is not one of the allowed values: `online`, `drain` or `halt`" in errors
    assert "drain_seconds = -1 is not between 0 and 86400" in errors


def test_an_appliance_that_reports_no_states_is_warned_about_never_guessed(
    tmp_path: Path, terraform: Terraform
) -> None:
    subnet = next_subnet()
    with running_simulator(
        tmp_path / "sim", f"{subnet}.1:{API_PORT}", extra_args=["--no-state-report"]
    ) as sim:
        sim.subnet = subnet  # type: ignore[attr-defined]
        terraform.write(_config(sim, web_a="drain"))
        terraform.init()
        terraform.apply()
        # The state written is kept; every refresh says the provider cannot see it.
        planned = terraform.run("plan", "-detailed-exitcode", "-input=false", "-no-color")
        said = " ".join(planned.stdout.split())
        assert "does not report real-server states" in said, said
        assert "its nodestatus has no real-server states" in said
        assert "The state of real server 'WEB/EAS-A' is taken as drain" in said
        # A hand-made change is not seen (and the plan says why): nothing is guessed or undone.
        sim.call_ok([{"action": "online", "vip": "WEB", "rip": "EAS-A"}])
        assert terraform.plan_exit_code() == 0
        # Imported: unset (online), with the same warning.
        terraform.run("state", "rm", "lborg_layer7_real_server.web_a")
        imported = terraform.run(
            "import", "-input=false", "-no-color", "lborg_layer7_real_server.web_a", "WEB/EAS-A"
        )
        assert "unset means online" in " ".join(imported.stdout.split() + imported.stderr.split())
        shown = terraform.run("state", "show", "-no-color", "lborg_layer7_real_server.web_a").stdout
        assert not re.search(r"^\s*state\s*=", shown, re.MULTILINE), shown
