"""Every stack of a site: per pair, the VM stack (with a hypervisor section) and the lb stack."""

from __future__ import annotations

from eas_lb.guide.adoption import load_record
from eas_lb.guide.capacity import pair_subscribers, site_capacity
from eas_lb.inputs.site import Deployment
from eas_lb.synth.framework import CLI, VSPHERE_STACKS, Annotations, App, TerraformStack
from eas_lb.synth.stacks.lb import Scenario1Stack, Scenario2Stack
from eas_lb.synth.stacks.names import lb_stack_name, vm_stack_name


def build_stacks(app: App, deployment: Deployment) -> list[TerraformStack]:
    """Add the site's stacks to `app`; the lb stack depends on the VM stack when there is one.

    On a framework without vSphere bindings (cdktn, see `framework.VSPHERE_STACKS`) the VM stacks
    are left out with a warning on each lb stack: the appliances must exist already.
    """
    site = deployment.site
    record = load_record(deployment.source)  # written by `adopt` for a pair configured by hand
    capacities = site_capacity(deployment)  # refuses a pair above the guide's sizing, with the fixes
    stacks: list[TerraformStack] = []
    for plan in deployment.pairs:
        vms = None
        if site.hypervisor is not None and VSPHERE_STACKS:
            from eas_lb.synth.stacks.vms import VmStack  # the vSphere bindings: only for a site with VMs

            vms = VmStack(
                app,
                vm_stack_name(site, plan),
                site=site,
                plan=plan,
                hypervisor=site.hypervisor,
                subscribers=pair_subscribers(deployment, plan),
            )
            stacks.append(vms)
        kind = Scenario1Stack if plan.scenario == 1 else Scenario2Stack
        adoption = record.pairs.get(plan.pair.name) if record is not None else None
        lb = kind(
            app,
            lb_stack_name(site, plan),
            site=site,
            plan=plan,
            adoption=adoption,
            capacity=capacities[plan.pair.name],
        )
        if vms is not None:
            lb.add_dependency(vms)
        elif site.hypervisor is not None:
            Annotations.of(lb).add_warning(
                f"hypervisor: the VM stack {vm_stack_name(site, plan)} is not synthesized on {CLI}, which has"
                " no vSphere bindings; create the appliances' VMs with cdktf (README: CDKTF and its"
                " community fork)"
            )
        stacks.append(lb)
    return stacks
