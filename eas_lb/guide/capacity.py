"""Each pair's Layer 7 limits from the site file: its share of the subscribers, the explicit values
of `capacity:`, and the refusal of a pair larger than the guide sizes one appliance for.

A subscriber's traffic crosses one pair per layer, so the site's `subscribers` are spread evenly
over the pairs that carry a layer (rounded up): on the guide's two-pair split (8.1) the management
pair and the service pair each carry them all; a site spread over two pairs that both serve its
pools files (each its own) gives each pair half. A pair that carries both layers takes the larger
share. Where the share is above the guide's 250,000 the rule has nothing to say (the guide sizes
no larger appliance), so the site must spread over more pairs or give the Layer 7 limits itself;
the VM size follows the same share (`eas_lb.guide.sizing`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from eas_lb.guide.mapping import ManagementPoolOptions
from eas_lb.guide.sizing import GUIDE_CONCURRENT_CONNECTIONS, GUIDE_MAX_SUBSCRIBERS
from eas_lb.inputs.pools import Pool, Problem, Section
from eas_lb.inputs.site_capacity import Capacity
from eas_lb.inputs.site_models import Deployment, PairPlan, SiteFileError
from eas_lb.inputs.site_reading import load_site_with_positions
from eas_lb.inputs.yaml_input import locate


@dataclass(frozen=True)
class PairCapacity:
    """What one pair's Layer 7 VIPs are sized for: its share of subscribers, and the site's values."""

    subscribers: int
    explicit: Capacity = dataclasses.field(default_factory=Capacity)

    def limits(self, pool: Pool) -> tuple[int | None, int | None]:
        """The explicit `maxconn` and persistence table size of `pool` (None: from the rule)."""
        own = self.explicit.pools.get(pool.label)
        maxconn = own.maxconn if own and own.maxconn else self.explicit.maxconn
        table = own.persist_table_size if own and own.persist_table_size else self.explicit.persist_table_size
        return maxconn, table

    def options(self, pool: Pool, options: ManagementPoolOptions | None) -> ManagementPoolOptions:
        """`options` (or the guide's) sized for this pair, with the site's explicit limits."""
        maxconn, table = self.limits(pool)
        return dataclasses.replace(
            options or ManagementPoolOptions(),
            subscribers=self.subscribers,
            maxconn=maxconn,
            persist_table_size=table,
        )


def layer_share(deployment: Deployment, section: Section) -> int:
    """Subscribers per pair carrying `section`'s layer: the site's, spread evenly (rounded up)."""
    carrying = sum(1 for plan in deployment.pairs if _carries(plan, section))
    return -(-deployment.site.subscribers // max(carrying, 1))


def pair_subscribers(deployment: Deployment, plan: PairPlan) -> int:
    """The subscribers one pair's appliances carry: the larger share of the layers it serves."""
    shares = [layer_share(deployment, section) for section in Section if _carries(plan, section)]
    return max(shares, default=deployment.site.subscribers)


def site_capacity(deployment: Deployment) -> dict[str, PairCapacity]:
    """Each pair's Layer 7 sizing, by pair name; refused (every problem, located at `subscribers`)
    where a pair's share is above the guide's sizing and a limit would still come from the rule."""
    site = deployment.site
    share = layer_share(deployment, Section.MANAGEMENT)
    result = {plan.pair.name: PairCapacity(share, site.capacity) for plan in deployment.pairs}
    messages = [
        message
        for plan in deployment.pairs
        if (message := _too_large(deployment, plan, result[plan.pair.name])) is not None
    ]
    if messages:
        raise _located(deployment, messages)
    return result


def _carries(plan: PairPlan, section: Section) -> bool:
    return any(pool.section is section for pool in plan.pools.pools)


def _too_large(deployment: Deployment, plan: PairPlan, capacity: PairCapacity) -> str | None:
    """Why the pair cannot be sized from subscribers, with both fixes; None when it can."""
    if capacity.subscribers <= GUIDE_MAX_SUBSCRIBERS:
        return None
    missing = _ruled_pools(plan.pools.management, capacity)
    if not missing:
        return None  # every limit given explicitly: the site's own sizing
    site = deployment.site
    pairs = -(-site.subscribers // GUIDE_MAX_SUBSCRIBERS)
    spread = (
        "" if capacity.subscribers == site.subscribers else f" (its share of the site's {site.subscribers:,})"
    )
    return (
        f"{capacity.subscribers:,} subscribers on pair {plan.pair.name!r}{spread} is above the "
        f"{GUIDE_MAX_SUBSCRIBERS:,} the deployment guide sizes one appliance for "
        f"({GUIDE_CONCURRENT_CONNECTIONS:,} concurrent connections), so the Layer 7 limits of "
        f"{', '.join(missing)} cannot follow the guide: "
        f"spread the site over {pairs} pairs serving '# MANAGEMENT' (each with its own pools file), or "
        "give the limits from Metaswitch's sizing for this site: capacity.maxconn and "
        "capacity.persist_table_size for every Layer 7 VIP, or per VIP under capacity.pools "
        "(and hypervisor.vm_size for the VMs)"
    )


def _ruled_pools(pools: Sequence[Pool], capacity: PairCapacity) -> list[str]:
    """The pools whose `maxconn`, or persistence table where they have persistence, has no
    explicit value (the table of a pool without persistence is unused: its default stays)."""
    ruled = []
    for pool in pools:
        maxconn, table = capacity.limits(pool)
        if maxconn is None or (pool.sticky > 0 and table is None):
            ruled.append(pool.label)
    return ruled


def _located(deployment: Deployment, messages: list[str]) -> SiteFileError:
    """The refusal at the site file's `subscribers:` line (line 1 when it is not there)."""
    try:
        _, positions = load_site_with_positions(deployment.source)
    except (OSError, ValueError):
        positions = {}
    line, column = locate(positions, ("subscribers",))
    source = str(deployment.source)
    return SiteFileError([Problem(source, line, column, f"subscribers: {message}") for message in messages])
