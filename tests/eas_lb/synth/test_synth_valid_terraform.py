"""The lb stacks of both example sites are valid Terraform for the real `lborg` provider schema
(`Testing.to_be_valid_terraform`: terraform init through the project's mirror, then validate).

VM stacks are left out: the vSphere provider cannot be installed here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from eas_lb.inputs.site import load_deployment
from eas_lb.synth.framework import TerraformStack
from eas_lb.synth.framework import Testing as CdktfTesting  # a name pytest does not try to collect
from eas_lb.synth.stacks.lb import Scenario1Stack, Scenario2Stack
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _provider_mirror() -> None:
    """cdktf runs terraform from its Node.js runtime, which inherited the environment when it
    started: TF_CLI_CONFIG_FILE must already name the project's CLI config (the Makefile exports
    it), a monkeypatch here would come too late."""
    cli_config = REPO / "build" / "terraformrc"
    if shutil.which("terraform") is None or not cli_config.exists():
        pytest.fail("terraform and the provider mirror are needed: run `make setup`")
    if Path(os.environ.get("TF_CLI_CONFIG_FILE", "")).resolve() != cli_config.resolve():
        pytest.fail(
            f"export TF_CLI_CONFIG_FILE={cli_config} (as `make test` does) to validate against the provider"
        )


def _lb_stack(site: str) -> TerraformStack:
    deployment = load_deployment(REPO / "examples" / site)
    plan = deployment.pairs[0]
    kind = Scenario1Stack if plan.scenario == 1 else Scenario2Stack
    return kind(CdktfTesting.app(), "lb", site=deployment.site, plan=plan)


@pytest.mark.smoke
@pytest.mark.parametrize("site", ["site-scenario1.yaml", "site-scenario2.yaml", "site-demo.yaml"])
def test_lb_stack_is_valid_terraform(site: str) -> None:
    assert CdktfTesting.to_be_valid_terraform(CdktfTesting.full_synth(_lb_stack(site)))


def test_an_attribute_the_provider_does_not_have_is_invalid() -> None:
    stack = _lb_stack("site-scenario2.yaml")
    pool = stack.management_pools[0]  # type: ignore[attr-defined]
    pool.vip.add_override("no_such_attribute", "x")
    assert not CdktfTesting.to_be_valid_terraform(CdktfTesting.full_synth(stack))
