"""Subscribers → appliance VM size, per the deployment guide.

The guide sizes one case ("Sizing, Capacity, and Performance"): up to 250,000 subscribers, at
least 8 vCPUs, 16 GB of RAM and 8 GB of disk, for 380,000 concurrent connections. The disk can
never be smaller than the image's own (20 GB for the standard virtual appliance), because a VM
cloned from an OVA cannot shrink its disk. Larger deployments are not covered by the guide, so
they are refused unless the site gives explicit sizes (or spreads over more pairs: see
`eas_lb.guide.capacity`, which gives each pair its share of the site's subscribers).
"""

from __future__ import annotations

from dataclasses import dataclass

#: The largest deployment the guide sizes, per appliance.
GUIDE_MAX_SUBSCRIBERS = 250_000
#: The concurrent connections the guide's appliance supports for GUIDE_MAX_SUBSCRIBERS.
GUIDE_CONCURRENT_CONNECTIONS = 380_000
GUIDE_VCPUS = 8
GUIDE_MEMORY_MB = 16 * 1024
# Layout alike planner.py, saved_plans.py, haproxy_process.py (constants, error, dataclass); unrelated.
GUIDE_DISK_GB = 8
#: The standard virtual appliance's own disk.
STANDARD_IMAGE_DISK_GB = 20


class SizingError(ValueError):
    """No size can be derived for the subscriber count."""


@dataclass(frozen=True)
class VmSize:
    vcpus: int
    memory_mb: int
    disk_gb: int


def vm_size(
    subscribers: int,
    *,
    image_disk_gb: int = STANDARD_IMAGE_DISK_GB,
    explicit: VmSize | None = None,
) -> VmSize:
    """The VM size for `subscribers`; `explicit` wins (its disk still never below the image's)."""
    if subscribers < 1:
        raise SizingError(f"subscribers must be at least 1, got {subscribers}")
    if explicit is not None:
        return VmSize(explicit.vcpus, explicit.memory_mb, max(explicit.disk_gb, image_disk_gb))
    if subscribers > GUIDE_MAX_SUBSCRIBERS:
        raise SizingError(
            f"{subscribers:,} subscribers is above the {GUIDE_MAX_SUBSCRIBERS:,} the deployment guide sizes "
            "(8 vCPU, 16 GB RAM) for one appliance; spread the site over more pairs, or ask Metaswitch "
            "for the sizing of larger deployments and set hypervisor.vm_size (vcpus, memory_mb, disk_gb) "
            "in the site file"
        )
    return VmSize(GUIDE_VCPUS, GUIDE_MEMORY_MB, max(GUIDE_DISK_GB, image_disk_gb))
