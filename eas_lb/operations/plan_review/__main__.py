"""`python -m eas_lb.operations.plan_review`: `eas-lb plan-review` without the other commands."""

from __future__ import annotations

from collections.abc import Sequence

from eas_lb.operations.plan_review.cli import command
from lborg_support.command_line import run_program


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the review; the exit code (docs/command-line.md)."""
    return run_program(command, argv, "eas-lb plan-review")


if __name__ == "__main__":
    raise SystemExit(main())
