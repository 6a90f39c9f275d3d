"""pools.txt and the appliance side by side, in pool terms; and pools.txt written from the appliance."""

from __future__ import annotations

from collections.abc import Sequence

from eas_lb.guide import mapping
from eas_lb.inputs.pools import Pool, PoolsFile, Section
from eas_lb.inputs.site import Pair
from eas_lb.operations.adopt.reverse import ReverseMapping, service_vip_of, sticky_seconds

HEADER = "POOL POOL IP PROTO PORT STICKY SERVER IPS"


def render_pools(rows: Sequence[Pool]) -> str:
    """A pools file as the EAS writes it: header, `# MANAGEMENT` rows, then `# SERVICE` rows."""
    lines = [f"{HEADER} # MANAGEMENT"]
    lines += [_row(row) for row in rows if row.section is Section.MANAGEMENT]
    service = [_row(row) for row in rows if row.section is Section.SERVICE]
    if service:
        lines += ["", "# SERVICE", *service]
    return "\n".join(lines) + "\n"


def _row(row: Pool) -> str:
    address = "-" if row.pool_ip is None else str(row.pool_ip)
    servers = " ".join(str(server) for server in row.servers)
    return f"{row.name} {address} tcp {row.port} {row.sticky} {servers}"


def _persistence(row_sticky: int, section: Section) -> str:
    if row_sticky == 0:
        return "none"
    if section is Section.MANAGEMENT:
        return f"{mapping.layer7_persist_minutes(row_sticky)[0]} min"
    return f"{row_sticky} s"


def pool_differences(pools: PoolsFile, found: ReverseMapping, pair: Pair) -> list[str]:
    """Every difference between the pools file and the appliance, one sentence each."""
    out: list[str] = []
    for row in pools.pools:
        vip = found.matched.get((row.section, row.name))
        where = f"pool {row.name} (# {row.section})"
        if vip is None:
            out.append(f"{where}: missing on the appliance (the first deploy adds {row.label})")
            continue
        address = row.pool_ip if row.pool_ip is not None else service_vip_of(pair, row.name)
        if str(address) != vip.ip:
            out.append(f"{where}: address {address} in pools.txt/site file, {vip.ip} on the appliance")
        if row.port != vip.port:
            out.append(f"{where}: port {row.port} in pools.txt, {vip.ports} on the appliance")
        want, have = _persistence(row.sticky, row.section), _persistence(sticky_seconds(vip), row.section)
        if want != have:
            out.append(
                f"{where}: sticky {row.sticky} s in pools.txt (persistence {want}), persistence {have} "
                "on the appliance"
            )
        listed = {str(server) for server in row.servers}
        present = {server.ip for server in vip.servers}
        for server in row.servers:
            if str(server) not in present:
                out.append(f"{where}: server {server} missing on the appliance")
        for ip in sorted(present - listed):
            out.append(f"{where}: extra server {ip} on the appliance, not in pools.txt")
    out += [
        f"extra pool {item.name} on the appliance: {item.reason}"
        for item in found.unmanaged
        if item.extra_pool
    ]
    return out
