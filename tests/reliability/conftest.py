"""Fixtures of the reliability suite (loaded with `pytest_plugins`, like the provider suite's)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.testing import running_simulator
from tests.reliability.rel_harness import Deployment
from tests.reliability.rel_site import Site
from tests.support.terraform import API_PORT, Terraform, base_env, next_subnet


@pytest.fixture
def deployment(tmp_path: Path, terraform_home: tuple[Path, Path]) -> Iterator[Deployment]:
    """A fresh appliance on its own loopback /24 and the site, not yet applied."""
    home, cli_config = terraform_home
    subnet = next_subnet()
    with running_simulator(tmp_path / "sim", f"{subnet}.1:{API_PORT}") as sim:
        site = Site(subnet, sim.endpoint, str(sim.ca_file))
        tf = Terraform(tmp_path / "work", base_env(home, cli_config))
        tf.write(site.hcl())
        tf.init()
        yield Deployment(sim, site, tf)
