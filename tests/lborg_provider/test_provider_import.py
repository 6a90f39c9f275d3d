"""Import: a VIP and a real server created by raw API calls come under Terraform with no changes,
through both `terraform import` and an `import {}` block."""

from __future__ import annotations

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import Terraform, provider_block

pytestmark = pytest.mark.slow


@pytest.mark.smoke
def test_import_vip_by_command_and_rip_by_block_then_no_changes(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    sim.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "WEB",
                "ip": f"{subnet}.10",
                "ports": "18080",
                "mode": "tcp",
            },
            {"action": "edit-vip", "vip": "WEB", "persistence": "ip", "persist_time": "15"},
            {
                "action": "add-rip",
                "vip": "WEB",
                "rip": "WEB-1",
                "ip": f"{subnet}.21",
                "port": "18080",
                "weight": "50",
            },
            {
                "action": "add-vip",
                "layer": "4",
                "vip": "SIP",
                "ip": f"{subnet}.11",
                "ports": "15060",
                "forwarding": "masq",
                "protocol": "udp",
            },
        ]
    )
    terraform.write(
        provider_block(sim)
        + f"""
resource "lborg_layer7_vip" "web" {{
  label        = "WEB"
  ip           = "{subnet}.10"
  ports        = "18080"
  persistence  = "ip"
  persist_time = 15
}}

import {{
  to = lborg_layer7_real_server.web_1
  id = "WEB/WEB-1"
}}

resource "lborg_layer7_real_server" "web_1" {{
  vip    = lborg_layer7_vip.web.label
  label  = "WEB-1"
  ip     = "{subnet}.21"
  port   = 18080
  weight = 50
}}

import {{
  to = lborg_layer4_vip.sip
  id = "SIP"
}}

resource "lborg_layer4_vip" "sip" {{
  label      = "SIP"
  ip         = "{subnet}.11"
  ports      = "15060"
  forwarding = "masq"
  protocol   = "udp"
  persistent = true
}}
"""
    )
    terraform.init()
    imported = terraform.run("import", "-input=false", "-no-color", "lborg_layer7_vip.web", "WEB")
    assert "Import successful" in imported.stdout
    applied = terraform.apply()
    assert "2 imported, 0 added, 0 changed, 0 destroyed" in applied.stdout
    assert terraform.plan_exit_code() == 0

    # An id that does not exist gives a clear error naming the VIP and the real server.
    (terraform.workdir / "nope.tf").write_text(
        'resource "lborg_layer7_real_server" "nope" {\n  vip = "WEB"\n  label = "NOPE"\n'
        f'  ip = "{subnet}.29"\n  port = 18080\n}}\n',
        encoding="utf-8",
    )
    missing = terraform.run(
        "import", "-input=false", "-no-color", "lborg_layer7_real_server.nope", "WEB/NOPE", ok=(1,)
    )
    assert "has no real server 'NOPE' in layer 7 VIP 'WEB'" in missing.stderr
