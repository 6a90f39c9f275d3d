"""Stacks per HA pair: `<site>-<pair>-vms` (appliance VMs) and `<site>-<pair>-lb` (scenario 1 or 2)."""

from eas_lb.synth.stacks.app import build_stacks
from eas_lb.synth.stacks.lb import Scenario1Stack, Scenario2Stack
from eas_lb.synth.stacks.vms import VmStack

__all__ = ["Scenario1Stack", "Scenario2Stack", "VmStack", "build_stacks"]
