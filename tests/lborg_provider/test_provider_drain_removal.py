"""Drain before removal, with real terraform against the simulator: a real server removed from
several VIPs of both layers drains on all of them at once (the apply pays one drain time, not one
per VIP), is deleted, and the reload removes it, all in the same apply; `drain_seconds = 0`
deletes at once; a server removed with its VIP is deleted without a drain (one action, not two);
an apply killed while the servers drain converges on the next one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from typing import Any

import pytest

from lborg_provider.model.config_view import find_real, find_virtual
from lborg_simulator.testing import SimulatorProcess
from tests.support.terraform import TERRAFORM, Terraform, provider_block, wait_for_state_written

pytestmark = pytest.mark.slow

DRAIN = 3
#: (label, layer, port) of the VIPs the removed server leaves: both layers.
VIPS = (("WEB", "7", 18080), ("API", "7", 18081), ("SIP", "4", 15060), ("XMPP", "4", 15222))


def _config(
    sim: SimulatorProcess,
    *,
    with_b: bool,
    d_drain: int | None,
    with_d: bool = True,
    b_drain: int = DRAIN,
    vips: int = len(VIPS),
) -> str:
    """`vips`: how many of `VIPS` (the first ones) the configuration declares."""
    subnet = sim.subnet  # type: ignore[attr-defined]
    body = provider_block(sim)
    depends = []
    for n, (label, layer, port) in enumerate(VIPS[:vips]):
        kind = "layer7" if layer == "7" else "layer4"
        extra = "" if layer == "7" else '\n  forwarding = "masq"'
        body += f"""
resource "lborg_{kind}_vip" "v{n}" {{
  label = "{label}"
  ip    = "{subnet}.{10 + n}"
  ports = "{port}"{extra}
}}

resource "lborg_{kind}_real_server" "a{n}" {{
  vip   = lborg_{kind}_vip.v{n}.label
  label = "EAS-A"
  ip    = "{subnet}.21"
  port  = {port}
}}
"""
        depends.append(f"lborg_{kind}_real_server.a{n}")
        if with_b:
            body += f"""
resource "lborg_{kind}_real_server" "b{n}" {{
  vip           = lborg_{kind}_vip.v{n}.label
  label         = "EAS-B"
  ip            = "{subnet}.22"
  port          = {port}
  drain_seconds = {b_drain}
}}
"""
            depends.append(f"lborg_{kind}_real_server.b{n}")
    if with_d:
        drain = "" if d_drain is None else f"\n  drain_seconds = {d_drain}"
        body += f"""
