"""The words of the commit resource's `unmanaged` attribute that tools outside the provider read.

`lborg_commit.unmanaged` lists what changed on the appliance outside Terraform. eas_lb's drift
reads those entries to say which reload makes a hand edit live, so their shape is part of the
provider's public surface, declared here beside the field tables rather than in the runtime.
"""

from __future__ import annotations

import re

#: The services a commit reloads, in reload order (each is the `list dumpconfig` section of its name).
SERVICES = ("haproxy", "ldirectord", "heartbeat")

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


def services_of(entry: str) -> frozenset[str]:
    """The services whose reload makes one entry live: the one it names (an unset attribute
    edited by hand, a service's configuration edited outside Terraform), heartbeat for a floating
    IP, either layer for a VIP or real server (the entry does not say which). A warning about an
    entry belongs only in a plan that reloads one of these."""
    found = UNSET_EDIT_ENDING.search(entry)
    if found:
        return frozenset({found.group(1)})
    first = entry.split(" ", 1)[0]
    if first in SERVICES:
        return frozenset({first})
    if entry.startswith("floating IP"):
        return frozenset({"heartbeat"})
    return frozenset({"haproxy", "ldirectord"})
