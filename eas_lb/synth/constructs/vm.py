"""`ApplianceVm`: one appliance VM on vSphere from the vendor's OVA, sized per the guide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cdktf_cdktf_provider_vsphere.virtual_machine import (
    VirtualMachine,
    VirtualMachineDisk,
    VirtualMachineNetworkInterface,
    VirtualMachineOvfDeploy,
)
from constructs import Construct

from eas_lb.guide.sizing import VmSize


@dataclass(frozen=True)
class VsphereTarget:
    """Where a VM goes: ids from the vSphere data sources of the stack."""

    datacenter_id: str
    resource_pool_id: str
    datastore_id: str
    host_system_id: str
    folder: str | None = None


class ApplianceVm(Construct):
    """A Loadbalancer.org virtual appliance deployed from its OVA.

    Props:
        name: the VM name.
        size: vCPU, memory and disk (`eas_lb.guide.sizing.vm_size`: 8 vCPU, 16 GB, disk ≥ 8 GB and never
            below the image's own 20 GB).
        target: datacenter, resource pool, datastore and host ids.
        network_ids: one per NIC in order (eth0 management, eth1 service, eth2 external).
        ova: a local path or an http(s) URL.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name: str,
        size: VmSize,
        target: VsphereTarget,
        network_ids: Sequence[str],
        ova: str,
        ova_is_url: bool,
    ) -> None:
        super().__init__(scope, id)
        if not network_ids:
            raise ValueError(f"ApplianceVm {name}: at least the management network (eth0) is needed")
        self.size = size
        ovf = (
            VirtualMachineOvfDeploy(remote_ovf_url=ova, disk_provisioning="thin")
            if ova_is_url
            else VirtualMachineOvfDeploy(local_ovf_path=ova, disk_provisioning="thin")
        )
        self.vm = VirtualMachine(
            self,
            "vm",
            name=name,
            datacenter_id=target.datacenter_id,
            resource_pool_id=target.resource_pool_id,
            datastore_id=target.datastore_id,
            host_system_id=target.host_system_id,
            folder=target.folder,
            num_cpus=size.vcpus,
            memory=size.memory_mb,
            disk=[VirtualMachineDisk(label="disk0", size=size.disk_gb, thin_provisioned=True)],
            network_interface=[VirtualMachineNetworkInterface(network_id=net) for net in network_ids],
            ovf_deploy=ovf,
            wait_for_guest_net_timeout=0,
        )
