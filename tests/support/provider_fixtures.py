"""Fixtures for the provider suite (imported by its test modules; a second conftest.py would
clash with the simulator suite's under mypy). Loopback range 127.2.0.0/16, APIs above 10000."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_provider.tools.install import install
from lborg_simulator.testing import SimulatorProcess, running_simulator
from tests.support.terraform import API_PORT, Terraform, base_env, next_subnet


@pytest.fixture(scope="session")
def terraform_home(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A mirror and CLI config built once per session, and a writable HOME for tf's cert cache."""
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed")
    root = tmp_path_factory.mktemp("terraform")
    installed = install(root / "mirror", root / "terraformrc")
    home = root / "home"
    home.mkdir()
    return home, installed.cli_config


@pytest.fixture
def simulator(tmp_path: Path) -> Iterator[SimulatorProcess]:
    subnet = next_subnet()
    with running_simulator(tmp_path / "sim", f"{subnet}.1:{API_PORT}") as sim:
        sim.subnet = subnet  # type: ignore[attr-defined]
        yield sim


@pytest.fixture
def terraform(tmp_path: Path, terraform_home: tuple[Path, Path]) -> Terraform:
    home, cli_config = terraform_home
    # Each test keeps its own create journal (and drain deadlines): the session's HOME is shared by
    # every test of a worker, and a journal entry left by one must never be taken over by another.
    env = {**base_env(home, cli_config), "LBORG_JOURNAL_DIR": str(tmp_path / "journal")}
    return Terraform(tmp_path / "work", env)
