"""The lab's background processes, stopped by a command other than the one that started them (as
verify's fail-over hooks do): a stopped process is gone at once, though it stays a zombie of the
process that started it until that process collects it."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from eas_lb.operations.demo import processes
from tests.support.paths import REPO_ROOT


def _in_another_process(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_a_process_stopped_by_another_command_is_gone_at_once_and_not_running(tmp_path: Path) -> None:
    pid = processes.start_detached("sleeper", ["sleep", "300"], tmp_path, {"PATH": "/usr/bin:/bin"})
    started = time.monotonic()
    said = _in_another_process(
        "from pathlib import Path; from eas_lb.operations.demo import processes as p; "
        f"d = Path({str(tmp_path)!r}); print(p.stop(d, 'sleeper'), p.is_running(d, 'sleeper'))"
    )
    took = time.monotonic() - started
    assert said == "True False"
    assert took < 10, f"the stop waited {took:.1f} s for a process that had exited"
    # It exited: a zombie of this process, which collects it now.
    assert Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] == "Z"
    processes._reap(pid)


def test_a_process_group_with_a_live_member_is_still_running(tmp_path: Path) -> None:
    """The group leader exited but a child it started (an appliance's HAProxy) still runs: the
    stop waits for it, then kills the group."""
    script = "sleep 300 & trap '' TERM; exit 0"
    pid = processes.start_detached("leader", ["sh", "-c", script], tmp_path, {"PATH": "/usr/bin:/bin"})
    time.sleep(0.3)
    assert processes._alive(pid, whole_group=True)
    assert processes.stop(tmp_path, "leader", timeout=1.0)
    time.sleep(0.2)
    assert not processes._alive(pid, whole_group=True)
