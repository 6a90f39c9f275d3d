"""Checks of the site file's `drain:` and `maintenance:` sections against the pools they apply to.

An address in `maintenance:` that no pool of any pair names would take nothing out of service:
most likely a typing mistake in the one line an operator changes before an upgrade, so it is an
error at that line, not a silent no-op. The same for a drain time given to a pool label that no
pair has, and for one server listed twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eas_lb.inputs.site_models import PairPlan, Site

Report = Callable[[tuple[Any, ...], str], None]


def check_maintenance(site: Site, plans: Sequence[PairPlan], problem: Report) -> None:
    """Report every `maintenance:` entry and `drain.pools` key that no pool uses."""
    used: dict[str, list[str]] = {}
    labels: set[str] = set()
    for plan in plans:
        for pool in plan.pools.pools:
            labels.add(pool.label)
            for server in pool.servers:
                used.setdefault(str(server), []).append(pool.label)
    seen: dict[str, int] = {}
    for index, entry in enumerate(site.maintenance):
        address = str(entry.server)
        where = ("maintenance", index, "server")
        if address in seen:
            problem(where, f"EAS server {address} is already in maintenance (maintenance[{seen[address]}])")
            continue
        seen[address] = index
        if address not in used:
            known = sorted(used, key=_address_order)
            problem(
                where,
                f"no pool uses EAS server {address}, so maintenance would change nothing; "
                f"the pools name: {', '.join(known) if known else 'no server'}",
            )
    for label in site.drain.pools:
        if label not in labels:
            problem(
                ("drain", "pools", label),
                f"no pool is labelled {label!r}; known: {', '.join(sorted(labels))}",
            )


def _address_order(address: str) -> tuple[int, str]:
    return (1 if ":" in address else 0, address)
