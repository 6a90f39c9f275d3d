"""Terraform interrupted mid-apply (SIGINT to terraform, Ctrl-C to its process group, SIGKILL), and
the appliance killed mid-apply: the next applies converge with no hand work.

The moment is random (a printed seed): after a random number of completed creates, while
others are in flight. After the interrupt no provider process may outlive terraform by more than
a few seconds. The interrupted apply counts as the first of the three the scenario may take.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.reliability.rel_harness import (
    MAX_APPLIES,
    Background,
    Deployment,
    announce,
    marked_processes,
    seeds,
)
from tests.support.processes import command_line

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

SEEDS = seeds("LBORG_REL_INTERRUPT_SEEDS", (4404, 5505))
#: How long after terraform exits its provider may still run.
PROVIDER_GRACE_S = 5.0
#: The random moment: once this many creates have completed (of the site's 97 resources; Terraform
#: reports them in bursts of about ten, so the upper bound leaves creates still to come). Counting
#: completions rather than seconds keeps the moment inside the apply on a fast or a loaded machine.
COMPLETED = (0, 80)


def _leftover_providers(run: Background) -> list[str]:
    deadline = time.monotonic() + PROVIDER_GRACE_S
    while True:
        alive = marked_processes(run.marker)
        if not alive or time.monotonic() > deadline:
            return [f"{pid}: {command_line(pid)}" for pid in alive]
        time.sleep(0.1)


@pytest.mark.parametrize("how", ["sigint", "ctrl-c", "sigkill"])
@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_interrupted_apply_converges(deployment: Deployment, how: str, seed: int, tmp_path: Path) -> None:
    rng = announce(f"terraform {how} mid-apply", seed)
    d = deployment
    run = Background.apply(d.tf, tmp_path / "interrupted.log")
    try:
        moment = rng.randint(*COMPLETED)
        print(f"{how} once {moment} creates completed")
        run.wait_for("Creating...")
        run.wait_for("Creation complete", count=moment)
        if how == "sigint":
            run.process.send_signal(signal.SIGINT)  # terraform alone: it asks the provider to stop
        elif how == "ctrl-c":
            os.killpg(run.process.pid, signal.SIGINT)  # what a terminal sends: terraform and provider
        else:
            run.process.kill()
        code = run.wait()
        print(f"interrupted apply exited {code}")
        d.applies.append(code)
        leftovers = _leftover_providers(run)
    finally:
        run.stop()
    assert not leftovers, f"seed {seed}: provider processes outlived terraform ({how}): {leftovers}"
    # The interrupt must have cut the apply short, or this case tested nothing.
    assert code != 0, f"the apply finished before the {how} (after {moment} creates): lower COMPLETED"
    if how != "sigkill":
        assert "Interrupt received" in run.output(), run.output()[-2000:]

    problems = d.converge(MAX_APPLIES - 1)
    assert not problems, f"seed {seed}, {how} after {moment} creates, applies {d.applies}:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("seed", SEEDS, ids=lambda seed: f"seed{seed}")
def test_appliance_killed_mid_apply_converges(deployment: Deployment, seed: int, tmp_path: Path) -> None:
    """SIGKILL to the simulator while creates are in flight; it restarts (same state) a random
    moment later, possibly while terraform still runs; then the applies converge."""
    rng = announce("appliance killed mid-apply", seed)
    d = deployment
    run = Background.apply(d.tf, tmp_path / "killed.log")
    try:
        moment, down = rng.randint(*COMPLETED), rng.uniform(0.0, 3.0)
        print(f"appliance killed once {moment} creates completed, down for {down:.2f} s")
        run.wait_for("Creating...")
        run.wait_for("Creation complete", count=moment)
        d.sim.kill()
        time.sleep(down)
        d.sim.start()
        d.applies.append(run.wait())
        leftovers = _leftover_providers(run)
    finally:
        run.stop()
    problems = (
        [f"provider processes outlived terraform by {PROVIDER_GRACE_S:g} s: {leftovers}"] if leftovers else []
    )
    problems += d.converge(MAX_APPLIES - 1)
    assert not problems, f"seed {seed}, applies {d.applies}:\n" + "\n".join(problems)
