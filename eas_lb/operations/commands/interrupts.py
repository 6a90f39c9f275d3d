"""Ctrl-C during `deploy` and `destroy`: Terraform stops the way it is built to, and the user is told
in one line what was done and what is left.

A terminal sends SIGINT to its whole foreground process group. Left alone, Python stops `deploy`
with a `KeyboardInterrupt` traceback, the cdktf CLI dies at once and takes its `terraform` with
it (cdktf runs Terraform on a pseudo-terminal of its own, which closes), so Terraform's own words
(an apply stopped while a real server drains: "nothing was reloaded; the next apply waits what is
left of the drain") never reach the user, and the Python app that cdktf synthesizes with loses its
jsii kernel (`BrokenPipeError`).

So the cdktf CLI runs in a session of its own (Ctrl-C does not reach it), dies with `deploy` if
`deploy` dies (`PR_SET_PDEATHSIG`), and on Ctrl-C `deploy` passes SIGINT to each `terraform`
cdktf runs, which stops gracefully: it asks the providers to stop (the lborg provider ends a drain
wait early, with that message), records in its state what it finished, and cdktf prints all of it.
Before any `terraform` runs (cdktf synthesizing, or initialising) nothing has changed yet, and
cdktf is stopped with SIGTERM. A `terraform` that `deploy --reviewed` runs itself stays in the
terminal's process group and receives Ctrl-C directly, as when run by hand.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eas_lb.inputs.site import Deployment

_PR_SET_PDEATHSIG = 1


@dataclass
class Interrupted:
    """How many times Ctrl-C was pressed while a child ran (0: never)."""

    count: int = 0
    #: Presses already passed on.
    handled: int = 0
    #: The terraform processes that were sent SIGINT.
    forwarded_to: list[int] = field(default_factory=list)


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when `deploy` dies (even by SIGKILL), so that cdktf and
    its terraform never outlive it in their own session."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(child) for child in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    result, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            result.append(child)
            todo.append(child)
    return result


def _is_terraform(pid: int) -> bool:
    """A running terraform (a zombie is done: it has nothing left to stop)."""
    try:
        comm = Path(f"/proc/{pid}/comm").read_text().strip()
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return comm == "terraform" and state != "Z"


def terraforms_under(pid: int) -> list[int]:
    """The `terraform` processes among the descendants of `pid` (not the providers they run)."""
    return [child for child in _descendants(pid) if _is_terraform(child)]


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[Interrupted]:
    """While the block runs, Ctrl-C is counted instead of raising KeyboardInterrupt."""
    interrupted = Interrupted()

    def count(signum: int, frame: FrameType | None) -> None:
        interrupted.count += 1

    previous = signal.signal(signal.SIGINT, count)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)


def run_cdktf(
    command: Sequence[str],
    cwd: Path,
    env: dict[str, str],
    *,
    tick: Callable[[], None] | None = None,
    relay: Callable[[str], None] | None = None,
) -> tuple[int, Interrupted]:
    """Run the cdktf CLI in its own session; Ctrl-C goes to its terraform (or stops it before one
    runs). `tick` is called about five times a second while it runs (progress); with `relay`, its
    output (stdout and stderr) goes line by line to `relay` instead of straight to ours.
    (exit status, what Ctrl-C did)."""
    with deferred_interrupts() as interrupted:
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            stdout=subprocess.PIPE if relay else None,
            stderr=subprocess.STDOUT if relay else None,
            text=True,
            errors="replace",
        )
        reader = relay_lines(process.stdout, relay) if relay and process.stdout else None
        while True:
            try:
                status = process.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                pass
            if interrupted.count:
                _pass_on(process.pid, interrupted)
            if tick is not None:
                tick()
        if reader is not None:
            reader.join()
    if interrupted.count:
        quiet_dead_jsii_kernel()
    return status, interrupted


def relay_lines(stream: IO[str], relay: Callable[[str], None]) -> threading.Thread:
    """A thread that passes each line of `stream` to `relay` until it ends."""

    def run() -> None:
        for line in stream:
            relay(line)

    thread = threading.Thread(target=run, name="relay", daemon=True)
    thread.start()
    return thread


def _pass_on(cdktf: int, interrupted: Interrupted) -> None:
    """After Ctrl-C: SIGINT to each terraform cdktf runs (again to all on a new Ctrl-C, as a
    terminal would; once to any started since); with none yet, SIGTERM to cdktf's session."""
    live = terraforms_under(cdktf)
    pressed = interrupted.count > interrupted.handled
    targets = live if pressed else [pid for pid in live if pid not in interrupted.forwarded_to]
    for pid in targets:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGINT)
    interrupted.forwarded_to += [pid for pid in targets if pid not in interrupted.forwarded_to]
    if pressed and not interrupted.forwarded_to:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(cdktf, signal.SIGTERM)
    interrupted.handled = interrupted.count


def quiet_dead_jsii_kernel() -> None:
    """Ctrl-C also ended the jsii kernel (a node process) of this Python process; at exit jsii
    closes its pipe and Python would print that `BrokenPipeError`: drop that one, keep others."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, BrokenPipeError):
            return
        previous(unraisable)

    sys.unraisablehook = hook


def drains_in_progress(deployment: Deployment, stacks: Sequence[str]) -> list[str]:
    """`lb1: 'MGMT_IMAP-143/EAS_SSS-10.0.0.5' (250 s left)` for each appliance of the stacks where
    an interrupted apply left real servers draining (the provider's drain deadlines file)."""
    from eas_lb.synth.stacks.names import lb_stack_name
    from lborg_provider.tools.drains import pending_drains

    found = []
    for plan in deployment.pairs:
        if lb_stack_name(deployment.site, plan) not in stacks:
            continue
        for node in plan.pair.nodes:
            draining = pending_drains(node.endpoint)
            if draining:
                found.append(f"{node.name}: {draining}")
    return found


def interrupted_line(
    verb: str, deployment: Deployment, left: Sequence[str], *, started: bool, again: str
) -> str:
    """The one line after Ctrl-C: what was done, what is left, the command that finishes it."""
    if started:
        done = (
            "terraform stopped gracefully and recorded in the state what it had finished (its messages above)"
        )
    else:
        done = "stopped before terraform ran, nothing was changed"
    drains = drains_in_progress(deployment, left) if started else []
    drain = (
        f"; real servers are still draining ({'; '.join(drains)}): nothing was reloaded, the next {verb} "
        "waits what is left of the drain, then reloads"
        if drains
        else ""
    )
    return f"{verb}: interrupted (Ctrl-C): {done}{drain}; left: {', '.join(left)}; to finish: {again}"
