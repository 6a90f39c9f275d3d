"""`python -m eas_lb.demo`: runs `eas_lb.operations.demo`'s command, as documented (and by `make demo`)."""

from __future__ import annotations

import sys

from eas_lb import SetupError


def run() -> int:
    """The demo's command; a setting this installation cannot honour (EAS_LB_FRAMEWORK) is one line."""
    try:
        from eas_lb.operations.demo.__main__ import main
    except SetupError as error:
        print(f"python -m eas_lb.demo: {error}", file=sys.stderr)
        return 2
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
