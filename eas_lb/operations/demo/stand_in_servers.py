"""`eas-lb eas-servers`: stand-ins for every EAS server a site's pools files name.

For a lab on loopback: each server address and port of the pools gets a simulated EAS server
(``lborg_simulator.eas_servers``) that answers with its name and address, all ports of one address
under one name (``eas-<ip>``), so stopping a name stops the whole server, as stopping the EAS would.
The pools are read with the same parser as the stacks, so the lab serves exactly what the stacks
configure; the simulator itself never reads a site's files.
"""

from __future__ import annotations

import ipaddress
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from eas_lb.inputs.pools import InputFileError, PoolsFile, load_pools
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.command_line import Options
from eas_lb.operations.demo.layout import server_name

EXIT_USAGE = 3


class SiteServersError(ValueError):
    """The files cannot be read, or name a server that cannot be stood in for on this machine."""


def servers_of(site: Path | None, pools_files: Sequence[Path]) -> list[tuple[str, str, int]]:
    """(name, ip, port) of every server of every pool, once each, in file order."""
    loaded: list[PoolsFile] = []
    try:
        if site is not None:
            loaded += [plan.pools for plan in load_deployment(site).pairs]
        loaded += [load_pools(path) for path in pools_files]
    except InputFileError as error:
        raise SiteServersError(f"cannot read the pools:\n{error}") from None
    specs: list[tuple[str, str, int]] = []
    for pools in loaded:
        for pool in pools.pools:
            for server in pool.servers:
                ip = str(server)
                if not ipaddress.ip_address(ip).is_loopback:
                    raise SiteServersError(
                        f"{pools.source}:{pool.line}: server {ip} of {pool.label} is not a loopback "
                        "address; stand-in servers bind 127.0.0.0/8 or ::1 only (use a site whose pools "
                        "name loopback servers, like examples/pools-demo.txt)"
                    )
                spec = (server_name(ip), ip, pool.port)
                if spec not in specs:
                    specs.append(spec)
    return specs


def run(args: Options) -> int:
    from lborg_simulator.eas_servers import run_cli

    site: Path | None = args.site
    if site is None and not args.pools and os.environ.get("EAS_SITE"):
        site = Path(os.environ["EAS_SITE"])
    if site is None and not args.pools:
        print("eas-servers: give --site SITE.yaml (or export EAS_SITE) or --pools FILE", file=sys.stderr)
        return EXIT_USAGE
    try:
        specs = servers_of(site, args.pools)
    except SiteServersError as error:
        print(f"eas-servers: {error}", file=sys.stderr)
        return EXIT_USAGE
    return run_cli((), (), args.control_dir, specs=specs)
