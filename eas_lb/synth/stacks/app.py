"""Every stack of a site: per pair, the VM stack (with a hypervisor section) and the lb stack."""

from __future__ import annotations

from cdktf import App, TerraformStack

from eas_lb.guide.adoption import load_record
from eas_lb.inputs.site import Deployment
from eas_lb.synth.stacks.lb import Scenario1Stack, Scenario2Stack, lb_stack_name
from eas_lb.synth.stacks.vms import VmStack, vm_stack_name


def build_stacks(app: App, deployment: Deployment) -> list[TerraformStack]:
    """Add the site's stacks to `app`; the lb stack depends on the VM stack when there is one."""
    site = deployment.site
    record = load_record(deployment.source)  # written by `adopt` for a pair configured by hand
    stacks: list[TerraformStack] = []
    for plan in deployment.pairs:
        vms = None
        if site.hypervisor is not None:
            vms = VmStack(app, vm_stack_name(site, plan), site=site, plan=plan, hypervisor=site.hypervisor)
            stacks.append(vms)
        kind = Scenario1Stack if plan.scenario == 1 else Scenario2Stack
        adoption = record.pairs.get(plan.pair.name) if record is not None else None
        lb = kind(app, lb_stack_name(site, plan), site=site, plan=plan, adoption=adoption)
        if vms is not None:
            lb.add_dependency(vms)
        stacks.append(lb)
    return stacks
