"""Real `terraform` against the simulator answering reads in each response layout: the documented
ones give an empty plan right after apply; an unknown one fails the refresh and leaves the state
exactly as it was, and the next refresh in a known layout finds everything again.
Loopback range 127.16.0.0/16 (127.16.1-19.x here)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from lborg_simulator.layouts import LAYOUTS
from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform

pytestmark = pytest.mark.slow

_subnets = itertools.count(1)
PORT = 11944


def _site(sim: SimulatorProcess, subnet: str) -> str:
    return f"""
provider "lborg" {{
  endpoint       = "{sim.endpoint}"
  ca_file        = "{sim.ca_file}"
  appliance_name = "lb-layouts"
}}

resource "lborg_layer7_vip" "management" {{
  label         = "MGMT_HTTPS-443"
  ip            = "{subnet}.10"
  ports         = "18443"
  persistence   = "ip"
  persist_time  = 30
  check_type    = "connect"
}}

resource "lborg_layer7_real_server" "management" {{
  for_each = {{ "EAS_SSS-1" = "{subnet}.21", "EAS_SSS-2" = "{subnet}.22" }}
  vip      = lborg_layer7_vip.management.label
  label    = each.key
  ip       = each.value
  port     = 18443
}}

resource "lborg_layer4_vip" "service" {{
  label      = "SERV_SIP-5060"
  ip         = "{subnet}.11"
  ports      = "15060"
  protocol   = "udp"
  forwarding = "masq"
  persistent = true
}}

resource "lborg_layer4_real_server" "service" {{
  vip   = lborg_layer4_vip.service.label
  label = "EAS_SSS-1"
  ip    = "{subnet}.21"
}}

resource "lborg_floating_ip" "gateway" {{
  ip = "{subnet}.100"
}}

resource "lborg_hostname" "this" {{
  hostname = "lblayouts"
}}

data "lborg_global_settings" "this" {{}}

data "lborg_config" "this" {{
  depends_on = [lborg_layer7_real_server.management, lborg_layer4_real_server.service]
}}

resource "lborg_commit" "this" {{
  triggers = {{
    haproxy    = jsonencode([lborg_layer7_vip.management, lborg_layer7_real_server.management])
    ldirectord = jsonencode([lborg_layer4_vip.service, lborg_layer4_real_server.service])
    heartbeat  = jsonencode([lborg_floating_ip.gateway])
  }}
}}

output "layer7_vips" {{
  value = data.lborg_config.this.layer7_vips
}}

output "l7_interval" {{
  value = data.lborg_global_settings.this.l7_interval
}}
"""


def _simulator(tmp_path: Path, layout: str) -> tuple[SimulatorProcess, str]:
    subnet = f"127.16.{next(_subnets)}"
    sim = SimulatorProcess(tmp_path / "sim", f"{subnet}.1:{PORT}", name="lb-layouts", response_layout=layout)
    return sim, subnet


def _plan_exit(terraform: Terraform) -> tuple[int, str]:
    plan = terraform.run("plan", "-detailed-exitcode", "-input=false", "-no-color", ok=(0, 1, 2))
    return plan.returncode, " ".join((plan.stdout + plan.stderr).split())


@pytest.mark.parametrize("layout", [layout for layout in LAYOUTS if layout != "unknown"])
def test_each_documented_layout_applies_then_plans_nothing(
    tmp_path: Path, terraform: Terraform, layout: str
) -> None:
    sim, subnet = _simulator(tmp_path, layout)
    sim.start()
    try:
        terraform.write(_site(sim, subnet))
        terraform.init()
        applied = terraform.apply()
        assert "Apply complete! Resources: 8 added" in applied.stdout, applied.stdout
        outputs = json.loads(terraform.run("output", "-json").stdout)
        assert outputs["layer7_vips"]["value"] == ["MGMT_HTTPS-443"]
        assert outputs["l7_interval"]["value"] == 4000
        code, shown = _plan_exit(terraform)
        assert code == 0, shown
    finally:
        sim.stop()


def test_an_unknown_layout_fails_the_refresh_and_keeps_the_state(
    tmp_path: Path, terraform: Terraform
) -> None:
    sim, subnet = _simulator(tmp_path, "data")
    sim.start()
    try:
        terraform.write(_site(sim, subnet))
        terraform.init()
        terraform.apply()
    finally:
        sim.stop()
    state_file = terraform.workdir / "terraform.tfstate"
    before = state_file.read_bytes()
    addresses = terraform.run("state", "list").stdout.split()
    assert len(addresses) == 10  # 8 resources and 2 data sources

    unknown = SimulatorProcess(tmp_path / "sim", sim.listen, name="lb-layouts", response_layout="unknown")
    unknown.start()
    try:
        refresh = terraform.run(
            "apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color", ok=(1,)
        )
        message = " ".join((refresh.stdout + refresh.stderr).split())
        assert "appliance lb-layouts" in message and "'list dumpconfig'" in message
        assert "not in a layout the provider recognizes" in message and "(redacted)" in message
        shown_excerpt = message.split("(redacted):", 1)[1].split("Run `python", 1)[0]
        assert '"result_a":{"haproxy":"{...' in shown_excerpt and subnet not in shown_excerpt
        code, shown = _plan_exit(terraform)
        assert code == 1 and "not in a layout the provider recognizes" in shown
    finally:
        unknown.stop()
    assert state_file.read_bytes() == before
    assert terraform.run("state", "list").stdout.split() == addresses

    known = SimulatorProcess(tmp_path / "sim", sim.listen, name="lb-layouts", response_layout="named")
    known.start()
    try:
        code, shown = _plan_exit(terraform)
        assert code == 0, shown
    finally:
        known.stop()
