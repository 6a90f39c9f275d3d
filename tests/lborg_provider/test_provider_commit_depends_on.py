"""`lborg_commit` with `depends_on` alone (no `triggers`), real terraform against the simulator:
a create, update or delete planned in the same run plans the commit's update and is reloaded by
the same apply (one reload per service); an unchanged configuration plans and reloads nothing;
what the reload would activate that the configuration does not manage is named in the plan."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lborg_provider.model.config_view import find_real, find_virtual
from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform, provider_block, simulator_counters

pytestmark = pytest.mark.slow


def _config(sim: SimulatorProcess, *, persist_time: int = 30, servers: int = 1) -> str:
    subnet = sim.subnet  # type: ignore[attr-defined]
    reals = "".join(
        f"""
resource "lborg_layer7_real_server" "r{n}" {{
  vip   = lborg_layer7_vip.web.label
  label = "RS-{n}"
  ip    = "{subnet}.{30 + n}"
  port  = 18080
  drain_seconds = 0 # removed at once: the drain is tested in test_provider_drain_removal.py
}}
"""
        for n in range(servers)
    )
    depends = ", ".join(["lborg_layer7_vip.web"] + [f"lborg_layer7_real_server.r{n}" for n in range(servers)])
    return (
        provider_block(sim)
        + f"""
