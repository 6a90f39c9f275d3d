"""`python -m eas_lb COMMAND ...`: see `eas_lb.cli`."""

from __future__ import annotations

from eas_lb.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
