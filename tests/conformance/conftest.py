"""Fixtures of the conformance suite: loopback range 127.10.0.0/16, one simulator per module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.processes import haproxy_processes_under

API_PORT = 10443


@pytest.fixture(scope="module")
def module_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A state directory for the module; no HAProxy the module started may outlive it."""
    path = tmp_path_factory.mktemp("conformance")
    yield path
    leftovers = haproxy_processes_under(path)
    assert not leftovers, f"HAProxy processes left behind: {leftovers}"


@pytest.fixture(scope="module")
def appliance(module_dir: Path) -> Iterator[SimulatorProcess]:
    """One simulator for the whole module, at 127.10.0.1, with quick Layer 7 health checks."""
    with running_simulator(
        module_dir / "lb1", f"127.10.0.1:{API_PORT}", name="lbconform", advanced={"l7.interval": "300"}
    ) as simulator:
        yield simulator
