"""`python -m eas_lb.plan_review`: runs `eas_lb.operations.plan_review`'s command, as documented."""

from __future__ import annotations

from eas_lb.operations.plan_review.__main__ import main

if __name__ == "__main__":
    raise SystemExit(main())
