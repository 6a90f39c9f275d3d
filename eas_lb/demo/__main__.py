"""`python -m eas_lb.demo`: runs `eas_lb.operations.demo`'s command, as documented (and by `make demo`)."""

from __future__ import annotations

from eas_lb.operations.demo.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
