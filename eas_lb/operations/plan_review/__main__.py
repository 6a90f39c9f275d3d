"""``eas-lb plan-review``: the plan-review command without the eas_lb dispatcher."""

from __future__ import annotations

import argparse

from eas_lb.operations.plan_review.command import add_arguments, run


def main() -> int:
    """Parse the command line and run the review."""
    parser = argparse.ArgumentParser(prog="eas-lb plan-review")
    add_arguments(parser)
    return run(parser.parse_args())


if __name__ == "__main__":
    raise SystemExit(main())
