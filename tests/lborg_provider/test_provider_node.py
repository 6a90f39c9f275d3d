"""Per-node settings and floating IPs through real terraform: apply, empty plan, drift, destroy."""

from __future__ import annotations

import pytest

from lborg_provider.model.config_view import (
    default_route,
    floating_ips,
    interface_addresses,
    network,
    static_routes,
)
from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform, dumpconfig, provider_block

pytestmark = pytest.mark.slow


def test_hostname_address_routes_floating_ip(simulator: SimulatorProcess, terraform: Terraform) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    terraform.write(
        provider_block(sim)
        + f"""
resource "lborg_hostname" "this" {{
  hostname = "lbprimary"
  domain   = "example.net"
}}

resource "lborg_interface_address" "service" {{
  interface = "eth1"
  address   = "{subnet}.240/24"
}}

resource "lborg_route" "default" {{
  gateway   = "{subnet}.254"
  interface = "eth1"
}}

resource "lborg_route" "eas" {{
  network = "{subnet}.128/25"
  gateway = "{subnet}.253"
}}

resource "lborg_floating_ip" "gateway" {{
  ip = "{subnet}.1"
}}

resource "lborg_commit" "this" {{
  triggers   = {{ heartbeat = lborg_floating_ip.gateway.id }}
  depends_on = [lborg_floating_ip.gateway]
}}
"""
    )
    terraform.init()
    terraform.apply()
    config = dumpconfig(sim)
    assert network(config)["hostname"] == "lbprimary"
    assert interface_addresses(config, "eth1") == [f"{subnet}.240/24"]
    assert default_route(config) == (f"{subnet}.254", "eth1")
    assert static_routes(config) == {f"{subnet}.128/25": f"{subnet}.253"}
    assert floating_ips(config) == [f"{subnet}.1"]
    assert terraform.plan_exit_code() == 0

    # A floating IP removed by hand is re-created, and heartbeat reloaded for it.
    sim.call_ok([{"action": "delete-floating-ip", "ip": f"{subnet}.1"}])
    terraform.run("plan", "-input=false", "-no-color", "-out=tfplan")
    assert terraform.planned_changes_from("tfplan") == {
        "lborg_floating_ip.gateway": ["create"],
        "lborg_commit.this": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    assert floating_ips(dumpconfig(sim)) == [f"{subnet}.1"]
    assert terraform.plan_exit_code() == 0

    destroyed = terraform.run("destroy", "-auto-approve", "-input=false", "-no-color")
    assert "default route kept" in destroyed.stdout + destroyed.stderr
    config = dumpconfig(sim)
    assert interface_addresses(config, "eth1") == [] and static_routes(config) == {}
    assert floating_ips(config) == []
