"""Ten VIPs with three real servers each: one reload per service per apply, and a refresh of all
41 resources costs a constant number of API requests (one shared `list dumpconfig`)."""

from __future__ import annotations

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform, provider_block, simulator_counters

pytestmark = pytest.mark.slow


def _site(sim: SimulatorProcess) -> str:
    subnet = sim.subnet  # type: ignore[attr-defined]
    return (
        provider_block(sim)
        + f"""
locals {{
  vips  = {{ for n in range(10) : format("VIP-%02d", n) => 20000 + n }}
  reals = merge([
    for label, port in local.vips : {{
      for r in range(3) : "${{label}}/RS-${{r}}" => {{
        vip = label, label = "RS-${{r}}", port = port, ip = "{subnet}.${{30 + r}}"
      }}
    }}
  ]...)
}}

resource "lborg_layer7_vip" "vip" {{
  for_each    = local.vips
  label       = each.key
  ip          = "{subnet}.10"
  ports       = tostring(each.value)
  persistence = "ip"
}}

resource "lborg_layer7_real_server" "rs" {{
  for_each = local.reals
  vip      = lborg_layer7_vip.vip[each.value.vip].label
  label    = each.value.label
  ip       = each.value.ip
  port     = each.value.port
}}

resource "lborg_commit" "this" {{
  triggers = {{
    haproxy = sha256(jsonencode([lborg_layer7_vip.vip, lborg_layer7_real_server.rs]))
  }}
}}
"""
    )


def _requests(sim: SimulatorProcess) -> int:
    return int(simulator_counters(sim)["api_requests"])


def test_forty_resources_one_reload_and_constant_refresh_cost(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.write(_site(sim))
    terraform.init()
    applied = terraform.apply()
    assert "41 added, 0 changed, 0 destroyed" in applied.stdout
    reloads = simulator_counters(sim)["reloads"]
    assert reloads["haproxy"] == 1
    assert reloads["ldirectord"] == 0 and reloads["heartbeat"] == 0

    # What reading the counters costs by itself, so only terraform's requests are compared.
    first, second = _requests(sim), _requests(sim)
    own_cost = second - first
    before = _requests(sim)
    assert terraform.plan_exit_code() == 0
    refresh_requests = _requests(sim) - before - own_cost
    # 41 resources are refreshed; with the shared cache that is one dumpconfig per provider process.
    assert 1 <= refresh_requests <= 2, refresh_requests
