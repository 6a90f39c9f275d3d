"""Objects an apply created but never recorded are taken over by the next apply; objects made by
hand are refused with the import command and never edited; interrupts of terraform (SIGINT,
SIGKILL) lose nothing. Real terraform against a real simulator."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lborg_provider.model.config_view import find_real, find_virtual, virtuals
from lborg_simulator.testing import SimulatorProcess
from lborg_support.waiting import wait_until
from tests.support.processes import live_processes
from tests.support.terraform import Terraform, dumpconfig, wait_for_state_written

pytestmark = pytest.mark.slow

#: VIPs (each with a real server) of the apply that is killed: enough creates left to kill it early.
COUNT = 30
#: Latency of the appliance while the kill is prepared: longer than the wait for a quiet state
#: file, shorter than the provider's wait for its calls in flight once terraform died.
HELD_MS = 8000


def site(sim: SimulatorProcess, count: int) -> str:
    """`count` Layer 7 VIPs with one real server each, and a commit."""
    subnet = sim.subnet  # type: ignore[attr-defined]
    body = [f'provider "lborg" {{\n  endpoint = "{sim.endpoint}"\n  ca_file = "{sim.ca_file}"\n}}\n']
    for index in range(count):
        body.append(
            f'resource "lborg_layer7_vip" "v{index}" {{\n  label = "V{index}"\n'
            f'  ip = "{subnet}.{10 + index}"\n  ports = "80"\n  persist_time = 30\n}}\n'
            f'resource "lborg_layer7_real_server" "r{index}" {{\n  vip = lborg_layer7_vip.v{index}.label\n'
            f'  label = "EAS_SSS-1"\n  ip = "{subnet}.200"\n  port = 80\n  weight = 100\n}}\n'
        )
    return "".join(body)


def appliance_objects(sim: SimulatorProcess) -> set[str]:
    config = dumpconfig(sim)
    found = set()
    for vip in virtuals(config, "7"):
        label = str(vip.get("label"))
        found.add(f"V:{label}")
        reals = vip.get("real") or []
        for real in reals if isinstance(reals, list) else [reals]:
            found.add(f"R:{label}/{real.get('label')}")
    return found


def state_objects(terraform: Terraform) -> set[str]:
    listed = terraform.run("state", "list").stdout.split()
    objects = set()
    for address in listed:
        kind, _, name = address.partition(".")
        index = name.lstrip("vr")
        if kind == "lborg_layer7_vip":
            objects.add(f"V:V{index}")
        elif kind == "lborg_layer7_real_server":
            objects.add(f"R:V{index}/EAS_SSS-1")
    return objects


def set_latency(sim: SimulatorProcess, milliseconds: int) -> None:
    target = sim.state_dir / "faults.json"
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps({"latency_ms": milliseconds}))
    temporary.replace(target)


def test_an_unrecorded_create_is_taken_over_and_a_hand_made_object_is_refused(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.write(site(sim, 2))
    terraform.init()
    terraform.apply()

    # The create of V0 and its real server "never reached the state" (as after a killed
    # terraform): the next apply, which reads nothing first, takes them over.
    terraform.run("state", "rm", "lborg_layer7_vip.v0", "lborg_layer7_real_server.r0")
    taken = terraform.apply("-refresh=false")
    assert "took over layer 7 VIP 'V0'" in taken.stdout, taken.stdout
    assert "took over real server 'V0/EAS_SSS-1'" in taken.stdout
    assert terraform.plan_exit_code() == 0
    assert state_objects(terraform) == appliance_objects(sim)

    # Refresh dropped every journal entry; now V1 leaves the state: to this configuration it
    # is an object someone else made. It is refused (twice: the refusal adds no entry), and
    # never edited.
    terraform.run("state", "rm", "lborg_layer7_vip.v1")
    sim.call([{"action": "edit-vip", "vip": "V1", "persist_time": "45"}])
    for _ in range(2):
        refused = terraform.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(1,))
        assert "already has 'V1', made outside this configuration" in refused.stderr, refused.stderr
        assert "terraform import" in refused.stderr
    vip = find_virtual(dumpconfig(sim), "7", "V1")
    assert vip is not None and str(vip.get("persist_time")) == "45"

    # The command the message gives brings it back under Terraform, and apply sets the value.
    terraform.run("import", "-no-color", "lborg_layer7_vip.v1", "V1")
    terraform.apply()
    vip = find_virtual(dumpconfig(sim), "7", "V1")
    assert vip is not None and str(vip.get("persist_time")) == "30"
    assert terraform.plan_exit_code() == 0


def _start_apply(terraform: Terraform) -> tuple[subprocess.Popen[str], Path, set[int]]:
    """Start an apply and return once its first create completed, with the provider processes
    it started (its children: other tests run their own terraform side by side)."""
    log = terraform.workdir / "apply.log"
    process = subprocess.Popen(
        ["terraform", "apply", "-auto-approve", "-input=false", "-no-color"],
        cwd=terraform.workdir,
        env=terraform.env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    providers: set[int] = set()
    deadline = time.monotonic() + 120
    while "Creation complete" not in log.read_text() and time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        providers |= _provider_processes(parent=process.pid)
        time.sleep(0.1)
    providers |= _provider_processes(parent=process.pid)
    return process, log, providers


def _provider_processes(parent: int | None = None) -> set[int]:
    """Live provider processes, only the children of `parent` when given."""
    return {
        process.pid
        for process in live_processes()
        if (parent is None or process.parent == parent)
        and ("terraform-provider-lborg" in process.command or "lborg_provider.main" in process.command)
    }


def test_sigint_returns_every_result_and_sigkill_leaves_no_provider_and_nothing_orphaned(
    simulator: SimulatorProcess, terraform: Terraform
) -> None:
    sim = simulator
    terraform.write(site(sim, 8))
    terraform.init()
    set_latency(sim, 400)  # each batch takes a while: the interrupts land mid-apply

    # Ctrl-C (SIGINT to terraform and the provider, as a terminal does): Terraform stops
    # starting operations; every operation in flight returns its result and is recorded.
    process, log, _ = _start_apply(terraform)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=120) == 1
    output = log.read_text()
    assert "Interrupt received" in output
    assert "did not respond" not in output and "rpc error" not in output, output
    assert state_objects(terraform) == appliance_objects(sim) != set()

    # SIGKILL of terraform alone, early in an apply with many creates left: its provider
    # notices and exits, whatever it was doing. The creates in flight are held by the appliance
    # (a long latency), and the kill waits until Terraform has written the state of what was
    # already answered: the local backend rewrites terraform.tfstate in place (truncate, then
    # write) after each resource, and a kill inside that write empties Terraform's own state,
    # which is Terraform's to lose, not the provider's (lborg_provider/README.md, "Stopping").
    terraform.write(site(sim, COUNT))
    process, log, providers = _start_apply(terraform)
    set_latency(sim, HELD_MS)
    wait_for_state_written(terraform.workdir / "terraform.tfstate", limit=HELD_MS / 2000)
    assert process.poll() is None, "the apply ended before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert providers, "no provider process found during the apply"
    # It finishes the held call first (graceful.ORPHAN_DRAIN_SECONDS, 10 s), then exits.
    gone = wait_until(lambda: not providers & _provider_processes(), 20, interval=0.2)
    assert gone is not None, "the provider outlived terraform"

    # What the killed apply created without recording is taken over; nothing is left behind.
    set_latency(sim, 0)
    (terraform.workdir / ".terraform.tfstate.lock.info").unlink(missing_ok=True)
    converged = terraform.apply()
    assert "took over" in converged.stdout, converged.stdout  # the held creates were finished
    assert terraform.plan_exit_code() == 0
    expected = {f"V:V{i}" for i in range(COUNT)} | {f"R:V{i}/EAS_SSS-1" for i in range(COUNT)}
    assert appliance_objects(sim) == expected == state_objects(terraform)
    for index in range(COUNT):
        vip = find_virtual(dumpconfig(sim), "7", f"V{index}")
        assert vip is not None and find_real(vip, "EAS_SSS-1") is not None
