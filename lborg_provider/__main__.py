"""`python -m lborg_provider`: the old form of `eas-lb provider install|lock|docs` and `eas-lb doctor`.

Kept for one release, with one line naming the new command; `serve` (what Terraform starts through
the mirror's wrapper) stays here and prints nothing.
"""

import sys

from lborg_provider.tools.cli import main

_NEW = {"install": "eas-lb provider install", "lock": "eas-lb provider lock", "docs": "eas-lb provider docs"}
_NEW["doctor"] = "eas-lb doctor"
if len(sys.argv) > 1 and sys.argv[1] in _NEW:
    print(
        f"python -m lborg_provider {sys.argv[1]} is deprecated and goes in the next release: "
        f"use `{_NEW[sys.argv[1]]}`",
        file=sys.stderr,
    )
sys.exit(main())
