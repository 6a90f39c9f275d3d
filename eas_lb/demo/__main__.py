"""`python -m eas_lb.demo`, the old form of `eas-lb demo` and `eas-lb lab`: kept for one release.

It runs the same command, after one line naming the new one.
"""

from __future__ import annotations

import sys

from eas_lb import SetupError


def run() -> int:
    """The demo's command; a setting this installation cannot honour (EAS_LB_FRAMEWORK) is one line."""
    print(
        "python -m eas_lb.demo is deprecated and goes in the next release: "
        "use `eas-lb demo run|verify|down` or `eas-lb lab up|down`",
        file=sys.stderr,
    )
    try:
        from eas_lb.operations.demo.__main__ import main
    except SetupError as error:
        print(f"python -m eas_lb.demo: {error}", file=sys.stderr)
        return 2
    return main()


if __name__ == "__main__":
    raise SystemExit(run())
