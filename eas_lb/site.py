"""Deprecated path of `eas_lb.inputs.site`, kept for site repositories' workflows (`load_site`)."""

from __future__ import annotations

from eas_lb._moved import warn_moved
from eas_lb.inputs import site as _site

warn_moved("eas_lb.site", "eas_lb.inputs.site")


def __getattr__(name: str) -> object:
    """Every public name of the new module, so any old `from eas_lb.site import X` still resolves."""
    return getattr(_site, name)
