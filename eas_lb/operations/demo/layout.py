"""Where the demo keeps its files, and which processes a site needs.

Everything is derived from the site file: the simulators share the CA that the site's
appliances name in `ca_file`, and the demo's run directory is that CA folder's parent (`.demo/`
beside `examples/` for the shipped demo site). A copy of the site elsewhere (as the end-to-end
tests make) therefore gets a demo of its own.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from eas_lb.inputs.site import Deployment, Node

GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
"""The guide's global check settings. The API cannot write them, so an operator sets them in the
WebUI once per appliance; the demo's simulators start with them set, as if that was done."""


class NotADemoSiteError(ValueError):
    """The site names something that is not on loopback: the demo refuses to simulate it."""


@dataclass(frozen=True)
class ApplianceProcess:
    name: str
    host: str
    port: int
    peer: str | None


@dataclass(frozen=True)
class DemoLayout:
    run_dir: Path
    ca_dir: Path
    appliances: tuple[ApplianceProcess, ...]
    servers: tuple[tuple[str, int], ...]  # (ip, port) of every stand-in EAS listener

    # Path properties alike sshd.py's ChrootSshd in shape; other files of another folder.
    @property
    def control_dir(self) -> Path:
        return self.run_dir / "eas-control"

    @property
    def credentials_file(self) -> Path:
        return self.run_dir / "credentials.env"

    def state_dir(self, appliance: str) -> Path:
        return self.run_dir / appliance


def server_name(ip: str) -> str:
    """One name per EAS server: stopping it stops all its ports, as stopping the EAS would."""
    return f"eas-{ip}"


def _loopback(value: str, what: str) -> str:
    address = ipaddress.ip_address(value)
    if not address.is_loopback:
        raise NotADemoSiteError(f"{what} {value} is not a loopback address; the demo only simulates 127.x")
    return str(address)


def _endpoint(node: Node) -> tuple[str, int]:
    parts = urlsplit(node.endpoint)
    host = _loopback(parts.hostname or "", f"appliance {node.name} endpoint")
    return host, parts.port or 9443


def demo_layout(deployment: Deployment) -> DemoLayout:
    appliances: list[ApplianceProcess] = []
    servers: set[tuple[str, int]] = set()
    ca_files: set[Path] = set()
    for plan in deployment.pairs:
        nodes = [plan.pair.primary] + ([plan.pair.secondary] if plan.pair.secondary else [])
        for node in nodes:
            if node.ca_file is None:
                raise NotADemoSiteError(f"appliance {node.name} needs ca_file: the demo writes its CA there")
            ca_files.add(node.ca_file.resolve())
            host, port = _endpoint(node)
            appliances.append(ApplianceProcess(node.name, host, port, None))
        for pool in (*plan.pools.management, *plan.pools.service):
            for server in pool.servers:
                servers.add((_loopback(str(server), f"server of pool {pool.name}"), pool.port))
            if pool.pool_ip is not None:
                _loopback(str(pool.pool_ip), f"VIP of pool {pool.name}")
        for vip in plan.service_vips.values():
            _loopback(str(vip), "service VIP")
    if len(ca_files) != 1:
        raise NotADemoSiteError("the demo's appliances must all name the same ca_file")
    ca_file = ca_files.pop()
    if ca_file.name != "ca.pem":
        raise NotADemoSiteError(
            f"the appliances' ca_file is {ca_file}; simulated appliances write their CA as ca.pem in a "
            f"folder of its own, so name one there (for example {ca_file.parent / 'ca.pem'}): it is made "
            "on the first start, and the demo keeps its files in that folder's parent"
        )
    ca_dir = ca_file.parent
    return DemoLayout(ca_dir.parent, ca_dir, tuple(appliances), tuple(sorted(servers)))
