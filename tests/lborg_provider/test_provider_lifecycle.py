"""The HCL example end to end with real terraform and a real simulator: apply, empty plan, drift
repair with one reload, in-place update, replace, destroy; secrets never in TF_LOG=trace output."""

from __future__ import annotations

import base64
import shutil

import pytest

from lborg_provider.model.config_view import find_real, find_virtual, virtuals
from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess
from tests.support.paths import REPO_ROOT
from tests.support.terraform import Terraform, dumpconfig, example_vars, simulator_counters

EXAMPLE = REPO_ROOT / "examples" / "terraform" / "basic" / "main.tf"

pytestmark = pytest.mark.slow


_vars = example_vars


def test_example_apply_drift_update_replace_destroy(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.workdir.mkdir(parents=True)
    shutil.copy(EXAMPLE, terraform.workdir / "main.tf")
    terraform.init()
    variables = _vars(sim)

    # Apply with TF_LOG=trace: the secrets must not show anywhere in Terraform's output.
    applied = terraform.apply(*variables, env={"TF_LOG": "trace"})
    everything = applied.stdout + applied.stderr
    assert "lborg_commit.this: Creation complete" in everything
    encoded = [
        base64.b64encode(value.encode()).decode()
        for value in (TEST_API_KEY, f"{TEST_USERNAME}:{TEST_PASSWORD}")
    ]
    for secret in (TEST_PASSWORD, TEST_API_KEY, *encoded):
        assert secret not in everything
    config = dumpconfig(sim)
    l7 = find_virtual(config, "7", "MGMT_HTTPS-443")
    l4 = find_virtual(config, "4", "SERV_SIP-5060")
    assert l7 is not None and l4 is not None
    assert l7["persistence"] == "ip" and l7["timeout_client"] == "900000"
    assert l4["forwardingmethod"] == "masq" and l4["persistent"] == "on"
    assert find_real(l7, "EAS_SSS-2") is not None and find_real(l4, "EAS_SSS-1") is not None
    counters = simulator_counters(sim)
    assert counters["reloads"]["haproxy"] == 1 and counters["reloads"]["ldirectord"] == 1

    # Right after apply, nothing to do.
    plan = terraform.plan(*variables)
    assert plan.returncode == 0, plan.stdout

    # Drift by hand: delete a real server, edit a VIP. The plan shows exactly those (plus the commit
    # that will reload), and apply repairs them with one more HAProxy reload.
    sim.call_ok(
        [
            {"action": "delete-rip", "vip": "MGMT_HTTPS-443", "rip": "EAS_SSS-1"},
            {"action": "edit-vip", "vip": "SERV_SIP-5060", "persist_time": "600"},
        ]
    )
    terraform.run("plan", "-input=false", "-no-color", "-out=tfplan", *variables)
    changes = terraform.planned_changes_from("tfplan")
    assert changes == {
        'lborg_layer7_real_server.management["EAS_SSS-1"]': ["create"],
        "lborg_layer4_vip.service": ["update"],
        "lborg_commit.this": ["update"],
    }
    terraform.run("apply", "-input=false", "-no-color", "tfplan")
    config = dumpconfig(sim)
    l7 = find_virtual(config, "7", "MGMT_HTTPS-443")
    l4 = find_virtual(config, "4", "SERV_SIP-5060")
    assert l7 is not None and find_real(l7, "EAS_SSS-1") is not None
    assert l4 is not None and l4["persist_time"] == "300"
    counters = simulator_counters(sim)
    assert counters["reloads"]["haproxy"] == 2 and counters["reloads"]["ldirectord"] == 2
    assert sim.call([{"action": "nodestatus"}])[0]["data"]["pending"] == []
    plan = terraform.plan(*variables)
    assert plan.returncode == 0, plan.stdout

    # In-place update of the persistence time and the VIP's capacity, as a site sized for 250,000
    # subscribers sets it: the running HAProxy takes the values at the one reload.
    capacity = {"maxconn": "380000", "persist_table_size": "380000"}
    updated = terraform.apply(*_vars(sim, persist_time_minutes="45", **capacity))
    assert "0 added, 2 changed, 0 destroyed" in updated.stdout
    l7 = find_virtual(dumpconfig(sim), "7", "MGMT_HTTPS-443")
    assert l7 is not None and l7["persist_time"] == "45"
    assert (l7["maxconn"], l7["persist_table_size"]) == ("380000", "380000")
    haproxy_cfg = (sim.state_dir / "haproxy" / "haproxy.cfg").read_text()
    assert "    maxconn 380000\n" in haproxy_cfg
    assert "    stick-table type ip size 380000 expire 45m\n" in haproxy_cfg
    assert simulator_counters(sim)["reloads"]["haproxy"] == 3
    plan = terraform.plan(*_vars(sim, persist_time_minutes="45", **capacity))
    assert plan.returncode == 0, plan.stdout  # read back as written: no perpetual diff

    # A new label cannot be edited: the VIP and its real servers are replaced.
    replaced = terraform.apply(*_vars(sim, persist_time_minutes="45", l7_label="MGMT_HTTPS-NEW"))
    assert "3 added, 1 changed, 3 destroyed" in replaced.stdout
    config = dumpconfig(sim)
    assert find_virtual(config, "7", "MGMT_HTTPS-443") is None
    new = find_virtual(config, "7", "MGMT_HTTPS-NEW")
    assert new is not None and find_real(new, "EAS_SSS-2") is not None
    plan = terraform.plan(*_vars(sim, persist_time_minutes="45", l7_label="MGMT_HTTPS-NEW"))
    assert plan.returncode == 0, plan.stdout

    # Destroy leaves the appliance without VIPs.
    terraform.run(
        "destroy", "-auto-approve", "-input=false", "-no-color", *_vars(sim, l7_label="MGMT_HTTPS-NEW")
    )
    config = dumpconfig(sim)
    assert virtuals(config, "7") == [] and virtuals(config, "4") == []
