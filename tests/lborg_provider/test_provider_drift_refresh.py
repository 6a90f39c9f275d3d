"""`terraform plan -refresh-only -detailed-exitcode` with real terraform against the simulator:
exit 0 right after an apply (nothing drifted), exit 2 once the appliance was changed by hand.

Before the provider sent numbers as decimal text, every VIP or real server in state made this
plan exit 2 while printing "No changes" (Terraform compared number precisions, not values)."""

from __future__ import annotations

import json
import shutil

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.paths import REPO_ROOT
from tests.support.terraform import Terraform, example_vars

EXAMPLE = REPO_ROOT / "examples" / "terraform" / "basic" / "main.tf"

pytestmark = pytest.mark.slow


_vars = example_vars


def _refresh_only(terraform: Terraform, variables: list[str]) -> tuple[int, dict[str, object]]:
    planned = terraform.run(
        "plan",
        "-refresh-only",
        "-detailed-exitcode",
        "-input=false",
        "-no-color",
        "-out=refresh.tfplan",
        *variables,
        ok=(0, 2),
    )
    shown = json.loads(terraform.run("show", "-json", "refresh.tfplan").stdout)
    return planned.returncode, shown


def test_refresh_only_plan_exits_0_without_drift_and_2_with_it(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.workdir.mkdir(parents=True)
    shutil.copy(EXAMPLE, terraform.workdir / "main.tf")
    terraform.init()
    variables = _vars(sim)
    terraform.apply(*variables)

    code, shown = _refresh_only(terraform, variables)
    assert code == 0, shown
    assert not shown.get("resource_drift") and shown.get("applyable") is False

    # A second refresh-only plan (state written by a refresh-only apply) is still empty.
    terraform.apply("-refresh-only", *variables)
    code, shown = _refresh_only(terraform, variables)
    assert code == 0, shown

    # A hand change of a number and of a real server's address: drift, exit 2, both named.
    sim.call_ok(
        [
            {"action": "edit-vip", "vip": "MGMT_HTTPS-443", "persist_time": "45"},
            {"action": "edit-rip", "vip": "SERV_SIP-5060", "rip": "EAS_SSS-2", "weight": "7"},
        ]
    )
    code, shown = _refresh_only(terraform, variables)
    assert code == 2
    drift = shown.get("resource_drift")
    assert isinstance(drift, list)
    drifted = {item["address"]: item["change"] for item in drift}
    assert set(drifted) == {
        "lborg_layer7_vip.management",
        'lborg_layer4_real_server.service["EAS_SSS-2"]',
    }
    assert drifted["lborg_layer7_vip.management"]["after"]["persist_time"] == 45
    assert drifted['lborg_layer4_real_server.service["EAS_SSS-2"]']["after"]["weight"] == 7
