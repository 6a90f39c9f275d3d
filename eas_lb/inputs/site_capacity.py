"""The site file's `capacity:` section: explicit Layer 7 connection limits, for the site and per pool.

Without it each Layer 7 VIP's `maxconn` and source-IP persistence table size follow the site's
`subscribers` by the guide layer's rule (`eas_lb.guide.mapping.layer7_capacity`, with its reasons).
The section is for sites the rule does not fit: a pair whose share of subscribers is above what
the deployment guide sizes one appliance for (250,000), or figures Metaswitch gave for the site.
Per pool values are keyed by VIP label, as `drain.pools` is. Layer 4 VIPs have neither limit
(API v2's Layer 4 `edit-vip` has no such field; IPVS keeps its persistence in its connection
table, which has no per-VIP size), so a `SERV_` label is refused.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from eas_lb.inputs.site_maintenance import PoolLabel
from eas_lb.inputs.strict import StrictModel

# Ranges: the simulator's (docs/appliance-api.md, `maxconn` and `persist_table_size`, assumed
# ranges); larger numbers are typing mistakes on any appliance the guide sizes.
Maxconn = Annotated[int, Field(ge=1, le=10_000_000)]
TableSize = Annotated[int, Field(ge=1, le=100_000_000)]


class CapacityValues(StrictModel):
    """A Layer 7 VIP's limits, each optional: what is not given follows `subscribers`."""

    maxconn: Maxconn | None = Field(
        default=None, description="concurrent connections the VIP accepts (HAProxy maxconn)"
    )
    persist_table_size: TableSize | None = Field(
        default=None, description="entries of the source-IP persistence (stick) table"
    )


class Capacity(CapacityValues):
    """Explicit Layer 7 limits: for every Layer 7 VIP of the site, and per pool by VIP label."""

    pools: dict[PoolLabel, CapacityValues] = Field(
        default_factory=dict,
        description="limits per Layer 7 pool, by VIP label (MGMT_HTTPS-443); they win over the site's",
    )
