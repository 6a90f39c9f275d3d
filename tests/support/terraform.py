"""Run the real `terraform` binary against the provider installed into a per-session mirror."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, SimulatorProcess

TERRAFORM = os.environ.get("TERRAFORM", "terraform")
_subnets = itertools.count(10)
API_PORT = 10944


def _worker_net() -> str:
    """The /16 of this process: `LBORG_TEST_NET` (default 127.2) for a serial run or the first
    pytest-xdist worker, then 20 further for each other worker (127.22, 127.42, ...), because the
    provider and reliability suites both allocate from it and run side by side."""
    base = int(os.environ.get("LBORG_TEST_NET", "127.2").split(".")[1])
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    return f"127.{base + 20 * (int(worker) if worker.isdigit() else 0)}"


#: `LBORG_TEST_NET=127.6` runs the suite on other addresses (two checkouts testing side by side).
_NET = _worker_net()


def next_subnet() -> str:
    """A fresh `127.2.N` prefix per simulator, so tests never share an address."""
    return f"{_NET}.{next(_subnets)}"


HEADER = """terraform {
  required_providers {
    lborg = { source = "local/lborg/lborg", version = "0.1.0" }
  }
}
"""


def provider_block(sim: SimulatorProcess, **extra: str) -> str:
    lines = [f'  endpoint = "{sim.endpoint}"', f'  ca_file  = "{sim.ca_file}"']
    lines += [f"  {key} = {value}" for key, value in extra.items()]
    return 'provider "lborg" {\n' + "\n".join(lines) + "\n}\n"


@dataclass
class Terraform:
    """One working directory and the environment terraform runs with."""

    workdir: Path
    env: dict[str, str]
    runs: list[list[str]] = field(default_factory=list)

    def write(self, body: str) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        (self.workdir / "main.tf").write_text(HEADER + body, encoding="utf-8")

    def run(
        self, *args: str, ok: tuple[int, ...] = (0,), env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [TERRAFORM, *args]
        self.runs.append(command)
        result = subprocess.run(
            command,
            cwd=self.workdir,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert result.returncode in ok, (
            f"{' '.join(command)} exited {result.returncode}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
        return result

    def init(self) -> None:
        self.run("init", "-input=false", "-no-color")

    def apply(self, *extra: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        return self.run("apply", "-auto-approve", "-input=false", "-no-color", *extra, env=env)

    def plan(
        self, *extra: str, ok: tuple[int, ...] = (0, 2), env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """`terraform plan -detailed-exitcode`: exit 0 when nothing would change, 2 when something would."""
        return self.run("plan", "-detailed-exitcode", "-input=false", "-no-color", *extra, ok=ok, env=env)

    def plan_exit_code(self) -> int:
        return self.plan(ok=(0, 1, 2)).returncode

    def planned_changes_from(self, plan_file: str) -> dict[str, list[str]]:
        """address → actions of a saved plan (no-op resources left out)."""
        shown = self.run("show", "-json", plan_file)
        plan: dict[str, Any] = json.loads(shown.stdout)
        changes: dict[str, list[str]] = {}
        for change in plan.get("resource_changes", []):
            actions = change["change"]["actions"]
            if actions != ["no-op"]:
                changes[change["address"]] = actions
        return changes


def simulator_counters(sim: SimulatorProcess) -> dict[str, Any]:
    result = sim.call([{"action": "nodestatus"}])[0]
    counters: dict[str, Any] = result["data"]["counters"]
    return counters


def dumpconfig(sim: SimulatorProcess) -> dict[str, Any]:
    data: dict[str, Any] = sim.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
    return data


def base_env(home: Path, cli_config: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "CHECKPOINT_DISABLE": "1",
        "TF_IN_AUTOMATION": "1",
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
    }


def example_vars(sim: SimulatorProcess, **overrides: str) -> list[str]:
    """`-var` arguments of examples/terraform/basic for a simulator on its own /24."""
    subnet = sim.subnet  # type: ignore[attr-defined]
    values = {
        "endpoint": sim.endpoint,
        "ca_file": str(sim.ca_file),
        "l7_vip_ip": f"{subnet}.10",
        "l7_port": "18443",
        "l4_vip_ip": f"{subnet}.11",
        "l4_port": "15060",
        "server_ips": f'["{subnet}.21", "{subnet}.22"]',
    }
    values.update(overrides)
    args: list[str] = []
    for key, value in values.items():
        args += ["-var", f"{key}={value}"]
    return args


def changed_attributes(entry: dict[str, Any]) -> set[str]:
    """The attributes one `resource_changes` entry of a plan's JSON changes (before vs after)."""
    before, after = entry["change"]["before"] or {}, entry["change"]["after"] or {}
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def wait_for_state_written(path: Path, *, limit: float, quiet: float = 1.0) -> None:
    """Until Terraform's local state file is whole and untouched for `quiet` seconds, within `limit`.

    A test that kills `terraform` mid-apply calls this first, at a moment when no resource is about
    to complete (its calls held by the appliance, or a commit waiting for a drain): the local
    backend rewrites the file in place after each resource (truncate, then write), and a kill
    inside that write empties Terraform's own state, which is not what such a test is about.
    """
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            json.loads(path.read_text())
            if time.time() - path.stat().st_mtime >= quiet:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    raise AssertionError(f"terraform kept writing {path} for {limit} s")
