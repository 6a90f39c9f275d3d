"""Bad credentials, a wrong CA and an appliance answering `failed` each give one clear error."""

from __future__ import annotations

from pathlib import Path

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.certificates import unrelated_ca
from tests.support.terraform import Terraform, provider_block

pytestmark = pytest.mark.slow

READ_CONFIG = 'data "lborg_config" "all" {}\n'


def _errors(output: str) -> int:
    return output.count("Error: ")


def test_auth_tls_and_failed_action_errors(
    simulator: SimulatorProcess, terraform: Terraform, tmp_path: Path
) -> None:
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]
    terraform.write(provider_block(sim) + READ_CONFIG)
    terraform.init()

    wrong_password = "not-the-password-4711"
    denied = terraform.run(
        "plan", "-input=false", "-no-color", env={"LBORG_PASSWORD": wrong_password}, ok=(1,)
    )
    assert _errors(denied.stderr) == 1, denied.stderr
    assert "authentication failed" in denied.stderr
    assert wrong_password not in denied.stdout + denied.stderr

    other_ca = unrelated_ca(tmp_path / "other-ca.pem")
    terraform.write(provider_block(sim).replace(str(sim.ca_file), str(other_ca)) + READ_CONFIG)
    untrusted = terraform.run("plan", "-input=false", "-no-color", ok=(1,))
    assert _errors(untrusted.stderr) == 1, untrusted.stderr
    flat = " ".join(untrusted.stderr.split())
    assert "TLS verification failed" in flat and f"CA file {other_ca}" in flat

    # insecure = true works, with a warning.
    insecure = provider_block(sim).replace(f'ca_file  = "{sim.ca_file}"', "insecure = true")
    terraform.write(insecure + READ_CONFIG)
    warned = terraform.run("plan", "-input=false", "-no-color")
    assert "TLS verification disabled" in warned.stdout + warned.stderr

    # The appliance refuses a second VIP on an address and port that another VIP already uses.
    sim.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "TAKEN",
                "ip": f"{subnet}.10",
                "ports": "18443",
                "mode": "tcp",
            }
        ]
    )
    terraform.write(
        provider_block(sim)
        + 'resource "lborg_layer7_vip" "clash" {\n  label = "CLASH"\n'
        + f'  ip = "{subnet}.10"\n  ports = "18443"\n}}\n'
    )
    failed = terraform.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(1,))
    assert _errors(failed.stderr) == 1, failed.stderr
    flat = " ".join(failed.stderr.split())
    assert f"appliance {subnet}.1" in flat
    assert "add-vip" in flat and "'CLASH'" in flat and "'failed'" in flat
    assert "already used by VIP 'TAKEN'" in flat


def test_endpoint_known_only_at_apply_still_plans_creates(terraform: Terraform) -> None:
    terraform.write(
        'resource "terraform_data" "endpoint" {\n  input = "https://127.2.9.1:10944"\n}\n'
        'provider "lborg" {\n  endpoint = terraform_data.endpoint.output\n}\n'
        'resource "lborg_floating_ip" "gw" {\n  ip = "127.2.9.50"\n}\n'
    )
    terraform.init()
    planned = terraform.run("plan", "-input=false", "-no-color")
    assert "lborg_floating_ip.gw will be created" in planned.stdout


def test_failed_apply_can_be_rerun(simulator: SimulatorProcess, terraform: Terraform) -> None:
    """add-vip succeeds, edit-vip is refused: the VIP is recorded tainted, and the corrected
    configuration applies on the next run by replacing it. (A value outside a closed set, such as
    a scheduler typo, no longer gets this far: validation refuses it; an out-of-range number
    is one the appliance alone refuses.)"""
    sim = simulator
    subnet = sim.subnet  # type: ignore[attr-defined]

    def site(persist_time: str) -> str:
        return provider_block(sim) + (
            'resource "lborg_layer7_vip" "web" {\n  label = "WEB"\n'
            f'  ip = "{subnet}.10"\n  ports = "18080"\n  persist_time = {persist_time}\n}}\n'
        )

    terraform.write(site("99999999"))
    terraform.init()
    failed = terraform.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(1,))
    flat = " ".join(failed.stderr.split())
    assert _errors(failed.stderr) == 1 and "edit-vip" in flat and "99999999" in flat
    terraform.write(site("60"))
    rerun = terraform.apply()
    assert "1 added, 0 changed, 1 destroyed" in rerun.stdout
    assert terraform.plan_exit_code() == 0
