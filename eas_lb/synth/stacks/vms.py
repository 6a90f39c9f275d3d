"""The VM stack of an HA pair: the appliance VMs on vSphere, sized from the subscriber count."""

from __future__ import annotations

from cdktf_cdktf_provider_vsphere.data_vsphere_compute_cluster import DataVsphereComputeCluster
from cdktf_cdktf_provider_vsphere.data_vsphere_datacenter import DataVsphereDatacenter
from cdktf_cdktf_provider_vsphere.data_vsphere_datastore import DataVsphereDatastore
from cdktf_cdktf_provider_vsphere.data_vsphere_host import DataVsphereHost
from cdktf_cdktf_provider_vsphere.data_vsphere_network import DataVsphereNetwork
from cdktf_cdktf_provider_vsphere.provider import VsphereProvider
from constructs import Construct

from eas_lb.guide.sizing import VmSize, vm_size
from eas_lb.inputs.pools import Section
from eas_lb.inputs.site import Hypervisor, PairPlan, Site
from eas_lb.synth.constructs.vm import ApplianceVm, VsphereTarget
from eas_lb.synth.framework import TerraformStack, TerraformVariable
from eas_lb.synth.stacks.backend import configure_backend


class VmStack(TerraformStack):
    """Two appliance VMs (one without a secondary): 8 vCPU, 16 GB RAM, disk ≥ 8 GB and never
    below the image's own, NICs on the management, service and external networks. A pair that
    serves `# MANAGEMENT` only gets the management NIC alone: the service and external networks
    are the `# SERVICE` pair's.

    vSphere credentials are Terraform variables `vsphere_user` and `vsphere_password` (sensitive),
    set through `TF_VAR_vsphere_user` / `TF_VAR_vsphere_password`: the prebuilt provider bindings
    require both arguments, and a variable keeps their values out of `cdk.tf.json`."""

    # Alike in shape to lb.py's _LoadBalancerStack.__init__ (scope, id, site, plan): another stack's props.
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        site: Site,
        plan: PairPlan,
        hypervisor: Hypervisor,
        subscribers: int | None = None,
    ) -> None:
        """`subscribers`: the pair's share of the site's (`eas_lb.guide.capacity`); default: all."""
        super().__init__(scope, id)
        configure_backend(self, site.backend)
        explicit = hypervisor.vm_size
        self.size = vm_size(
            site.subscribers if subscribers is None else subscribers,
            image_disk_gb=hypervisor.image_disk_gb,
            explicit=VmSize(explicit.vcpus, explicit.memory_mb, explicit.disk_gb) if explicit else None,
        )
        self._vsphere_provider(hypervisor)
        datacenter = DataVsphereDatacenter(self, "datacenter", name=hypervisor.datacenter)
        target = self._target(hypervisor, datacenter)
        network_ids = [
            DataVsphereNetwork(self, f"network-{role}", name=name, datacenter_id=datacenter.id).id
            for role, name in _networks(id, hypervisor, plan)
        ]
        self.vms = [
            ApplianceVm(
                self,
                node.name,
                name=f"{site.name}-{plan.pair.name}-{node.name}",
                size=self.size,
                target=target,
                network_ids=network_ids,
                ova=hypervisor.ova,
                ova_is_url=hypervisor.ova_is_url,
            )
            for node in plan.pair.nodes
        ]

    def _vsphere_provider(self, hypervisor: Hypervisor) -> None:
        """vCenter credentials are variables (sensitive), never values in the synthesized JSON."""
        user = TerraformVariable(
            self, "vsphere_user", type="string", description="vCenter user (env TF_VAR_vsphere_user)"
        )
        password = TerraformVariable(
            self,
            "vsphere_password",
            type="string",
            sensitive=True,
            description="vCenter password (env TF_VAR_vsphere_password)",
        )
        VsphereProvider(
            self,
            "vsphere",
            user=user.string_value,
            password=password.string_value,
            vsphere_server=hypervisor.server,
            allow_unverified_ssl=True if hypervisor.allow_unverified_ssl else None,
        )

    def _target(self, hypervisor: Hypervisor, datacenter: DataVsphereDatacenter) -> VsphereTarget:
        """Where the VMs go: the cluster's resource pool, the datastore and the host, looked up by name."""
        cluster = DataVsphereComputeCluster(
            self, "cluster", name=hypervisor.cluster, datacenter_id=datacenter.id
        )
        datastore = DataVsphereDatastore(
            self, "datastore", name=hypervisor.datastore, datacenter_id=datacenter.id
        )
        host = DataVsphereHost(self, "host", name=hypervisor.host, datacenter_id=datacenter.id)
        return VsphereTarget(
            datacenter_id=datacenter.id,
            resource_pool_id=cluster.resource_pool_id,
            datastore_id=datastore.id,
            host_system_id=host.id,
            folder=hypervisor.folder,
        )


def _networks(stack_id: str, hypervisor: Hypervisor, plan: PairPlan) -> list[tuple[str, str]]:
    """The port groups of the NICs, in NIC order: management (eth0), service (eth1, scenario 1),
    external (when the pair serves the service section and the site names one)."""
    wanted = [("management", hypervisor.networks.management)]
    if plan.scenario == 1:
        if hypervisor.networks.service is None:
            raise ValueError(f"{stack_id}: scenario 1 needs hypervisor.networks.service for eth1")
        wanted.append(("service", hypervisor.networks.service))
    if hypervisor.networks.external is not None and Section.SERVICE in plan.pair.sections:
        wanted.append(("external", hypervisor.networks.external))
    return wanted
