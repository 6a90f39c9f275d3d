"""Deprecation notices for modules that moved into the layered packages.

Site repositories written by earlier versions import the old paths (`eas_lb.site_app`,
`eas_lb.site`, `eas_lb.constructs`); those keep working, and say where the code lives now so
the import can be updated before the alias is removed.
"""

from __future__ import annotations

import warnings


def warn_moved(old: str, new: str) -> None:
    """Warn, on behalf of the module that imported `old`, that it now lives at `new`."""
    warnings.warn(
        f"`{old}` moved to `{new}`; import it from there (the old path will be removed)",
        DeprecationWarning,
        stacklevel=3,
    )
