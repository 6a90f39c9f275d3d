"""Deprecated path of `eas_lb.synth.constructs`: the construct classes keep their names there."""

from __future__ import annotations

from eas_lb._moved import warn_moved
from eas_lb.synth.constructs import (
    Appliance,
    ApplianceVm,
    EasManagementPool,
    EasServicePool,
    GlobalsCheck,
    HaPair,
)

warn_moved("eas_lb.constructs", "eas_lb.synth.constructs")

__all__ = ["Appliance", "ApplianceVm", "EasManagementPool", "EasServicePool", "GlobalsCheck", "HaPair"]
