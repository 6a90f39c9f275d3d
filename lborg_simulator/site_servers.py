"""Which stand-in EAS servers a site needs: every server address and port its pools files name.

`python -m lborg_simulator eas-servers --site SITE.yaml` (or `--pools pools.txt`) serves them all,
instead of one `--listen`/`--name` pair per address and port. The pools files are read with
`eas_lb`'s own parser (no cdktf), so the simulator serves exactly what the stacks configure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lborg_simulator.haproxy_render import is_loopback


class SiteServersError(ValueError):
    """The files cannot be read, or name a server the simulator cannot stand in for."""


def server_name(ip: str) -> str:
    """One name per EAS server: stopping it stops all its ports, as stopping the EAS would."""
    return f"eas-{ip}"


def servers_of(site: Path | None, pools_files: Sequence[Path]) -> list[tuple[str, str, int]]:
    """(name, ip, port) of every server of every pool, once each, in file order."""
    from eas_lb.inputs.pools import InputFileError, PoolsFile, load_pools
    from eas_lb.inputs.site import load_deployment

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
                if not is_loopback(ip):
                    raise SiteServersError(
                        f"{pools.source}:{pool.line}: server {ip} of {pool.label} is not a loopback "
                        "address; stand-in servers bind 127.0.0.0/8 or ::1 only (use a site whose pools "
                        "name loopback servers, like examples/pools-demo.txt)"
                    )
                spec = (server_name(ip), ip, pool.port)
                if spec not in specs:
                    specs.append(spec)
    return specs
