"""`python -m eas_lb check POOLS.txt [--site SITE.yaml]`: validate input files before a synth.

Prints the parsed pools as a table and exits 0, or prints every problem (`FILE:LINE:COL:
message`) and exits 1. With `--site`, the pools file is also checked against the site file (a
service network for scenario 1, service VIPs outside the EAS subnet, ...).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from eas_lb.pools import InputFileError, Pool, PoolsFile, Section, load_pools
from eas_lb.site import load_deployment

EXIT_INVALID = 1
_COLUMNS = ("SECTION", "LABEL", "VIP", "PORT", "PERSISTENCE", "SERVERS")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pools", type=Path, metavar="POOLS.txt", help="the EAS pools file")
    parser.add_argument("--site", type=Path, metavar="SITE.yaml", help="also check it against this site file")


def persistence(pool: Pool) -> str:
    """How the guide configures persistence for this pool, in the words of the WebUI."""
    if pool.sticky == 0:
        return "none"
    if pool.section is Section.MANAGEMENT:
        minutes = -(-pool.sticky // 60)
        return f"source IP {minutes} min"
    return f"source IP {pool.sticky} s"


def table(pools: PoolsFile, vips: dict[str, str] | None = None) -> str:
    rows = [_COLUMNS]
    for pool in pools.pools:
        vip = str(pool.pool_ip) if pool.pool_ip is not None else (vips or {}).get(pool.name, "- (site file)")
        servers = " ".join(str(server) for server in pool.servers)
        rows.append((pool.section.value, pool.label, vip, str(pool.port), persistence(pool), servers))
    widths = [max(len(row[index]) for row in rows) for index in range(len(_COLUMNS))]
    lines = ("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    try:
        pools = load_pools(args.pools)
        vips: dict[str, str] = {}
        if args.site is not None:
            deployment = load_deployment(args.site, pools_override=args.pools)
            vips = {name: str(ip) for name, ip in deployment.pairs[0].service_vips.items()}
    except InputFileError as error:
        print(error, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    print(table(pools, vips))
    counts = f"{len(pools.management)} management, {len(pools.service)} service pools"
    print(f"scenario {pools.scenario}: {counts}")
    return 0
