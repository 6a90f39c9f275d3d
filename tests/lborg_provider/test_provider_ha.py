"""Two appliances through provider aliases: HA pairing with the peer password from the environment,
and the guide's global settings checked by a postcondition (there is no write action for them); a
pairing made after the commit recorded its digests is no edit made outside Terraform."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from lborg_simulator.testing import TEST_PASSWORD, SimulatorProcess, running_simulator
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
        plan = terraform.plan()
        assert plan.returncode == 0, plan.stdout
        assert secondary.call([{"action": "nodestatus"}])[0]["data"]["ha"] is True


def _paired_later(primary: SimulatorProcess, subnet: str, *, paired: bool) -> str:
    """One Layer 7 VIP and the commit on the primary; `paired`: the HA pair too, which the
    commit depends on, as in a stack's HA pair."""
    pair = f"""
resource "lborg_ha_pair" "pair" {{
  local_ip          = "{subnet}.1"
  peer_ip           = "{subnet}.2"
  peer_password_env = "LB2_PASSWORD"
}}
"""
    return f"""
provider "lborg" {{
  endpoint       = "{primary.endpoint}"
  ca_file        = "{primary.ca_file}"
  appliance_name = "lb1"
}}

resource "lborg_layer7_vip" "web" {{
  label = "WEB-18080"
  ip    = "{subnet}.10"
  ports = "18080"
}}
{pair if paired else ""}
resource "lborg_commit" "this" {{
  depends_on = [lborg_layer7_vip.web{", lborg_ha_pair.pair" if paired else ""}]
}}
"""


def _unmanaged(terraform: Terraform) -> list[Any]:
    state = json.loads(terraform.run("show", "-json").stdout)
    commit = next(r for r in state["values"]["root_module"]["resources"] if r["type"] == "lborg_commit")
    found: list[Any] = commit["values"]["unmanaged"]
    return found


def test_a_pairing_after_the_commit_recorded_its_digests_is_no_outside_edit(
    tmp_path: Path, terraform: Terraform
) -> None:
    """Terraform may pair the appliances after the commit recorded the heartbeat section (here the
    pair added to a deployed appliance and applied alone with `-target`, as an apply cut short after
    the pairing leaves it): no plan warns of an edit outside Terraform, and after the full apply no
    `unmanaged` entry stays behind for drift to report. A floating IP added by hand still is one."""
    subnet = next_subnet()
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.5"]
    env = {"LB2_PASSWORD": TEST_PASSWORD}
    with ExitStack() as stack:
        primary = stack.enter_context(
            running_simulator(tmp_path / "lb1", f"{subnet}.1:{API_PORT}", name="lb1", extra_args=shared)
        )
        stack.enter_context(
            running_simulator(tmp_path / "lb2", f"{subnet}.2:{API_PORT}", name="lb2", extra_args=shared)
        )
        terraform.write(_paired_later(primary, subnet, paired=False))
        terraform.init()
        terraform.apply()
        terraform.write(_paired_later(primary, subnet, paired=True))
        terraform.apply("-target=lborg_ha_pair.pair", env=env)

        plan = terraform.plan(env=env)
        assert "outside Terraform" not in plan.stdout + plan.stderr, plan.stdout + plan.stderr
        terraform.apply(env=env)
        assert _unmanaged(terraform) == []
        assert terraform.plan_exit_code() == 0

        primary.call_ok([{"action": "add-floating-ip", "ip": f"{subnet}.99"}])
        terraform.apply("-refresh-only", env=env)
        assert _unmanaged(terraform) == [f"floating IP {subnet}.99"]
