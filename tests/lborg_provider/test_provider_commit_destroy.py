"""`terraform destroy` leaves the running services matching the now empty configuration: a commit
with `on_destroy = true`, which the configuration depends on, is destroyed last and reloads, so
HAProxy stops serving the destroyed VIPs (real terraform, the simulator and its real HAProxy)."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from lborg_provider.model.config_view import virtuals
from lborg_simulator.testing import SimulatorProcess
from lborg_support.waiting import wait_until
from tests.support.terraform import Terraform, provider_block, simulator_counters

pytestmark = pytest.mark.slow

PORT = 18180


def _config(sim: SimulatorProcess) -> str:
    subnet = sim.subnet  # type: ignore[attr-defined]
    return (
        provider_block(sim)
        + f"""
resource "lborg_commit" "on_destroy" {{
  on_destroy = true
}}

resource "lborg_layer7_vip" "web" {{
  label      = "WEB-{PORT}"
  ip         = "{subnet}.10"
  ports      = "{PORT}"
  depends_on = [lborg_commit.on_destroy]
}}

resource "lborg_layer7_real_server" "web" {{
  vip   = lborg_layer7_vip.web.label
  label = "RS-1"
  ip    = "{subnet}.30"
  port  = {PORT}
}}

resource "lborg_commit" "this" {{
  depends_on = [lborg_layer7_vip.web, lborg_layer7_real_server.web]
}}
"""
    )


def _accepts(address: str, port: int) -> bool:
    try:
        with socket.create_connection((address, port), timeout=2):
            return True
    except OSError:
        return False


def _eventually(predicate: Any, timeout: float = 10.0) -> bool:
    return wait_until(predicate, timeout, interval=0.2) is not None


def _running(sim: SimulatorProcess) -> dict[str, Any]:
    result = sim.call([{"action": "list", "function": "dumpconfig", "state": "running"}])[0]
    data: dict[str, Any] = result["data"]
    return data


def test_destroy_reloads_after_the_last_delete(simulator: SimulatorProcess, terraform: Terraform) -> None:
    sim = simulator
    vip = f"{sim.subnet}.10"  # type: ignore[attr-defined]
    terraform.write(_config(sim))
    terraform.init()
    terraform.apply()
    assert [v["label"] for v in virtuals(_running(sim), "7")] == [f"WEB-{PORT}"]
    assert _eventually(lambda: _accepts(vip, PORT)), "HAProxy does not serve the VIP after apply"
    reloads = simulator_counters(sim)["reloads"]["haproxy"]
    assert reloads == 1  # the on_destroy commit reloads nothing on apply

    # Unchanged: still nothing to do (the on_destroy commit never plans a reload).
    assert terraform.plan_exit_code() == 0

    destroyed = terraform.run("destroy", "-auto-approve", "-input=false", "-no-color")
    order = [line.split(":")[0] for line in destroyed.stdout.splitlines() if "Destruction complete" in line]
    assert order[-1] == "lborg_commit.on_destroy", order
    assert virtuals(_running(sim), "7") == []
    assert simulator_counters(sim)["reloads"]["haproxy"] == reloads + 1
    assert sim.call([{"action": "nodestatus"}])[0]["data"]["pending"] == []
    assert _eventually(lambda: not _accepts(vip, PORT)), "HAProxy still serves the destroyed VIP"
