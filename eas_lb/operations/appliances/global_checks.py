"""The guide's global check timings against what an appliance's `list advanced` holds.

Verify reports them and drift lists them; both read them here, from the guide's one table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eas_lb.guide.mapping import GLOBAL_CHECKS_L4, GLOBAL_CHECKS_L7
from lborg_provider.model.normalize import number


@dataclass(frozen=True)
class GlobalOffGuide:
    """A global check setting whose value on the appliance is not the guide's."""

    layer: str  # "Layer 7" or "Layer 4", as the WebUI names its Advanced Configuration pages
    key: str
    want: int
    #: As the appliance has it (None: unset).
    value: Any


def globals_off_guide(
    l7: dict[str, Any], l4: dict[str, Any], *, layer7: bool, layer4: bool
) -> list[GlobalOffGuide]:
    """The guide's global check timings that an appliance's `list advanced` does not have, for the
    layers it serves (a pair serving `# SERVICE` only has no Layer 7 VIP): verify and drift."""
    wanted = ([("Layer 7", l7, GLOBAL_CHECKS_L7)] if layer7 else []) + (
        [("Layer 4", l4, GLOBAL_CHECKS_L4)] if layer4 else []
    )
    return [
        GlobalOffGuide(name, key, want, values.get(key))
        for name, values, table in wanted
        for key, want in table.items()
        if number(values.get(key)) != want
    ]
