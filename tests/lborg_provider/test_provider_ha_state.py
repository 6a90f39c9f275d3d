"""`lborg_ha_pair` state comes from the configuration (`heartbeat/ucast_ip`, `physical/network/role`):
destroy (which only forgets) then apply again adopts the existing pair instead of running
`ha_create` a second time, `terraform import` finds it by the peer's address, and a pair with a
different peer is refused before anything is written. Loopback range 127.16.20-29.x."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from lborg_simulator.testing import TEST_PASSWORD, SimulatorProcess, running_simulator
from tests.support.paths import REPO_ROOT
from tests.support.terraform import Terraform

pytestmark = pytest.mark.slow

_subnets = itertools.count(20)
PORT = 11945


def _site(primary: SimulatorProcess, subnet: str, peer: str) -> str:
    return f"""
provider "lborg" {{
  endpoint       = "{primary.endpoint}"
  ca_file        = "{primary.ca_file}"
  appliance_name = "lb1"
}}

resource "lborg_ha_pair" "pair" {{
  local_ip          = "{subnet}.1"
  peer_ip           = "{peer}"
  peer_password_env = "LB2_PASSWORD"
}}
"""


def _writes(sim: SimulatorProcess) -> int:
    stats = json.loads((sim.state_dir / "stats.json").read_text())
    return int(stats["write_actions"])


def test_existing_pair_is_adopted_imported_and_never_created_twice(
    tmp_path: Path, terraform: Terraform
) -> None:
    subnet = f"127.16.{next(_subnets)}"
    shared = ["--ca-dir", str(tmp_path / "ca"), "--heartbeat-interval", "0.5"]
    env = {"LB2_PASSWORD": TEST_PASSWORD}
    with ExitStack() as stack:
        primary = stack.enter_context(
            running_simulator(tmp_path / "lb1", f"{subnet}.1:{PORT}", name="lb1", extra_args=shared)
        )
        stack.enter_context(
            running_simulator(tmp_path / "lb2", f"{subnet}.2:{PORT}", name="lb2", extra_args=shared)
        )
        terraform.write(_site(primary, subnet, f"{subnet}.2"))
        terraform.init()
        terraform.apply(env=env)
        state = json.loads(terraform.run("show", "-json").stdout)
        pair = state["values"]["root_module"]["resources"][0]["values"]
        assert pair["role"] == "master" and pair["id"] == f"{subnet}.2"
        assert _writes(primary) == 1  # ha_create, once
        command = [sys.executable, "-m", "lborg_provider", "doctor", "--endpoint", primary.endpoint]
        doctor = subprocess.run(
            [*command, "--ca-file", str(primary.ca_file)],
            cwd=REPO_ROOT,
            env={**os.environ, **terraform.env},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert doctor.returncode == 0, doctor.stdout + doctor.stderr
        assert f"role master, in an HA pair with peer {subnet}.2" in doctor.stdout
        assert _writes(primary) == 1

        # Destroy only forgets; applying again adopts the pair (a second ha_create would fail).
        destroyed = terraform.run("destroy", "-auto-approve", "-input=false", "-no-color", env=env)
        assert "forgotten, not broken" in " ".join(destroyed.stdout.split())
        terraform.apply(env=env)
        assert _writes(primary) == 1
        assert terraform.plan_exit_code() == 0

        # Import by the peer's address finds the same pair.
        terraform.run("state", "rm", "lborg_ha_pair.pair")
        missing = terraform.run(
            "import", "-input=false", "-no-color", "lborg_ha_pair.pair", f"{subnet}.9", ok=(1,), env=env
        )
        assert "has no HA pair with peer" in " ".join(missing.stderr.split())
        terraform.run("import", "-input=false", "-no-color", "lborg_ha_pair.pair", f"{subnet}.2", env=env)
        shown = json.loads(terraform.run("show", "-json").stdout)
        imported = shown["values"]["root_module"]["resources"][0]["values"]
        assert imported["local_ip"] == f"{subnet}.1" and imported["role"] == "master"

        # A pair with another peer is refused before anything is written.
        terraform.run("state", "rm", "lborg_ha_pair.pair")
        terraform.write(_site(primary, subnet, f"{subnet}.3"))
        refused = terraform.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(1,), env=env)
        assert "already in an HA pair" in " ".join(refused.stderr.split())
        assert _writes(primary) == 1