resource "lborg_layer7_real_server" "d" {{
  vip   = lborg_layer7_vip.v0.label
  label = "EAS-D"
  ip    = "{subnet}.24"
  port  = 18080{drain}
}}
"""
        depends.append("lborg_layer7_real_server.d")
    return body + f'\nresource "lborg_commit" "this" {{\n  depends_on = [{", ".join(depends)}]\n}}\n'


def _config_of(sim: SimulatorProcess, state: str) -> dict[str, Any]:
    data: dict[str, Any] = sim.call([{"action": "list", "function": "dumpconfig", "state": state}])[0]["data"]
    return data


def _counters(sim: SimulatorProcess) -> dict[str, Any]:
    counters: dict[str, Any] = json.loads((sim.state_dir / "stats.json").read_text())
    return counters


def _has(config: dict[str, Any], rip: str) -> list[bool]:
    """Whether each VIP of `VIPS` has real server `rip` in `config`."""
    found = []
    for label, layer, _port in VIPS:
        virtual = find_virtual(config, layer, label)
        found.append(virtual is not None and find_real(virtual, rip) is not None)
    return found


def _start_apply(terraform: Terraform, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [TERRAFORM, "apply", "-input=false", "-no-color", *args],
        cwd=terraform.workdir,
        env=terraform.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _watch_removal(sim: SimulatorProcess, apply: subprocess.Popen[str]) -> dict[str, float]:
    """Until the apply ends: when EAS-B had left the pending configuration of the first and of
    every VIP, and when it had left the running one of every VIP (the reload)."""
    seen: dict[str, float] = {}
    while apply.poll() is None:
        now = time.monotonic()
        pending = _has(_config_of(sim, "pending"), "EAS-B")
        running = _has(_config_of(sim, "running"), "EAS-B")
        if not all(pending):
            seen.setdefault("first_deleted", now)
        if not any(pending):
            seen.setdefault("all_deleted", now)
            if all(running):
                seen["still_running"] = now
        if not any(running):
            seen.setdefault("reloaded", now)
        time.sleep(0.05)
    return seen


def test_servers_removed_from_several_vips_drain_at_once_then_go(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.write(_config(sim, with_b=True, d_drain=30))
    terraform.init()
    terraform.apply()
    assert all(_has(_config_of(sim, "running"), "EAS-B"))

    # EAS-B leaves four VIPs (both layers); EAS-D's drain time drops to 0 (state only: no reload).
    terraform.write(_config(sim, with_b=False, d_drain=0))
    planned = terraform.run("plan", "-input=false", "-no-color", "-out=tfplan")
    said = " ".join(planned.stdout.split())
    for label, _layer, _port in VIPS:
        assert f"real server '{label}/EAS-B': drains for {DRAIN} s, then deleted" in said, said
    assert f"The apply waits {DRAIN} s, once for all of them, before it reloads." in said
    assert terraform.planned_changes_from("tfplan") == {
        **{f"lborg_layer{layer}_real_server.b{n}": ["delete"] for n, (_l, layer, _p) in enumerate(VIPS)},
        "lborg_layer7_real_server.d": ["update"],
        "lborg_commit.this": ["update"],
    }
    started = time.monotonic()
    apply = _start_apply(terraform, "tfplan")
    seen = _watch_removal(sim, apply)
    elapsed = time.monotonic() - started
    output = apply.stdout.read() if apply.stdout else ""
    assert apply.returncode == 0, output
    # Deleted from every VIP within a moment of each other, kept running (draining) meanwhile,
    # then removed by the reload once the drain had run: one drain time for the whole apply.
    assert seen["all_deleted"] - seen["first_deleted"] < 1.5, seen
    assert "still_running" in seen, seen
    # From the first delete to the reload: one drain time (one per VIP, in turn, would be
    # DRAIN * len(VIPS)), whatever terraform's own start-up and refresh cost on a busy machine.
    assert DRAIN - 0.5 <= seen["reloaded"] - seen["first_deleted"] < 2 * DRAIN, seen
    assert elapsed >= DRAIN, elapsed
    assert not any(_has(_config_of(sim, "running"), "EAS-B"))
    assert terraform.plan_exit_code() == 0

    # drain_seconds = 0: deleted at once (it had 30 s before the update above).
    terraform.write(_config(sim, with_b=False, d_drain=0, with_d=False))
    started = time.monotonic()
    terraform.apply()
    assert time.monotonic() - started < 20
    running = find_virtual(_config_of(sim, "running"), "7", "WEB")
    assert running is not None and find_real(running, "EAS-D") is None
    assert terraform.plan_exit_code() == 0

    # XMPP leaves with its real server EAS-A (default drain time): the reload ends the VIP, so
    # the server is deleted without a drain: delete-rip and delete-vip, then the reload.
    terraform.write(_config(sim, with_b=False, d_drain=0, with_d=False, vips=len(VIPS) - 1))
    before = _counters(sim)
    started = time.monotonic()
    applied = terraform.apply()
    after = _counters(sim)
    said = " ".join(applied.stdout.split())
    assert "real server 'XMPP/EAS-A': deleted with its VIP, not drained" in said, said
    reloads = sum(after["reloads"].values()) - sum(before["reloads"].values())
    assert after["write_actions"] - before["write_actions"] - reloads == 2, (before, after)
    assert time.monotonic() - started < 20
    assert find_virtual(_config_of(sim, "running"), "4", "XMPP") is None
    assert terraform.plan_exit_code() == 0


def test_an_apply_killed_while_servers_drain_converges_on_the_next(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    # Long enough to outlast the kill and the next apply's refresh and plan.
    terraform.write(_config(sim, with_b=True, d_drain=None, with_d=False, b_drain=10))
    terraform.init()
    terraform.apply()

    terraform.write(_config(sim, with_b=False, d_drain=None, with_d=False))
    apply = _start_apply(terraform, "-auto-approve")
    deadline = time.monotonic() + 60
    while any(_has(_config_of(sim, "pending"), "EAS-B")):
        assert apply.poll() is None and time.monotonic() < deadline, "the deletes never ran"
        time.sleep(0.05)
    # The commit now waits the drain time: kill once Terraform has written the deletes' state.
    wait_for_state_written(terraform.workdir / "terraform.tfstate", limit=5)
    os.kill(apply.pid, signal.SIGKILL)  # terraform gone; its provider notices and stops waiting
    killed = time.monotonic()
    apply.wait()
    time.sleep(1)
    # Killed mid-drain: deleted from the configuration, still in the running service (draining).
    assert all(_has(_config_of(sim, "running"), "EAS-B"))

    started = time.monotonic()
    again = terraform.apply()
    said = " ".join(again.stdout.split())
    assert "still draining after an interrupted apply" in said, said
    assert "edited outside Terraform" not in said, said  # its own deletes, not an outside change
    assert time.monotonic() - started >= 10 - 1.5 - (started - killed)  # it waited what was left
    assert not any(_has(_config_of(sim, "running"), "EAS-B"))
    assert terraform.plan_exit_code() == 0
