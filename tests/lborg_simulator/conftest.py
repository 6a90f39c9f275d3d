"""Fixtures for the simulator suite: loopback range 127.1.0.0/16, ports above 10000."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.processes import haproxy_processes_under

_subnets = itertools.count(1)
API_PORT = 10443


#: `LBORG_SIM_TEST_NET=127.12` runs the suite on another /16 (two checkouts testing side by side).
_NET = os.environ.get("LBORG_SIM_TEST_NET", "127.1")


def next_subnet() -> str:
    """A fresh `127.1.N` prefix per use, so tests never share an address."""
    return f"{_NET}.{next(_subnets)}"


@pytest.fixture(autouse=True)
def no_leftover_haproxy(tmp_path: Path) -> Iterator[None]:
    """Every test must stop the HAProxy processes its simulators started."""
    yield
    leftovers = haproxy_processes_under(tmp_path)
    assert not leftovers, f"HAProxy processes left behind: {leftovers}"


@pytest.fixture
def subnet() -> str:
    return next_subnet()


@pytest.fixture
def sim(tmp_path: Path, subnet: str) -> Iterator[SimulatorProcess]:
    with running_simulator(tmp_path / "lb1", f"{subnet}.1:{API_PORT}") as simulator:
        yield simulator
