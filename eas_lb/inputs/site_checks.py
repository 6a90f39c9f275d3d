"""Checks across a site file and its pools file(s), each problem located in the file it is about.

`load_deployment()` reads a site and its pools file(s) and runs the checks that need both (a
scenario-1 pools file needs a service network; a NAT VIP must sit outside the EAS service subnet).
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from eas_lb.inputs.pools import PoolsFile, PoolsFileError, Problem, load_pools
from eas_lb.inputs.site_models import Deployment, Pair, PairPlan, Site, SiteFileError
from eas_lb.inputs.site_reading import load_site_with_positions
from eas_lb.inputs.yaml_input import locate, where_text


def load_deployment(path: Path, *, pools_override: Path | None = None) -> Deployment:
    """Load a site file and its pools, and check that they fit together.

    `pools_override` checks another pools file against the site (for `python -m eas_lb check`).
    """
    site, positions = load_site_with_positions(path)
    if pools_override is not None:
        site = site.model_copy(
            update={
                "pools": pools_override,
                "pairs": tuple(pair.model_copy(update={"pools": None}) for pair in site.pairs),
            }
        )
    problems: list[Problem] = []

    def problem(location: tuple[Any, ...], message: str) -> None:
        line, column = locate(positions, location)
        problems.append(Problem(str(path), line, column, f"{where_text(location)}: {message}"))

    _check_names(site, problem)
    plans: list[PairPlan] = []
    for index, pair in enumerate(site.pairs):
        where: tuple[Any, ...] = ("pairs", index)
        try:
            pools = load_pools(site.pools_path(pair))
        except PoolsFileError as error:
            for found in error.problems:
                if found.line == 0 and pools_override is None:
                    # The file as a whole is unusable: point at the site file's line naming it.
                    named_at = (*where, "pools") if pair.pools is not None else ("pools",)
                    problem(named_at, f"{found.source}: {found.message}")
                else:
                    problems.append(found)
            continue
        if site.scenario != "auto" and site.scenario != pools.scenario:
            problem(
                ("scenario",),
                f"scenario {site.scenario} does not match {pools.source}, which is scenario {pools.scenario} "
                "(both sections: 1; '# MANAGEMENT' only: 2); fix one of them or use 'auto'",
            )
        vips = _check_pair(pair, pools, where, problem)
        plans.append(PairPlan(pair=pair, pools=pools, service_vips=vips))
    if problems:
        raise SiteFileError(problems)
    return Deployment(site=site, source=path, pairs=tuple(plans))


def _check_names(site: Site, problem: Any) -> None:
    seen_pairs: set[str] = set()
    seen_nodes: dict[str, tuple[Any, ...]] = {}
    for index, pair in enumerate(site.pairs):
        if pair.name in seen_pairs:
            message = f"pair name {pair.name!r} is used twice; stack names must be unique"
            problem(("pairs", index, "name"), message)
        seen_pairs.add(pair.name)
        for role, node in (("primary", pair.primary), ("secondary", pair.secondary)):
            if node is None:
                continue
            if node.name in seen_nodes:
                problem(("pairs", index, role, "name"), f"appliance name {node.name!r} is used twice")
            seen_nodes[node.name] = ("pairs", index, role)


def _check_pair(
    pair: Pair, pools: PoolsFile, where: tuple[Any, ...], problem: Any
) -> dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address]:
    vips: dict[str, ipaddress.IPv4Address | ipaddress.IPv6Address] = {}
    if pools.scenario == 2:
        return vips
    service_names = {pool.name for pool in pools.service}
    for name in pair.service_vips:
        if name not in service_names:
            problem(
                (*where, "service_vips", name),
                f"{name!r} is not a '# SERVICE' pool in {pools.source}; "
                f"known: {', '.join(sorted(service_names))}",
            )
    subnet = pair.eas_service_subnet
    missing_network = subnet is None or any(node.service_ip is None for node in pair.nodes)
    if missing_network:
        problem(
            where,
            f"{pools.source} has a '# SERVICE' section (scenario 1) but this pair has no service network: "
            "set eas_service_subnet and service_ip (eth1) on every appliance, or use a pools file "
            "with '# MANAGEMENT' only",
        )
    if pair.secondary is not None and pair.service_gateway is None:
        problem(
            where,
            "an HA pair in scenario 1 needs service_gateway: the floating IP the EAS servers use as their "
            "service-network gateway, so replies follow a fail-over",
        )
    management_endpoints = {(pool.pool_ip, pool.port): pool for pool in pools.management}
    inside_subnet: dict[tuple[Any, ...], list[str]] = {}
    for pool in pools.service:
        chosen = pool.pool_ip or pair.service_vips.get(pool.name) or pair.service_vip
        if chosen is None:
            problem(
                (*where, "service_vip"),
                f"service pool {pool.name!r} (line {pool.line}) has '-' as its IP: set service_vip, "
                f"or service_vips: {{{pool.name}: ADDRESS}}",
            )
            continue
        by_name = pool.name in pair.service_vips
        located = (*where, "service_vips", pool.name) if by_name else (*where, "service_vip")
        if subnet is not None and chosen in subnet:
            inside_subnet.setdefault((*located, str(chosen)), []).append(pool.label)
        clash = management_endpoints.get((chosen, pool.port))
        if clash is not None:
            problem(located, f"service VIP {chosen}:{pool.port} is already used by {clash.label}")
        vips[pool.name] = chosen
    for key, labels in inside_subnet.items():
        address = key[-1]
        problem(
            key[:-1],
            f"service VIP {address} ({', '.join(labels)}) is inside the EAS service subnet {subnet}; "
            "NAT mode needs a VIP outside it",
        )
    return vips
