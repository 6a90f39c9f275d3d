"""The lab's kernel-NAT option: the site's service network in network namespaces (root).

With `--layer4 kernel-nat` the simulated appliances serve their Layer 4 VIPs as the kernel's NAT
in a namespace each (`lborg_simulator.nat_dataplane`), the stand-ins of the service pools' EAS
servers listen in namespaces of their own with their default route through the pair's floating
`service_gateway`, and a client namespace reaches the service VIPs: the EAS stand-ins see the
client's own address and their replies must come back through the pair, as the guide requires.
Management (Layer 7) VIPs, the appliances' APIs and the management pools' stand-ins stay on
loopback. Without root or nftables the lab keeps today's Layer 4 proxy (`auto` says so in one line).

Every namespace's name starts with the lab's prefix (from its folder, so two labs never share
one); `down` removes them, and each start first removes those of labs whose stand-ins no longer
run (a lab killed without `down`), found through a registry under /run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from eas_lb.inputs.site import Deployment
from eas_lb.operations.demo import processes
from eas_lb.operations.demo.layout import DemoLayout, NotADemoSiteError
from lborg_simulator import nat_network
from lborg_simulator.nat_network import NatAppliance, NatNetwork, NatServer
from lborg_simulator.netns import kernel_nat_available, remove_prefixed

LAYER4_CHOICES = ("auto", "kernel-nat", "proxy")
NETWORK_FILE = "kernel-nat.json"
REGISTRY = Path("/run/eas-lb-kernel-nat")
#: The process whose life is the lab's: it holds the EAS stand-ins' sockets in the namespaces.
OWNER_PROCESS = "eas-servers"


class KernelNatUnavailable(RuntimeError):
    """`--layer4 kernel-nat` on a machine that cannot run it; the message says why."""


def prefix_of(layout: DemoLayout) -> str:
    digest = hashlib.sha256(str(layout.run_dir.resolve()).encode()).hexdigest()[:8]
    return f"easlab{digest}"


def network_for(deployment: Deployment, layout: DemoLayout) -> NatNetwork:
    """The namespaces the site's service pools need; refuses a site that does not say enough."""
    appliances: list[NatAppliance] = []
    servers: dict[str, NatServer] = {}
    vips: list[str] = []
    management = {str(s) for plan in deployment.pairs for pool in plan.pools.management for s in pool.servers}
    for plan in deployment.pairs:
        pair = plan.pair
        if not plan.pools.service:
            continue
        if pair.service_gateway is None or pair.eas_service_subnet is None:
            raise NotADemoSiteError(
                f"pair {pair.name}: kernel NAT needs service_gateway and eas_service_subnet (the EAS "
                "servers' default gateway and their subnet)"
            )
        subnet = pair.eas_service_subnet
        for node in pair.nodes:
            if node.service_ip is None:
                raise NotADemoSiteError(f"appliance {node.name}: kernel NAT needs its service_ip")
            address = f"{node.service_ip.ip}/{subnet.prefixlen}"
            appliances.append(NatAppliance(node.name, address, str(subnet)))
        vips += [str(vip) for vip in plan.service_vips.values()]
        for pool in plan.pools.service:
            for server in pool.servers:
                ip = str(server)
                if ip in management:
                    raise NotADemoSiteError(
                        f"EAS server {ip} is in a management and a service pool; with kernel NAT its "
                        "service stand-in lives in a namespace of its own: give the lab distinct addresses"
                    )
                servers[ip] = NatServer(ip, subnet.prefixlen, str(pair.service_gateway))
    return NatNetwork(
        prefix_of(layout), tuple(appliances), tuple(servers.values()), tuple(dict.fromkeys(vips))
    )


def load(layout: DemoLayout) -> NatNetwork | None:
    """The lab's namespaces when it runs with kernel NAT."""
    path = layout.run_dir / NETWORK_FILE
    if not path.exists():
        return None
    return NatNetwork.from_json(json.loads(path.read_text()))


def choose(requested: str) -> tuple[bool, str | None]:
    """Whether to use kernel NAT for `requested` (auto, kernel-nat, proxy), and a note for auto."""
    if requested == "proxy":
        return False, None
    why_not = kernel_nat_available()
    if why_not is None:
        return True, None
    if requested == "kernel-nat":
        raise KernelNatUnavailable(f"--layer4 kernel-nat: {why_not}")
    return False, f"Layer 4 VIPs served by a TCP proxy on loopback, not kernel NAT ({why_not})"


def _remove_abandoned() -> list[str]:
    """Namespaces of labs whose stand-ins no longer run (killed without `down`)."""
    removed: list[str] = []
    if not REGISTRY.is_dir():
        return removed
    for entry in REGISTRY.iterdir():
        run_dir = Path(entry.read_text().strip())
        if not processes.is_running(run_dir, OWNER_PROCESS):
            removed += remove_prefixed(f"{entry.name}-")
            entry.unlink(missing_ok=True)
    return removed


def up(deployment: Deployment, layout: DemoLayout) -> list[str]:
    """Create the lab's namespaces (unless its stand-ins already run in them)."""
    network = network_for(deployment, layout)
    if load(layout) == network and processes.is_running(layout.run_dir, OWNER_PROCESS):
        return ["kernel-NAT namespaces already up"]
    say = [f"removed namespaces of a lab that was not stopped: {name}" for name in _remove_abandoned()]
    # Recorded first, so `down` and the next start find namespaces a failed start left behind.
    REGISTRY.mkdir(mode=0o700, exist_ok=True)
    (REGISTRY / network.prefix).write_text(str(layout.run_dir.resolve()))
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    (layout.run_dir / NETWORK_FILE).write_text(json.dumps(network.as_json(), indent=1))
    nat_network.up(network)
    say.append(
        f"kernel NAT: {len(network.all_netns())} network namespaces {network.prefix}-*; the client "
        f"is {network.client} in {network.client_netns}"
    )
    return say


def down(layout: DemoLayout) -> list[str]:
    network = load(layout)
    if network is None:
        return []
    removed = nat_network.down(network)
    (REGISTRY / network.prefix).unlink(missing_ok=True)
    (layout.run_dir / NETWORK_FILE).unlink(missing_ok=True)
    return [f"removed {len(removed)} kernel-NAT network namespaces ({network.prefix}-*)"]
