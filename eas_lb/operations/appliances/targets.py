"""What verify may touch: the VIPs and appliances a site declares, nothing else."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from eas_lb.guide.adoption import PairAdoption, load_record
from eas_lb.guide.maintenance import server_states
from eas_lb.inputs.site import Deployment


@dataclass(frozen=True)
class VipTarget:
    """One virtual service as the site and pools.txt declare it."""

    label: str
    section: str  # "management" (Layer 7) or "service" (Layer 4)
    ip: str
    port: int
    sticky_seconds: int
    servers: tuple[str, ...]
    pair: str

    @property
    def address(self) -> str:
        return f"[{self.ip}]:{self.port}" if ":" in self.ip else f"{self.ip}:{self.port}"


class UndeclaredTargetError(RuntimeError):
    """Raised before any connection to an address the site does not declare."""


class TargetGuard:
    """Refuses connections to anything but the site's own VIP addresses.

    Verify runs against production appliances too; a typo in a hook or a pools row must never
    turn it into a scanner of somebody else's network.
    """

    def __init__(self, vips: list[VipTarget]) -> None:
        self._allowed = {(str(ipaddress.ip_address(v.ip)), v.port) for v in vips}

    def check(self, ip: str, port: int) -> None:
        if (str(ipaddress.ip_address(ip)), port) not in self._allowed:
            raise UndeclaredTargetError(f"{ip}:{port} is not a VIP of this site; refusing to connect")


def adopted_labels(deployment: Deployment) -> dict[str, PairAdoption]:
    """The labels adopted pairs keep (`eas-lb adopt`), per pair name."""
    record = load_record(deployment.source)
    return dict(record.pairs) if record is not None else {}


def vip_targets(deployment: Deployment) -> list[VipTarget]:
    """Every VIP of the site, management (Layer 7) then service (Layer 4), per pair.

    A server the site file puts in maintenance is not among a VIP's servers: it takes no new
    connection, so spread and the disruptive tests leave it out (its state is a warning row).
    """
    targets = []
    adoptions = adopted_labels(deployment)
    resting = set(server_states(deployment.site))
    for plan in deployment.pairs:
        adopted = adoptions.get(plan.pair.name) or PairAdoption()
        for pool in plan.pools.management:
            targets.append(
                VipTarget(
                    adopted.vip_label(pool),
                    "management",
                    str(pool.pool_ip),
                    pool.port,
                    pool.sticky,
                    tuple(str(s) for s in pool.servers if str(s) not in resting),
                    plan.pair.name,
                )
            )
        for pool in plan.pools.service:
            targets.append(
                VipTarget(
                    adopted.vip_label(pool),
                    "service",
                    str(plan.service_vips[pool.name]),
                    pool.port,
                    pool.sticky,
                    tuple(str(s) for s in pool.servers if str(s) not in resting),
                    plan.pair.name,
                )
            )
    return targets
