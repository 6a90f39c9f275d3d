"""Wrong credentials or a refused connection are reported once, by the provider block, not once
per resource (loopback 127.14.2.0/24)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.terraform import Terraform, provider_block

pytestmark = pytest.mark.slow


@pytest.fixture
def appliance(tmp_path: Path) -> Iterator[SimulatorProcess]:
    with running_simulator(tmp_path / "sim", "127.14.2.1:14944") as sim:
        yield sim


def _three_vips() -> str:
    return "".join(
        f'resource "lborg_layer7_vip" "v{n}" {{\n  label = "V{n}"\n  ip = "127.14.2.{10 + n}"\n'
        f'  ports = "1408{n}"\n}}\n'
        for n in range(3)
    )


def test_wrong_password_is_one_error_naming_its_variable(
    appliance: SimulatorProcess, terraform: Terraform
) -> None:
    terraform.write(provider_block(appliance, password_env='"LB14_PW"') + _three_vips())
    terraform.init()
    terraform.apply(env={"LB14_PW": terraform.env["LBORG_PASSWORD"]})
    wrong = "wrong-1414-password"
    denied = terraform.run("plan", "-input=false", "-no-color", env={"LB14_PW": wrong}, ok=(1,))
    flat = " ".join(denied.stderr.split())
    assert denied.stderr.count("Error: ") == 1, denied.stderr
    assert "authentication failed" in flat and "the password in environment variable LB14_PW" in flat
    assert wrong not in denied.stdout + denied.stderr


def test_refused_connection_is_one_plain_error(appliance: SimulatorProcess, terraform: Terraform) -> None:
    terraform.write(provider_block(appliance) + _three_vips())
    terraform.init()
    terraform.apply()
    appliance.stop()
    refused = terraform.run("plan", "-input=false", "-no-color", ok=(1,))
    flat = " ".join(refused.stderr.split())
    assert refused.stderr.count("Error: ") == 1, refused.stderr
    assert "connection refused: nothing listens at that address and port" in flat
    assert "HTTPSConnection" not in flat