resource "lborg_layer7_vip" "web" {{
  label        = "WEB-18080"
  ip           = "{subnet}.10"
  ports        = "18080"
  persist_time = {persist_time}
}}
{reals}
resource "lborg_commit" "this" {{
  depends_on = [{depends}]
}}
"""
    )


def _plan(terraform: Terraform) -> tuple[int, dict[str, Any], str]:
    planned = terraform.run(
        "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=tfplan", ok=(0, 2)
    )
    shown: dict[str, Any] = json.loads(terraform.run("show", "-json", "tfplan").stdout)
    return planned.returncode, shown, planned.stdout + planned.stderr


def _actions(shown: dict[str, Any]) -> dict[str, list[str]]:
    return {
        change["address"]: change["change"]["actions"]
        for change in shown.get("resource_changes", [])
        if change["change"]["actions"] != ["no-op"]
    }


def _commit_after(shown: dict[str, Any]) -> dict[str, Any]:
    for change in shown.get("resource_changes", []):
        if change["address"] == "lborg_commit.this":
            after: dict[str, Any] = change["change"]["after"]
            return after
    raise AssertionError("no lborg_commit.this in the plan")


def _haproxy_reloads(sim: SimulatorProcess) -> int:
    return int(simulator_counters(sim)["reloads"]["haproxy"])


def _pending(sim: SimulatorProcess) -> list[str]:
    pending: list[str] = sim.call([{"action": "nodestatus"}])[0]["data"]["pending"]
    return pending


def _running(sim: SimulatorProcess) -> dict[str, Any]:
    data: dict[str, Any] = sim.call([{"action": "list", "function": "dumpconfig", "state": "running"}])[0][
        "data"
    ]
    return data


def test_depends_on_alone_reloads_creates_updates_and_deletes_in_the_same_apply(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.write(_config(sim))
    terraform.init()
    terraform.apply()
    assert _haproxy_reloads(sim) == 1 and _pending(sim) == []

    # Unchanged: nothing planned, nothing reloaded.
    code, shown, _ = _plan(terraform)
    assert code == 0, _actions(shown)
    terraform.apply()
    assert _haproxy_reloads(sim) == 1

    # In-place update: the commit plans an update and the same apply reloads it, once.
    terraform.write(_config(sim, persist_time=45))
    code, shown, _ = _plan(terraform)
    assert _actions(shown) == {"lborg_layer7_vip.web": ["update"], "lborg_commit.this": ["update"]}
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert _haproxy_reloads(sim) == 2 and _pending(sim) == []
    running = find_virtual(_running(sim), "7", "WEB-18080")
    assert running is not None and running["persist_time"] == "45"

    # Create: a new real server goes live in the same apply.
    terraform.write(_config(sim, persist_time=45, servers=2))
    code, shown, _ = _plan(terraform)
    assert _actions(shown) == {
        "lborg_layer7_real_server.r1": ["create"],
        "lborg_commit.this": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert _haproxy_reloads(sim) == 3 and _pending(sim) == []
    running = find_virtual(_running(sim), "7", "WEB-18080")
    assert running is not None and find_real(running, "RS-1") is not None

    # Delete (the block removed): the real server leaves the running configuration too.
    terraform.write(_config(sim, persist_time=45, servers=1))
    code, shown, _ = _plan(terraform)
    assert _actions(shown) == {
        "lborg_layer7_real_server.r1": ["delete"],
        "lborg_commit.this": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert _haproxy_reloads(sim) == 4 and _pending(sim) == []
    running = find_virtual(_running(sim), "7", "WEB-18080")
    assert running is not None and find_real(running, "RS-1") is None

    # Converged: nothing more to do.
    code, shown, _ = _plan(terraform)
    assert code == 0, _actions(shown)


def test_changes_made_outside_terraform_are_named_before_the_reload(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    terraform.write(_config(sim))
    terraform.init()
    terraform.apply()

    # A VIP added by hand: the reload would make it live. The plan names it, as an attribute of
    # the commit (in `terraform show -json`) and as a warning.
    sim.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "HAND-18090",
                "ip": f"{subnet}.12",
                "ports": "18090",
                "mode": "tcp",
            }
        ]
    )
    code, shown, output = _plan(terraform)
    assert code == 2
    assert _actions(shown) == {"lborg_commit.this": ["update"]}
    assert _commit_after(shown)["unmanaged"] == ["VIP 'HAND-18090'"]
    assert "the reload will activate changes made outside Terraform" in output
    assert "VIP 'HAND-18090'" in output

    # Removed again by hand before applying: nothing left to name, nothing to reload... except
    # that the pending configuration is back to what was committed, so no update at all.
    sim.call_ok([{"action": "delete-vip", "vip": "HAND-18090"}])
    code, shown, _ = _plan(terraform)
    assert code == 0, _actions(shown)

    # A hand edit no managed attribute covers (a fallback server) is named as such.
    sim.call_ok(
        [{"action": "edit-vip", "vip": "WEB-18080", "fallback_ip": f"{subnet}.99", "fallback_port": "18099"}]
    )
    code, shown, output = _plan(terraform)
    assert _actions(shown) == {"lborg_commit.this": ["update"]}
    assert _commit_after(shown)["unmanaged"] == [
        "haproxy configuration edited outside Terraform (no managed attribute covers it)"
    ]

    # Applied: the reload activated it, and the record of that stays put (a refresh alone is not
    # drift, so a refresh-only plan finds nothing).
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    refreshed = terraform.run(
        "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", ok=(0, 2)
    )
    assert refreshed.returncode == 0, refreshed.stdout

    # A hand edit a managed attribute covers is repaired, not named; the next write to haproxy
    # drops the record of the earlier outside edit.
    sim.call_ok([{"action": "edit-vip", "vip": "WEB-18080", "persist_time": "99"}])
    code, shown, output = _plan(terraform)
    assert _actions(shown) == {"lborg_layer7_vip.web": ["update"], "lborg_commit.this": ["update"]}
    assert _commit_after(shown)["unmanaged"] == []
    assert "outside Terraform" not in output


def test_hand_edits_of_attributes_the_configuration_leaves_unset_are_named_before_the_reload(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    # The VIP leaves `persistence` at its default and the real server its `weight`: no plan
    # repairs a hand edit of either (an unset optional attribute keeps the appliance's value), so
    # the commit's reload would make them live. The plan names them, as it names unmanaged VIPs.
    sim = simulator
    terraform.write(_config(sim))
    terraform.init()
    terraform.apply()
    sim.call_ok(
        [
            {"action": "edit-vip", "vip": "WEB-18080", "persistence": "ip"},
            {"action": "edit-rip", "vip": "WEB-18080", "rip": "RS-0", "weight": "40"},
        ]
    )
    code, shown, output = _plan(terraform)
    assert code == 2
    assert _actions(shown) == {"lborg_commit.this": ["update"]}
    suffix = (
        "edited outside Terraform; the configuration leaves it unset, so the haproxy reload makes it live"
    )
    assert _commit_after(shown)["unmanaged"] == [
        f"real server 'WEB-18080/RS-0': weight 100 → 40 {suffix}",
        f"VIP 'WEB-18080': persistence none → ip {suffix}",
    ]
    assert "the reload will activate changes made outside Terraform" in output
    assert "persistence none → ip" in output and "weight 100 → 40" in output

    # Applied: the reload made them live, the record stays, and a refresh alone is not drift.
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    refreshed = terraform.run(
        "plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color", ok=(0, 2)
    )
    assert refreshed.returncode == 0, refreshed.stdout

    # A change that reloads another service only (a Layer 4 VIP: ldirectord) activates nothing of
    # haproxy: the plan does not warn about the haproxy edits again, though the record keeps them.
    subnet = sim.subnet  # type: ignore[attr-defined]
    layer4 = f"""
resource "lborg_layer4_vip" "service" {{
  label = "SERV-18443"
  ip    = "{subnet}.11"
  ports = "18443"
}}
"""
    terraform.write(
        _config(sim).replace("depends_on = [", "depends_on = [lborg_layer4_vip.service, ") + layer4
    )
    code, shown, output = _plan(terraform)
    assert _actions(shown) == {"lborg_layer4_vip.service": ["create"], "lborg_commit.this": ["update"]}
    assert len(_commit_after(shown)["unmanaged"]) == 2
    assert "outside Terraform" not in output, output
