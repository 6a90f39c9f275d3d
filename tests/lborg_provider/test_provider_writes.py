"""The write path with real terraform: a create never edits a VIP it did not create, a failing add
fails only its own resource, and an apply costs no read per write and fewer requests than writes
once the appliance is slow enough for Terraform's concurrent creates to queue up."""

from __future__ import annotations

import json

import pytest

from lborg_provider.model.config_view import find_virtual
from lborg_provider.model.normalize import text
from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform, dumpconfig, provider_block, simulator_counters

pytestmark = pytest.mark.slow

VIPS = 10
REALS = 3


def _site(sim: SimulatorProcess, labels: list[str]) -> str:
    subnet = sim.subnet  # type: ignore[attr-defined]
    blocks = [provider_block(sim)]
    for n, label in enumerate(labels):
        blocks.append(
            f"""
resource "lborg_layer7_vip" "v{n}" {{
  label     = "{label}"
  ip        = "{subnet}.10"
  ports     = "{20000 + n}"
  scheduler = "roundrobin"
}}
"""
        )
        for r in range(REALS):
            blocks.append(
                f"""
resource "lborg_layer7_real_server" "v{n}_r{r}" {{
  vip   = lborg_layer7_vip.v{n}.label
  label = "RS-{r}"
  ip    = "{subnet}.{30 + r}"
  port  = {20000 + n}
}}
"""
            )
    return "".join(blocks)


def _requests(sim: SimulatorProcess) -> int:
    return int(simulator_counters(sim)["api_requests"])


def test_create_never_edits_a_vip_made_by_hand(simulator: SimulatorProcess, terraform: Terraform) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    sim.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "HANDMADE",
                "ip": f"{subnet}.10",
                "ports": "20001",
                "mode": "tcp",
            },
            {"action": "edit-vip", "vip": "HANDMADE", "scheduler": "leastconn"},
        ]
    )
    before = find_virtual(dumpconfig(sim), "7", "HANDMADE")
    terraform.write(_site(sim, ["OURS", "HANDMADE", "ALSO-OURS"]))
    terraform.init()
    failed = terraform.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(1,))
    output = failed.stdout + failed.stderr
    # The add's own answer, for the resource that asked, naming the appliance.
    assert "lborg_layer7_vip.v1" in output
    assert "add-vip" in output and "'HANDMADE'" in output and "exists" in output
    assert f"appliance {subnet}.1" in output
    # The hand-made VIP is exactly as it was: no edit followed the refused add.
    assert find_virtual(dumpconfig(sim), "7", "HANDMADE") == before
    assert text((before or {}).get("scheduler")) == "leastconn"
    # The other resources were created; only the refused VIP (and its real servers) are missing.
    state = json.loads(terraform.run("show", "-json").stdout)
    addresses = {r["address"] for r in state["values"]["root_module"]["resources"]}
    assert "lborg_layer7_vip.v0" in addresses and "lborg_layer7_vip.v2" in addresses
    assert "lborg_layer7_vip.v1" not in addresses
    assert {f"lborg_layer7_real_server.v0_r{r}" for r in range(REALS)} <= addresses


def test_apply_reads_nothing_back_and_slow_appliances_get_batches(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    labels = [f"VIP-{n:02d}" for n in range(VIPS)]
    terraform.write(_site(sim, labels))
    terraform.init()
    # Each VIP is an add and an edit, each real server an add: the writes this apply must send.
    writes = VIPS * 2 + VIPS * REALS
    before = _requests(sim)
    applied = terraform.apply()
    assert f"{VIPS * (1 + REALS)} added" in applied.stdout
    fast = _requests(sim) - before - 1
    # No read after a write: at most one request per write (fewer when writes were batched).
    assert fast <= writes, fast
    assert terraform.plan_exit_code() == 0

    terraform.run("destroy", "-auto-approve", "-input=false", "-no-color")
    (sim.state_dir / "faults.json").write_text(json.dumps({"latency_ms": 150}))
    try:
        before = _requests(sim)
        terraform.apply()
        slow = _requests(sim) - before - 1
    finally:
        (sim.state_dir / "faults.json").unlink()
    # With 150 ms per request, Terraform's ten concurrent creates queue behind each call.
    print(f"{writes} writes: {fast} requests on loopback, {slow} with 150 ms latency")
    assert slow <= writes // 2, (slow, writes)
    assert terraform.plan_exit_code() == 0
