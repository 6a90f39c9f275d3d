"""`check` at any size: a 10,000-pool file and a corpus of fuzzed pools files, tables by hand vs rich.

    python bench/bench_check.py [--pools 10000] [--corpus 5201] [--runs 3]

Side by side in one run, with the same inputs: `check` with `lborg_support.tables.render_table`
(the table laid out by hand), the same `check` with rich drawing the table
(`tables._render_with_rich`, what `check` printed from December 2026 until issue 32), and with
`--baseline-tree DIR` the `check` of an older source tree (`git archive 8de31b6^ | tar -x -C DIR`:
the last commit before tables moved to rich).

1. `check POOLS` on a file of `--pools` pools (half management, half service, three servers each).
2. `check` over `--corpus` fuzzed pools files in one process (seeded: the same files every run):
   valid files of up to 60 rows, and files with a bad token, a stray character or a duplicated
   row, as the fuzz tests in tests/eas_lb/inputs make them.

Each variant runs in a fresh process; the runs alternate, so a busy moment costs every variant
alike. Printed: wall seconds of the whole process (Python's start and the imports included) and
CPU seconds of the checks themselves (the `check` command's own imports included), best of
`--runs`. The bench also stops if the two renderers print different text (stdout, stderr or exit
code) for any input: a faster table never means other messages. Nothing is sent over a network.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: Runs `check` over the files named on the command line in a fresh process, with the chosen
#: renderer in place of render_table; prints the CPU seconds the checks took and a digest of all
#: they printed (stdout, stderr, exit codes).
CHILD = """
import contextlib, hashlib, io, sys, time
from lborg_support import tables
if sys.argv[1] == "rich":
    tables.render_table = tables._render_with_rich
from eas_lb.cli import main
digest = hashlib.sha256()
started = time.process_time()
for path in sys.argv[2:]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", path])
    digest.update(f"{code}\\0{out.getvalue()}\\0{err.getvalue()}\\0".encode())
print(time.process_time() - started, digest.hexdigest())
"""
#: Variants timed side by side: (title, renderer, source tree).
Variant = tuple[str, str, Path]


def big_pools_file(pools: int) -> str:
    """N pools, the first half management, the rest service, three servers each (TEST-NET addresses)."""
    lines = ["POOL POOL IP PROTO PORT STICKY SERVER IPS", "# MANAGEMENT"]
    management = (pools + 1) // 2
    for index in range(pools):
        if index == management:
            lines.append("# SERVICE")
        vip = f"198.18.{index // 250}.{index % 250 + 1}"
        servers = " ".join(f"198.19.{index // 80}.{(index % 80) * 3 + n + 1}" for n in range(3))
        lines.append(f"P{index} {vip} tcp {1000 + index % 60000} {index % 4 * 600} {servers}")
    return "\n".join(lines) + "\n"


def fuzzed_pools_file(rng: random.Random) -> str:
    """A small pools file, valid or with one or more of the mistakes the fuzz tests make."""
    lines = ["# MANAGEMENT" if rng.random() < 0.6 else "# SERVICE"]
    for index in range(rng.randint(1, 60)):
        tokens = [f"P{index}", f"10.9.{index}.1", "tcp", str(1000 + index), str(rng.choice([0, 60, 2100]))]
        tokens += [f"10.8.{index}.{n}" for n in range(1, rng.randint(2, 5))]
        if rng.random() < 0.03:
            position = rng.randrange(len(tokens))
            tokens[position] = rng.choice(["a!b", "é", "10.0.0.256", "udp", "65536", "8" * 40, "1.2.3"])
        line = rng.choice([" ", "\t", "  "]).join(tokens)
        if rng.random() < 0.05:
            line += rng.choice(["# note", "\x00", "\ufeff", "\u2028"])
        lines.append(line)
        if rng.random() < 0.02:
            lines.append(line)  # a pool twice
        if index == 30 and rng.random() < 0.5:
            lines.append("# SERVICE")
    return rng.choice(["\n", "\r\n"]).join(lines) + "\n"


def run_variant(variant: Variant, paths: Sequence[Path]) -> tuple[float, float, str]:
    """Wall seconds of the whole process, CPU seconds of the checks, digest of what they printed."""
    _, renderer, tree = variant
    env = {**os.environ, "PYTHONPATH": str(tree)}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, renderer, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=tree,
        env=env,
        check=True,
    )
    wall = time.perf_counter() - started
    cpu, digest = done.stdout.split()
    return wall, float(cpu), digest


def side_by_side(
    variants: Sequence[Variant], paths: Sequence[Path], runs: int
) -> dict[str, tuple[float, float]]:
    """Best wall and CPU time per variant; runs alternate, so a busy moment costs every variant alike."""
    best: dict[str, tuple[float, float]] = {}
    digests: dict[str, str] = {}
    for _ in range(runs):
        for variant in variants:
            wall, cpu, digests[variant[0]] = run_variant(variant, paths)
            old_wall, old_cpu = best.get(variant[0], (float("inf"), float("inf")))
            best[variant[0]] = (min(old_wall, wall), min(old_cpu, cpu))
    if digests["by hand"] != digests["rich"]:
        raise SystemExit("check printed different text with the two renderers")
    return best


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pools", type=int, default=10_000)
    parser.add_argument("--corpus", type=int, default=5_201)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=32)
    parser.add_argument(
        "--baseline-tree",
        type=Path,
        help="also time the check of this source tree (git archive COMMIT | tar -x -C DIR)",
    )
    args = parser.parse_args(argv)
    variants: list[Variant] = [("by hand", "by hand", PROJECT_ROOT), ("rich", "rich", PROJECT_ROOT)]
    if args.baseline_tree is not None:
        variants.append(("baseline", "by hand", args.baseline_tree.resolve()))
    with tempfile.TemporaryDirectory(prefix="bench-check-") as folder:
        big = Path(folder, "pools-big.txt")
        big.write_text(big_pools_file(args.pools))
        rng = random.Random(args.seed)
        corpus = [Path(folder, f"fuzz-{n:05}.txt") for n in range(args.corpus)]
        for path in corpus:
            path.write_text(fuzzed_pools_file(rng), newline="")
        big_times = side_by_side(variants, [big], args.runs)
        corpus_times = side_by_side(variants, corpus, max(1, args.runs - 1))
    names = [variant[0] for variant in variants]
    print(f"check: wall s / CPU s of the checks (imports excluded); best of {args.runs} runs, alternating")
    print(f"{'':<36}" + "".join(f"{name:>20}" for name in names) + f"{'rich / by hand (CPU)':>22}")
    for title, times in (
        (f"{args.pools:,}-pool file", big_times),
        (f"{args.corpus:,} fuzzed files, one process", corpus_times),
    ):
        cells = "".join(f"{times[name][0]:9.2f} /{times[name][1]:7.2f}   " for name in names)
        ratio = times["rich"][1] / times["by hand"][1]
        print(f"{title:<36}{cells}{ratio:>20.1f}x")


if __name__ == "__main__":
    main()
