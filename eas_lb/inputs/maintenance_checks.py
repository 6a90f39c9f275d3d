"""Checks of the site file's `eas_servers:`, `drain:` and `maintenance:` sections against the pools.

An address in `maintenance:` that no pool of any pair names would take nothing out of service:
most likely a typing mistake in the one line an operator changes before an upgrade, so it is an
error at that line, not a silent no-op. The same for a server name `eas_servers:` does not list,
a drain time given to a pool label that no pair has, and one server listed twice.

Warnings are for what is valid but may not do what the operator means: in scenario 1 an EAS
server has a management address (Layer 7) and a service address (Layer 4), so maintenance by one
address leaves the other layer sending the server new connections. An address of a server that
`eas_servers:` names, or any address a scenario-1 site gives in one layer only, gets a warning
that says which addresses stay in service and how to name the whole server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eas_lb.inputs.pools import Section
from eas_lb.inputs.site_maintenance import MaintenanceEntry
from eas_lb.inputs.site_models import PairPlan, Site

Report = Callable[[tuple[Any, ...], str], None]
#: Address → the sections of the pools (over every pair) that name it.
Layers = dict[str, set[Section]]
_LAYER_WORDS = {Section.MANAGEMENT: "'# MANAGEMENT' (Layer 7)", Section.SERVICE: "'# SERVICE' (Layer 4)"}


def check_maintenance(site: Site, plans: Sequence[PairPlan], problem: Report, warn: Report) -> None:
    """Report every `maintenance:` entry and `drain.pools` key that no pool uses, names that
    `eas_servers:` does not resolve, and warn where maintenance covers one layer only."""
    layers: Layers = {}
    labels: set[str] = set()
    for plan in plans:
        for pool in plan.pools.pools:
            labels.add(pool.label)
            for server in pool.servers:
                layers.setdefault(str(server), set()).add(pool.section)
    _check_eas_servers(site, layers, problem, warn)
    seen: dict[str, int] = {}
    for index, entry in enumerate(site.maintenance):
        where = ("maintenance", index, "server")
        addresses = _addresses_of(site, entry, where, problem)
        if addresses is None:
            continue
        again = [address for address in addresses if address in seen]
        if again:
            first = seen[again[0]]
            problem(where, f"EAS server {entry.server} is already in maintenance (maintenance[{first}])")
            continue
        seen.update(dict.fromkeys(addresses, index))
        if not any(address in layers for address in addresses):
            known = sorted(layers, key=_address_order)
            problem(
                where,
                f"no pool uses EAS server {entry.server}, so maintenance would change nothing; "
                f"the pools name: {', '.join(known) if known else 'no server'}",
            )
        elif entry.by_address:
            _warn_one_layer(site, entry.server, layers, where, warn)
    for label in site.drain.pools:
        if label not in labels:
            problem(
                ("drain", "pools", label),
                f"no pool is labelled {label!r}; known: {', '.join(sorted(labels))}",
            )
    if _scenario_1(layers) and not site.eas_servers and not site.maintenance:
        warn(
            ("pools",),
            "the pools give EAS servers a management and a service address (scenario 1) and the "
            "site file has no eas_servers:, so maintenance by address covers one layer only; name "
            "each server once with both addresses (eas_servers: [{name: eas-3, addresses: [MANAGEMENT, "
            "SERVICE]}]) and put it in maintenance by name",
        )


def _addresses_of(
    site: Site, entry: MaintenanceEntry, where: tuple[Any, ...], problem: Report
) -> list[str] | None:
    """The addresses an entry puts in maintenance; None (reported) for a name nobody declared."""
    if entry.by_address:
        return [entry.server]
    named = {server.name: server for server in site.eas_servers}
    server = named.get(entry.server)
    if server is None:
        known = ", ".join(sorted(named)) if named else "none: add an eas_servers: section"
        problem(
            where,
            f"no EAS server is named {entry.server!r} in eas_servers: (known names: {known}); "
            "give a name from there or one address as pools.txt names it",
        )
        return None
    return [str(address) for address in server.addresses]


def _check_eas_servers(site: Site, layers: Layers, problem: Report, warn: Report) -> None:
    """Each name once, each address in one server; an address no pool uses is a warning (a typo,
    or a server retired from pools.txt whose entry can go too)."""
    names: dict[str, int] = {}
    owners: dict[str, str] = {}
    for index, server in enumerate(site.eas_servers):
        if server.name in names:
            problem(
                ("eas_servers", index, "name"),
                f"EAS server {server.name!r} is already named (eas_servers[{names[server.name]}])",
            )
        names.setdefault(server.name, index)
        for number, value in enumerate(server.addresses):
            address, where = str(value), ("eas_servers", index, "addresses", number)
            if address in owners and owners[address] != server.name:
                message = f"{address} is also an address of EAS server {owners[address]!r}: one box each"
                problem(where, message)
            owners.setdefault(address, server.name)
            if address not in layers:
                warn(where, f"no pool uses {address} (EAS server {server.name}): a typing mistake?")


def _warn_one_layer(site: Site, address: str, layers: Layers, where: tuple[Any, ...], warn: Report) -> None:
    """Maintenance of one address that leaves the same EAS server in service on other VIPs."""
    server = site.eas_server_of(address)
    if server is not None:
        others = [str(other) for other in server.addresses if str(other) != address]
        if others:
            warn(
                where,
                f"{address} is one address of EAS server {server.title}: {', '.join(others)} "
                f"stay{'s' if len(others) == 1 else ''} in service and keep{'s' if len(others) == 1 else ''} "
                f"getting new connections; write server: {server.name} to take the whole server out",
            )
        return
    if _scenario_1(layers) and len(layers.get(address, set())) == 1:
        (section,) = layers[address]
        other = Section.SERVICE if section is Section.MANAGEMENT else Section.MANAGEMENT
        warn(
            where,
            f"maintenance by address covers one layer only: {address} is in {_LAYER_WORDS[section]} "
            f"pools only, and this EAS server's address in {_LAYER_WORDS[other]} pools stays in "
            "service; name the server with both addresses under eas_servers: and write server: NAME",
        )


def _scenario_1(layers: Layers) -> bool:
    """Pools with both sections whose addresses are not all shared: a server has two addresses."""
    by_section = {section: {a for a, found in layers.items() if section in found} for section in Section}
    management, service = by_section[Section.MANAGEMENT], by_section[Section.SERVICE]
    return bool(management) and bool(service) and management != service


def _address_order(address: str) -> tuple[int, str]:
    return (1 if ":" in address else 0, address)
