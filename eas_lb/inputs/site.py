"""The site file, as one import: models, reading and the checks across site and pools files.

The work is split by job: `site_models` (the pydantic models), `site_reading` (YAML to a
validated `Site`, every error with its line and column), `site_checks` (`load_deployment`: the
checks that need the pools file as well). This module re-exports their public names because the
layers above and site repositories' scripts import them from here.
"""

from __future__ import annotations

from eas_lb.inputs.site_checks import ca_file_fault, load_deployment
from eas_lb.inputs.site_models import (
    MAX_DISK_GB,
    MAX_MEMORY_MB,
    MAX_VCPUS,
    Backend,
    Credentials,
    Deployment,
    EnvName,
    Hypervisor,
    HypervisorNetworks,
    Name,
    Node,
    Pair,
    PairPlan,
    Serves,
    Site,
    SiteFileError,
    StaticRoute,
    VmSizeOverride,
)
from eas_lb.inputs.site_reading import load_site, load_site_with_positions, unknown_key_message

__all__ = [
    "MAX_DISK_GB",
    "MAX_MEMORY_MB",
    "MAX_VCPUS",
    "Backend",
    "Credentials",
    "Deployment",
    "EnvName",
    "Hypervisor",
    "HypervisorNetworks",
    "Name",
    "Node",
    "Pair",
    "PairPlan",
    "Serves",
    "Site",
    "SiteFileError",
    "StaticRoute",
    "VmSizeOverride",
    "ca_file_fault",
    "load_deployment",
    "load_site",
    "load_site_with_positions",
    "unknown_key_message",
]
