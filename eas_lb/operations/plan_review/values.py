"""How single values read in the review: one place, so every sentence formats them alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from eas_lb.operations.plan_review.changes import Hidden


def show(value: Any) -> str:
    """A value as a reviewer reads it: no quotes, whole numbers without ``.0``, masks as words."""
    if isinstance(value, Hidden):
        return str(value)
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value if value else '""'
    if isinstance(value, list):
        return ", ".join(show(item) for item in value) if value else "(none)"
    if isinstance(value, dict):
        return json.dumps(_plain(value), sort_keys=True, separators=(", ", ": "))
    return str(value)


def _plain(value: Any) -> Any:
    """Replace masks by their words so a nested value can be printed as JSON."""
    if isinstance(value, Hidden):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def on_off(value: Any) -> str:
    """Layer 4 ``persistent`` and similar switches, in the appliance's words."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return show(value)


def with_unit(value: Any, unit: str) -> str:
    """A number with its unit; masks and unset values stay words."""
    if isinstance(value, Hidden) or value is None:
        return show(value)
    return f"{show(value)} {unit}"


def milliseconds(value: Any) -> str:
    """Appliance time-outs are milliseconds unless they carry a unit (``900000``, ``12h``)."""
    text = show(value)
    return f"{text} ms" if text.isdigit() else text


def arrow(before: Any, after: Any, formatter: Callable[[Any], str] = show) -> str:
    """``before → after``; a unit both sides share is written once (``35 → 40 min``)."""
    left, right = formatter(before), formatter(after)
    for unit in _UNITS:
        if left.endswith(unit) and right.endswith(unit):
            return f"{left.removesuffix(unit)} → {right}"
    return f"{left} → {right}"


_UNITS = (" min", " ms", " s", " MB")
