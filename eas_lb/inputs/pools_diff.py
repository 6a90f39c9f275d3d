"""What changed between two pools files, in the terms an EAS operator uses.

A pool is identified by its section and name (its VIP label, `MGMT_HTTP-80`); the order of rows
and of servers on a row does not matter, nor do comments and spacing. A change is one of: pool
added or removed, server added or removed, sticky (persistence) changed, port changed, VIP address
changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from eas_lb.inputs.pools import Pool, PoolsFile


@dataclass(frozen=True)
class PoolChange:
    """One difference; `kind` is stable for scripts, `text` is for people."""

    kind: str
    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.label}: {self.text}"


def describe(pool: Pool) -> str:
    address = f"{pool.pool_ip}:{pool.port}" if pool.pool_ip is not None else f"service VIP port {pool.port}"
    servers = ", ".join(str(server) for server in pool.servers)
    return f"{address}, {_sticky(pool.sticky)}, servers {servers}"


def _sticky(seconds: int) -> str:
    return f"sticky {seconds} s" if seconds else "not sticky"


def diff_pools(current: PoolsFile | None, fetched: PoolsFile) -> list[PoolChange]:
    """Changes that turn `current` (None: no file yet) into `fetched`, in file order of `fetched`."""
    before = {pool.label: pool for pool in (current.pools if current else ())}
    after = {pool.label: pool for pool in fetched.pools}
    changes: list[PoolChange] = []
    for label, pool in after.items():
        old = before.get(label)
        if old is None:
            changes.append(PoolChange("pool-added", label, f"pool added ({describe(pool)})"))
            continue
        changes.extend(_pool_changes(old, pool))
    for label, pool in before.items():
        if label not in after:
            changes.append(PoolChange("pool-removed", label, f"pool removed (was {describe(pool)})"))
    return changes


def _pool_changes(old: Pool, new: Pool) -> list[PoolChange]:
    label = new.label
    changes: list[PoolChange] = []
    if old.pool_ip != new.pool_ip:
        was = str(old.pool_ip) if old.pool_ip is not None else "-"
        now = str(new.pool_ip) if new.pool_ip is not None else "-"
        changes.append(PoolChange("address-changed", label, f"VIP address {was} -> {now}"))
    if old.port != new.port:
        changes.append(PoolChange("port-changed", label, f"port {old.port} -> {new.port}"))
    if old.sticky != new.sticky:
        changes.append(PoolChange("sticky-changed", label, f"{_sticky(old.sticky)} -> {_sticky(new.sticky)}"))
    old_servers, new_servers = set(old.servers), set(new.servers)
    for server in new.servers:
        if server not in old_servers:
            changes.append(PoolChange("server-added", label, f"server {server} added"))
    for server in old.servers:
        if server not in new_servers:
            changes.append(PoolChange("server-removed", label, f"server {server} removed"))
    return changes
