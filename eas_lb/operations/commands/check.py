"""`eas-lb check [POOLS.txt] [--site SITE.yaml] [--json]`: validate input files before a synth.

Prints the parsed pools as a table and exits 0, or prints every problem (`FILE:LINE:COL:
message`) and exits 1. With `--site` (or `EAS_SITE`, or a `site.yaml` in the current directory),
the pools file is also checked against the site file (a service network for scenario 1, service
VIPs outside the EAS subnet, ...) and the site file for what would fail once used (`TODO`
placeholders left by `new-site`, CA files that cannot be read); without a POOLS.txt argument,
the pools file the site names is checked, and a pair larger than the guide sizes one appliance
for is refused with its fixes, as synth refuses it. Warnings (a management sticky value that Layer 7
rounds up to whole minutes; maintenance that covers one address of an EAS server, or one layer
only) are printed and do not fail. `--json` prints the same
as one JSON object (`files` with their pools and warnings, and `site_warnings`; or `problems`).

Its declaration is in `check_cli`, so `--help` imports no pydantic and stays instant.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from eas_lb.guide.mapping import layer7_persist_minutes
from eas_lb.inputs.pools import InputFileError, Pool, PoolsFile, Section, load_pools
from eas_lb.operations.command_line import Options

if TYPE_CHECKING:
    from eas_lb.inputs.pools import Pool, PoolsFile

EXIT_INVALID = 1
EXIT_USAGE = 3
_COLUMNS = ("SECTION", "LABEL", "VIP", "PORT", "PERSISTENCE", "SERVERS")


def persistence(pool: Pool) -> str:
    """How the guide configures persistence for this pool, in the words of the WebUI."""

    if pool.sticky == 0:
        return "none"
    if pool.section is Section.MANAGEMENT:
        minutes = -(-pool.sticky // 60)
        return f"source IP {minutes} min"
    return f"source IP {pool.sticky} s"


def _rows(pools: PoolsFile, vips: dict[str, str] | None = None) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for pool in pools.pools:
        vip = str(pool.pool_ip) if pool.pool_ip is not None else (vips or {}).get(pool.name, "- (site file)")
        servers = " ".join(str(server) for server in pool.servers)
        rows.append((pool.section.value, pool.label, vip, str(pool.port), persistence(pool), servers))
    return rows


def table(pools: PoolsFile, vips: dict[str, str] | None = None) -> str:
    from lborg_support.tables import render_table

    return render_table(_COLUMNS, _rows(pools, vips)).rstrip("\n")


def warnings(pools: PoolsFile) -> list[str]:
    """What synth warns about, located in the pools file: sticky values Layer 7 rounds up."""

    found = []
    for pool in pools.management:
        warning = layer7_persist_minutes(pool.sticky)[1]
        if warning is not None:
            found.append(f"{pools.source}:{pool.line}: warning: {pool.label}: {warning}")
    return found


def run(args: Options) -> int:
    from eas_lb.inputs.site import load_deployment

    if args.pools is None and args.site is None:
        print(
            "check: give a pools file (eas-lb check pools.txt) or a site file "
            "(--site site.yaml, or EAS_SITE) that names one",
            file=sys.stderr,
        )
        return EXIT_USAGE
    checked: list[tuple[PoolsFile, dict[str, str], str]] = []
    site_warnings: tuple[str, ...] = ()
    try:
        if args.site is None:
            pools = load_pools(args.pools)
            checked.append((pools, {}, pools.source))
        else:
            from eas_lb.guide.capacity import site_capacity
            from eas_lb.inputs.site import load_deployment  # pydantic site models: 0.3 s, only with a site

            deployment = load_deployment(args.site, pools_override=args.pools, before_use=True)
            site_capacity(deployment)  # a pair above the guide's sizing is refused as synth does
            site_warnings = deployment.warnings
            for plan in deployment.pairs:
                if any(plan.pools == pools for pools, _, _ in checked):
                    continue  # pairs serving all of one pools file: one table
                vips = {name: str(ip) for name, ip in plan.service_vips.items()}
                title = plan.pools.source
                if plan.pair.serves != "both":  # one pools file split over two HA pairs: a table each
                    title += f", pair {plan.pair.name} (serves: {plan.pair.serves})"
                checked.append((plan.pools, vips, title))
    except InputFileError as error:
        if args.json:
            print(json.dumps({"problems": [str(problem) for problem in error.problems]}, indent=2))
        print(error, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    if args.json:
        print(json.dumps(_as_json(checked) | {"site_warnings": list(site_warnings)}, indent=2))
        return 0
    for pools, vips, title in checked:
        if len(checked) > 1:
            print(f"{title}:")
        print(table(pools, vips))
        counts = f"{len(pools.management)} management, {len(pools.service)} service pools"
        print(f"this pair: {counts}" if title != pools.source else f"scenario {pools.scenario}: {counts}")
        for warning in warnings(pools):
            print(warning, file=sys.stderr)
    for warning in site_warnings:
        print(warning, file=sys.stderr)
    return 0


def _as_json(checked: list[tuple[PoolsFile, dict[str, str], str]]) -> dict[str, object]:
    """`--json`: every checked table's pools, one object per row keyed by the column names."""
    keys = [column.lower() for column in _COLUMNS]
    return {
        "files": [
            {
                "title": title,
                "scenario": pools.scenario,
                "pools": [dict(zip(keys, row, strict=True)) for row in _rows(pools, vips)],
                "warnings": warnings(pools),
            }
            for pools, vips, title in checked
        ]
    }
