"""Fixtures and tools of the reliability suite: seeds, a deployed site, terraform in the background.

Seeds are printed (and are in each test's id) so that a failure can be replayed; environment
variables override them (see tests/reliability/README.md).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from lborg_simulator.testing import SimulatorProcess
from tests.reliability.rel_checks import convergence_problems
from tests.reliability.rel_site import Site
from tests.support.processes import live_processes
from tests.support.terraform import TERRAFORM, Terraform

#: Applies a scenario may take from the disruption to convergence (the issue's bound).
MAX_APPLIES = 3
#: Environment variable marking every process of one background terraform run (and its provider).
MARKER = "LBORG_RELIABILITY_RUN"


def seeds(variable: str, defaults: tuple[int, ...]) -> list[int]:
    """`defaults`, or the comma-separated integers in `variable` (to replay a failure)."""
    given = os.environ.get(variable, "").strip()
    return [int(part) for part in given.split(",") if part.strip()] if given else list(defaults)


def announce(what: str, seed: int) -> random.Random:
    """Print the seed (pytest shows it with a failure, `-s` always) and return a generator drawn
    from the seed and `what`, so that the cases sharing a seed still meet different moments."""
    print(f"reliability {what}: seed {seed}")
    return random.Random(f"{seed}/{what}")


@dataclass
class Deployment:
    """One simulated appliance, the site's HCL in a terraform working directory, `init` done."""

    sim: SimulatorProcess
    site: Site
    tf: Terraform
    applies: list[int] = field(default_factory=list)

    def apply(self) -> subprocess.CompletedProcess[str]:
        """One `terraform apply`, whatever its exit status (recorded in `applies`)."""
        result = self.tf.run("apply", "-auto-approve", "-input=false", "-no-color", ok=(0, 1))
        self.applies.append(result.returncode)
        return result

    def converge(self, allowed: int) -> list[str]:
        """Apply up to `allowed` more times until one succeeds; then the convergence problems."""
        last: subprocess.CompletedProcess[str] | None = None
        for _ in range(allowed):
            last = self.apply()
            if last.returncode == 0:
                return convergence_problems(self.tf, [self.sim], self.site)
        assert last is not None
        return [f"no successful apply in {allowed}: {apply_errors(last)}"]

    def faults(self, **settings: object) -> None:
        write_faults(self.sim, settings)

    def no_faults(self) -> None:
        (self.sim.state_dir / "faults.json").unlink(missing_ok=True)


def write_faults(sim: SimulatorProcess, settings: dict[str, object]) -> None:
    """The simulator's run-time fault settings, written atomically (re-read on every request)."""
    target = sim.state_dir / "faults.json"
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings))
    tmp.replace(target)


def apply_errors(result: subprocess.CompletedProcess[str]) -> str:
    """The error lines of a failed terraform run, shortened."""
    lines = [line for line in result.stderr.splitlines() if line.startswith(("Error", "│ Error"))]
    return f"exit {result.returncode}: " + " | ".join(lines[:8])[:1500]


# -- terraform in the background, for interrupts -----------------------------------------------
@dataclass
class Background:
    """`terraform apply` started in its own session, so a signal reaches only what we aim at."""

    process: subprocess.Popen[str]
    marker: str
    log: Path

    @classmethod
    def apply(cls, tf: Terraform, log: Path) -> Background:
        marker = uuid.uuid4().hex
        handle = log.open("w")
        try:
            process = subprocess.Popen(
                [TERRAFORM, "apply", "-auto-approve", "-input=false", "-no-color"],
                cwd=tf.workdir,
                env={**tf.env, MARKER: marker},
                stdout=handle,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
                start_new_session=True,
            )
        finally:
            handle.close()
        return cls(process, marker, log)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, *, count: int = 1, timeout: float = 120.0) -> None:
        """Until `text` is `count` times in the output (0: at once), or fail."""
        deadline = time.monotonic() + timeout
        while self.output().count(text) < count:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"terraform exited {self.process.returncode} before {count} x {text!r}:\n{self.output()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"no {count} x {text!r} within {timeout} s:\n{self.output()[-2000:]}")
            time.sleep(0.02)

    def wait(self, timeout: float = 180.0) -> int:
        return self.process.wait(timeout)

    def stop(self) -> None:
        """Cleanup: end this run's terraform and every process carrying its marker, by id."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for pid in marked_processes(self.marker):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def marked_processes(marker: str) -> list[int]:
    """Ids of live processes whose environment carries `MARKER=marker` (terraform's provider)."""
    wanted = f"{MARKER}={marker}".encode()
    return [process.pid for process in live_processes() if wanted in process.environment()]
