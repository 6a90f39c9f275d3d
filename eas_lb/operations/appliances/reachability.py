"""Before `deploy`/`destroy`: every appliance of the stacks answers, or stop with what to do.

The tool changes an HA pair only with both appliances answering, and says so before anything
starts (no backup half taken, no cdktf run):
- each `-lb` stack configures both nodes (the secondary's own network settings, the pairing), so
  Terraform's plan stops at 'appliance unreachable' for the missing node and changes nothing;
- a change made on the primary while its secondary is out reaches the secondary only if the
  primary replicates it when the peer returns. The vendor documents replication on every reload
  and recovery of a failed node from an XML backup, not a catch-up of changes made while the
  peer was away; a pair that fails over to a secondary without them would serve the old VIPs.
So there is no option to deploy to one node of a pair; the message gives the manual path.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from eas_lb.inputs.site import Deployment, Node, Pair
from eas_lb.inputs.site_maintenance import is_address

#: Seconds to wait for one appliance's API port: an appliance that is up answers at once.
PROBE_SECONDS = 5.0


@dataclass(frozen=True)
class Silent:
    """A node that did not accept a connection to its API port, and why."""

    pair: Pair
    node: Node
    reason: str

    @property
    def role(self) -> str:
        return "primary" if self.node is self.pair.primary else "secondary"


def _probe(node: Node, timeout: float) -> str | None:
    """None when the node's API port accepts a TCP connection, else the reason in a few words."""
    url = urlparse(node.endpoint)
    host, port = url.hostname or "", url.port or 443
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return None
    except TimeoutError:
        return f"no answer within {timeout:g} s"
    except OSError as error:
        return error.strerror or type(error).__name__


def silent_nodes(deployment: Deployment, stacks: list[str], timeout: float = PROBE_SECONDS) -> list[Silent]:
    """The nodes of the chosen `-lb` stacks that do not answer on their API port."""
    from eas_lb.synth.stacks.names import lb_stack_name

    found = []
    for plan in deployment.pairs:
        if lb_stack_name(deployment.site, plan) not in stacks:
            continue
        for node in plan.pair.nodes:
            reason = _probe(node, timeout)
            if reason is not None:
                found.append(Silent(plan.pair, node, reason))
    return found


def endpoint_differs(node: Node, role: str, paired: Mapping[str, str] | None = None) -> str | None:
    """A silent appliance whose endpoint host is not the address the last deploy paired it at
    (`paired`: role → address, from the state), or, without that, not its `management_ip`: a typo
    in the endpoint looks exactly like an outage, and must not be answered with a hand change."""
    host = urlparse(node.endpoint).hostname or ""
    known = (paired or {}).get(role)
    if not is_address(host):
        return None
    if known is not None:
        if _same(host, known):
            return None
        where = f"the address the last deploy paired {node.name} at ({known}, in the state)"
    else:
        if _same(host, str(node.management_ip)):
            return None
        where = f"{node.name}'s management_ip ({node.management_ip.ip}, site file)"
    return f"its endpoint {node.endpoint} is not {where}: check {node.name}'s endpoint in the site file"


def _same(host: str, address: str) -> bool:
    try:
        return ipaddress.ip_address(host) == ipaddress.ip_interface(address).ip
    except ValueError:
        return host == address


def refusal(verb: str, silent: list[Silent]) -> str:
    """What stopped, why the tool does not go on with one node, and the manual path."""
    lines = [
        f"{verb}: {item.node.name} ({item.role} of pair {item.pair.name}) does not answer at "
        f"{item.node.endpoint} ({item.reason})"
        for item in silent
    ]
    lines.append(f"{verb}: stopped before any change: this tool changes a pair only with both appliances up")
    for item in silent:
        pair, node = item.pair, item.node
        differs = endpoint_differs(node, item.role)
        if differs is not None:
            lines.append(f"  - first: {differs} (a typo there looks exactly like {node.name} being down);")
        if pair.secondary is None:
            lines.append(f"  - {node.name} is a single appliance: bring it back, then run the command again")
            continue
        other = pair.secondary if node is pair.primary else pair.primary
        lines.append(f"  - best: bring {node.name} back (or wait for it), then run the same command again;")
        if item.role == "secondary":
            lines += [
                f"  - urgent change while {node.name} is out: make it by hand on {other.name} (its WebUI, "
                "as the deployment guide does), put the same change in pools.txt, change nothing else;",
                f"  - once {node.name} is back: `eas-lb verify` (its `config {node.name}` row "
                f"says whether {node.name} has the change), then `eas-lb {verb}` (the plan "
                "shows what still differs from pools.txt).",
            ]
        else:
            lines += [
                f"  - urgent change while {node.name} is out: {other.name} serves the VIPs; a change made "
                f"by hand on it is not replicated to {node.name}: put the same change in pools.txt and "
                f"run `eas-lb {verb}` as soon as {node.name} answers (with auto-failback on, "
                f"{node.name} takes the VIPs back with its old configuration until then).",
            ]
    lines.append(f"{verb}: see the README, 'One appliance down'.")
    return "\n".join(lines)
