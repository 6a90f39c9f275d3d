"""The words of the commit resource's `unmanaged` attribute that tools outside the provider read.

`lborg_commit.unmanaged` lists what changed on the appliance outside Terraform. eas_lb's drift
reads those entries to say which reload makes a hand edit live, so their shape is part of the
provider's public surface, declared here beside the field tables rather than in the runtime.
"""

from __future__ import annotations

import re

#: An `unset_edit` entry ends so, with the service whose reload makes it live.
UNSET_EDIT_ENDING = re.compile(
    r" edited outside Terraform; the configuration leaves it unset, so the (\w+) reload makes it live$"
)


def unset_edit(described: str, service: str, attribute: str, before: str, after: str) -> str:
    """The entry of an attribute edited by hand that the configuration leaves unset."""
    return (
        f"{described}: {attribute} {before} → {after} edited outside Terraform; the configuration "
        f"leaves it unset, so the {service} reload makes it live"
    )
