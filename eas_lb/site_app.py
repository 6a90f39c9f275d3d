"""Deprecated path of `eas_lb.synth.site_app`, kept for site repositories' `main.py`."""

from __future__ import annotations

from eas_lb._moved import warn_moved
from eas_lb.synth.site_app import run_site_app

warn_moved("eas_lb.site_app", "eas_lb.synth.site_app")

__all__ = ["run_site_app"]
