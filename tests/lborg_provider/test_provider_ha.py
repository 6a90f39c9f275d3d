"""Two appliances through provider aliases: HA pairing with the peer password from the environment,
and the guide's global settings checked by a postcondition (there is no write action for them)."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.testing import TEST_PASSWORD, running_simulator
from tests.support.terraform import API_PORT, Terraform, next_subnet

pytestmark = pytest.mark.slow

GUIDE = {"l7.interval": "3000", "l4.checkinterval": "3", "l4.checktimeout": "3", "l4.failurecount": "2"}


def _site(primary_endpoint: str, secondary_endpoint: str, ca_file: Path, subnet: str) -> str:
    return f"""
provider "lborg" {{
  alias          = "primary"
  endpoint       = "{primary_endpoint}"
  ca_file        = "{ca_file}"
  appliance_name = "lb1"
}}

provider "lborg" {{
  alias          = "secondary"
  endpoint       = "{secondary_endpoint}"
  ca_file        = "{ca_file}"
  appliance_name = "lb2"
}}

data "lborg_global_settings" "primary" {{
  provider = lborg.primary
  lifecycle {{
    postcondition {{
      condition = (self.l7_interval == 3000 && self.l4_check_interval == 3 &&
                   self.l4_check_timeout == 3 && self.l4_failure_count == 2)
      error_message = join(" ", ["Global health-check settings differ from the deployment guide",
                                 "(L7 interval 3000 ms; L4 3 s / 3 s / 2): set them in the WebUI."])
    }}
  }}
}}

data "lborg_global_settings" "secondary" {{
  provider = lborg.secondary
}}

resource "lborg_ha_pair" "pair" {{
  provider          = lborg.primary
  local_ip          = "{subnet}.1"
  peer_ip           = "{subnet}.2"
  peer_password_env = "LB2_PASSWORD"
  depends_on        = [data.lborg_global_settings.primary]
}}

resource "lborg_hostname" "secondary" {{
  provider = lborg.secondary
  hostname = "lbsecondary"
}}
"""


def test_pair_two_appliances_and_check_guide_settings(tmp_path: Path, terraform: Terraform) -> None:
    subnet = next_subnet()
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.5"]
    with ExitStack() as stack:
        primary = stack.enter_context(
            running_simulator(
                tmp_path / "lb1", f"{subnet}.1:{API_PORT}", name="lb1", advanced=GUIDE, extra_args=shared
            )
        )
        secondary = stack.enter_context(
            running_simulator(tmp_path / "lb2", f"{subnet}.2:{API_PORT}", name="lb2", extra_args=shared)
        )
        ca_file = tmp_path / "ca" / "ca.pem"
        site = _site(primary.endpoint, secondary.endpoint, ca_file, subnet)

        # The secondary does not have the guide's settings yet: the check fails clearly there.
        terraform.write(site.replace("lborg.primary\n  lifecycle", "lborg.secondary\n  lifecycle"))
        terraform.init()
        checked = terraform.run("plan", "-input=false", "-no-color", ok=(1,))
        assert "differ from the deployment guide" in " ".join(checked.stderr.split())

        terraform.write(site)
        terraform.apply(env={"LB2_PASSWORD": TEST_PASSWORD})
        status = primary.call([{"action": "nodestatus"}])[0]["data"]
        assert status["ha"] is True and status["peer"] == f"{subnet}.2"
        assert status["role"] == "master"
        assert TEST_PASSWORD not in (terraform.workdir / "terraform.tfstate").read_text()
        plan = terraform.run("plan", "-detailed-exitcode", "-input=false", "-no-color", ok=(0, 2))
        assert plan.returncode == 0, plan.stdout
        assert secondary.call([{"action": "nodestatus"}])[0]["data"]["ha"] is True
