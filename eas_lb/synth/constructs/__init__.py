"""Typed constructs that expand EAS pools into `lborg_*` and `vsphere_*` resources.

Lives inside `eas_lb` (not a top-level `constructs` package) because that name would shadow the
`constructs` library cdktf itself imports.
"""

from eas_lb.synth.constructs.appliance import Appliance, GlobalsCheck
from eas_lb.synth.constructs.ha_pair import HaPair
from eas_lb.synth.constructs.pools import EasManagementPool, EasServicePool

__all__ = ["Appliance", "EasManagementPool", "EasServicePool", "GlobalsCheck", "HaPair"]
