"""What verify may touch: the VIPs and appliances a site declares, nothing else."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass


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
