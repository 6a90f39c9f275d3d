"""The site file's `drain:` and `maintenance:` sections as pool options: per pool, the drain time
of a real server that leaves and the state of each EAS server.

A server in `maintenance:` is drained (or halted) on every VIP whose pools row names one of its
addresses, in every pair: the operator names the EAS server once (by its name from `eas_servers:`,
which stands for all its addresses and so both layers, or by one address), never a VIP or a
label. The drain time of a pool is the site file's for its label (`MGMT_<POOL>`, `SERV_<POOL>`),
else the site's `drain.seconds`, else `mapping.EAS_DRAIN_SECONDS`.
"""

from __future__ import annotations

import dataclasses

from eas_lb.guide.mapping import EAS_DRAIN_SECONDS, ManagementPoolOptions, ServicePoolOptions
from eas_lb.inputs.pools import Pool
from eas_lb.inputs.site_models import Site


def drain_seconds(site: Site, pool: Pool) -> int:
    """How long a real server leaving `pool` drains before its delete."""
    by_pool = site.drain.pools.get(pool.label)
    if by_pool is not None:
        return by_pool
    return EAS_DRAIN_SECONDS if site.drain.seconds is None else site.drain.seconds


def server_states(site: Site) -> dict[str, str]:
    """EAS servers in maintenance, by address (as `str(ip_address)`), and their state; a server
    named in `maintenance:` gives each of its addresses."""
    return {address: entry.state for address, entry in site.maintenance_by_address().items()}


def management_options(
    site: Site, pool: Pool, options: ManagementPoolOptions | None
) -> ManagementPoolOptions:
    """`options` (or the guide's) with the site's drain time for `pool` and its servers' states."""
    return dataclasses.replace(
        options or ManagementPoolOptions(),
        drain_seconds=drain_seconds(site, pool),
        server_states=_states_on(site, pool),
    )


def service_options(site: Site, pool: Pool, options: ServicePoolOptions | None) -> ServicePoolOptions:
    """As `management_options`, for a `# SERVICE` pool."""
    return dataclasses.replace(
        options or ServicePoolOptions(),
        drain_seconds=drain_seconds(site, pool),
        server_states=_states_on(site, pool),
    )


def _states_on(site: Site, pool: Pool) -> dict[str, str]:
    servers = {str(server) for server in pool.servers}
    return {address: state for address, state in server_states(site).items() if address in servers}
