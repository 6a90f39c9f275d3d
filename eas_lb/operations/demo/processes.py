"""Background processes the demo leaves running, tracked by pid files so `demo-down` can stop them."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from lborg_support.waiting import wait_until


def start_detached(
    name: str, argv: Sequence[str], run_dir: Path, env: Mapping[str, str], ready_line: str | None = None
) -> int:
    """Start ``argv`` in its own session, log to ``run_dir/<name>.log``, remember its pid.

    With ``ready_line``, wait until the log shows it (the simulator prints one line when it
    serves), so the next step never races a process that is still starting.
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    log_path = run_dir / f"{name}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=dict(env),
            start_new_session=True,
        )
    (run_dir / f"{name}.pid").write_text(str(proc.pid))
    if ready_line is not None:
        _wait_for_line(proc, log_path, ready_line, name)
    return proc.pid


def _wait_for_line(proc: subprocess.Popen[bytes], log_path: Path, needle: str, name: str) -> None:
    def ready_or_exited() -> bool:
        return needle in log_path.read_text(errors="replace") or proc.poll() is not None

    if wait_until(ready_or_exited, 60) is not None:
        if needle in log_path.read_text(errors="replace"):
            return
        tail = log_path.read_text(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{name} exited with code {proc.returncode}: " + " | ".join(tail))
    raise RuntimeError(f"{name} did not report ready within 60 s; see {log_path}")


def is_running(run_dir: Path, name: str) -> bool:
    pid = _read_pid(run_dir, name)
    return pid is not None and _alive(pid)


def stop(run_dir: Path, name: str, timeout: float = 20.0) -> bool:
    """SIGTERM the process group, wait, SIGKILL what is left. True when something was stopped."""
    pid = _read_pid(run_dir, name)
    if pid is None:
        return False
    pid_file = run_dir / f"{name}.pid"
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        return False

    def gone() -> bool:
        _reap(pid)
        return not _alive(pid, whole_group=True)

    if wait_until(gone, timeout) is None:
        os.killpg(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return True


def tracked(run_dir: Path) -> list[str]:
    return sorted(p.stem for p in run_dir.glob("*.pid"))


def _alive(pid: int, whole_group: bool = False) -> bool:
    """Whether `pid` (or any process of its group) still runs.

    A process that has exited stays in the process table as a zombie until its parent collects it,
    and signal 0 still reaches a zombie. The lab's processes are started by one command (`lab up`,
    `demo run`, a test) and stopped by another (`demo appliance stop`, called by verify's hooks):
    while the starting process lives, a stopped appliance is its unreaped zombie, which looked
    alive until the stop's 20-second timeout. On Linux `/proc` tells a zombie (state `Z`) apart;
    elsewhere signal 0 is all there is."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            (os.killpg if whole_group else os.kill)(pid, 0)
        except ProcessLookupError:
            return False
        return True
    if not whole_group:
        return _state_and_group(proc / str(pid) / "stat")[0] not in ("", "Z")
    return any(
        state not in ("", "Z") and group == pid
        for state, group in map(_state_and_group, proc.glob("[0-9]*/stat"))
    )


def _state_and_group(stat: Path) -> tuple[str, int]:
    """A process's state letter and process group from `/proc/<pid>/stat` ("" when it is gone)."""
    try:
        fields = stat.read_text().rpartition(")")[2].split()  # after the command, which may hold spaces
        return fields[0], int(fields[2])
    except (OSError, IndexError, ValueError):
        return "", 0


def _reap(pid: int) -> None:
    """Collect our own child's exit status, so a zombie does not look alive."""
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def _read_pid(run_dir: Path, name: str) -> int | None:
    try:
        return int((run_dir / f"{name}.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
