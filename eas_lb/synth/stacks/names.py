"""The names of a pair's stacks, apart from the stacks themselves.

The commands that only need a stack's name (its folder under `cdktf.out/stacks`, its state) import
it from here: the stack modules load cdktf, the lborg bindings and, for the VM stack, the vSphere
bindings, which costs a command about a second.
"""

from __future__ import annotations

from eas_lb.inputs.site import PairPlan, Site


def lb_stack_name(site: Site, plan: PairPlan) -> str:
    """The stack of the pair's load-balancer configuration (scenario 1 or 2)."""
    return f"{site.name}-{plan.pair.name}-lb"


def vm_stack_name(site: Site, plan: PairPlan) -> str:
    """The stack of the pair's appliance VMs (a site with a hypervisor section)."""
    return f"{site.name}-{plan.pair.name}-vms"
