"""`eas-lb ... --help` benchmark: every command's help must answer in under 0.3 s.

Run: `python bench/bench_help.py [ROUNDS]`. Starts `eas-lb --help` and `eas-lb COMMAND --help` for
every command (a new Python process each, as a user's shell does), keeps the best of ROUNDS
(default 5) wall-clock and CPU (user + system) times, and prints them beside the 0.3 s goal as a
ratio (under 1.0x meets it). On a busy machine wall-clock time includes waiting for a core; the
CPU column is the work the command itself does. Nothing is asserted.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from eas_lb.cli import command_paths

GOAL = 0.3
SCRIPT = Path(sys.executable).parent / "eas-lb"


def _timed(argv: list[str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([str(SCRIPT), *argv], capture_output=True, check=True, env=dict(os.environ))
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    helps = [[], *command_paths()]
    print(f"{'command':<34} {'wall':>8} {'cpu':>8} {'cpu / 0.3 s goal':>17}")
    for argv in helps:
        times = [_timed([*argv, "--help"]) for _ in range(rounds)]
        wall = min(t[0] for t in times)
        cpu = min(t[1] for t in times)
        name = " ".join(["eas-lb", *argv, "--help"])
        print(f"{name:<34} {wall * 1000:6.0f}ms {cpu * 1000:6.0f}ms {cpu / GOAL:16.2f}x")


if __name__ == "__main__":
    main()
