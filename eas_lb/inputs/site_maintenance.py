"""The site file's day-two sections: `drain:` (how long a leaving server drains) and `maintenance:`.

`drain:` sets how long a real server that leaves the configuration is drained (no new
connections, established ones kept) before it is deleted, for the whole site and per pool (by
VIP label, so `MGMT_HTTP-80` and `SERV_HTTP-80` can differ). `maintenance:` takes an EAS server
out of service by its address, on every VIP of every pair whose pools name it, both layers: an
upgrade is a site-file change that goes through plan review and a deploy, and back the same way.
The default drain time and the reasons for it are the guide layer's (`eas_lb.guide.mapping`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, IPvAnyAddress

from eas_lb.inputs.strict import StrictModel
from lborg_provider.model.server_states import MAX_DRAIN_SECONDS

# The longest drain a site may ask for is the provider's limit (one day): a drain holds the apply
# that removes a server, so a longer one is a typing mistake.

DrainSeconds = Annotated[int, Field(ge=0, le=MAX_DRAIN_SECONDS)]
#: The VIP label of a pool: `MGMT_<POOL>` or `SERV_<POOL>` (an adopted VIP's own label).
PoolLabel = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$", max_length=63)]
#: The states an EAS server can be put in; `online` is every server that is not listed.
MaintenanceState = Literal["drain", "halt"]


class Drain(StrictModel):
    """Drain before removal: how long a real server that leaves the configuration keeps its
    established connections (and gets no new ones) before it is deleted."""

    seconds: DrainSeconds | None = Field(
        default=None,
        description="drain time of every pool, in seconds (0: delete at once); default: 300, "
        "chosen for EAS traffic (see 'Drain and maintenance')",
    )
    pools: dict[PoolLabel, DrainSeconds] = Field(
        default_factory=dict,
        description="drain time per pool, by VIP label (MGMT_HTTPS-443, SERV_IMAP-143), in seconds",
    )


class MaintenanceEntry(StrictModel):
    """One EAS server out of service: drained or halted on every VIP that uses it."""

    server: IPvAnyAddress = Field(description="the EAS server's address, as pools.txt names it")
    state: MaintenanceState = Field(
        default="drain",
        description="drain: no new connections, established (and persistent) ones kept; "
        "halt: taken out at once (Layer 4 drops its established connections)",
    )
    note: str | None = Field(default=None, description="why (shown by the servers command), optional")
