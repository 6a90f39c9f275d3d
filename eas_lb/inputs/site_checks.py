"""Checks across a site file and its pools file(s), each problem located in the file it is about.

`load_deployment()` reads a site and its pools file(s) and runs the checks that need both (a
scenario-1 pools file needs a service network; a NAT VIP must sit outside the EAS service subnet
and its servers inside it; no address is given to two things; each section of a pools file is
served by one pair, `serves`, and each pair's plan holds only the rows of its sections). With `before_use`, as
`eas-lb check` asks, it also refuses what only matters once the files are used:
`TODO` placeholders that `new-site` wrote, and CA files that cannot be read. Synth does not ask
for those, so that a scaffolded site (or the demo, which writes its CA later) still synthesizes.
Each problem is reported once, however many pairs share the file it is in.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Any, Literal

from eas_lb.inputs.capacity_checks import check_capacity_labels
from eas_lb.inputs.maintenance_checks import check_maintenance
from eas_lb.inputs.pools import Pool, PoolsFile, PoolsFileError, Problem, Section, load_pools
from eas_lb.inputs.site_models import Deployment, Pair, PairPlan, Site, SiteFileError
from eas_lb.inputs.site_reading import load_site_with_positions
from eas_lb.inputs.yaml_input import Positions, locate, where_text

#: The comment `new-site` puts after every value the user still has to give.
_TODO_COMMENT = re.compile(r"(?:^|\s)#\s*(TODO\b.*)$")
#: The first line of the placeholder pools.txt that `new-site` writes.
PLACEHOLDER_POOLS_MARK = "# Placeholder: replace this file"


def load_deployment(
    path: Path, *, pools_override: Path | None = None, before_use: bool = False
) -> Deployment:
    """Load a site file and its pools, and check that they fit together.

    `pools_override` checks another pools file against the site (for `eas-lb check`).
    `before_use` adds the checks of files about to be used: placeholders left, CA files readable.
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
    warnings: list[str] = []

    def problem(location: tuple[Any, ...], message: str) -> None:
        line, column = locate(positions, location)
        problems.append(Problem(str(path), line, column, f"{where_text(location)}: {message}"))

    def warn(location: tuple[Any, ...], message: str) -> None:
        line, _ = locate(positions, location)
        warnings.append(f"{path}:{line}: warning: {where_text(location)}: {message}")

    _check_names(site, problem)
    if before_use:
        problems += _placeholders(path)
        _check_ca_files(site, problem)
    plans: list[PairPlan] = []
    loaded: dict[Path, PoolsFile | None] = {}
    sharing: dict[Path, tuple[PoolsFile, list[int]]] = {}  # the pairs (indexes) of each pools file
    for index, pair in enumerate(site.pairs):
        pools_path = site.pools_path(pair)
        if pools_path not in loaded:  # pairs sharing a pools file: its problems are listed once
            loaded[pools_path] = _read_pools(
                pools_path, ("pairs", index), pair, pools_override, problem, problems
            )
        pools = loaded[pools_path]
        if pools is None:
            continue
        earlier = sharing.setdefault(pools_path, (pools, []))[1]
        plan = _plan_pair(site, index, pools, earlier[:], problem)
        earlier.append(index)
        if plan is not None:
            problems += _servers_outside_subnet(pair, plan.pools, ("pairs", index), positions, path)
            plans.append(plan)
    for pools, indexes in sharing.values():
        _check_sections(site, pools, indexes, problem)
    _check_addresses(site, plans, problem, problems)
    if len(plans) == len(site.pairs):  # with a pools file unreadable, "no pool uses it" is unknown
        check_maintenance(site, plans, problem, warn)
        check_capacity_labels(site, plans, problem)
    if problems:
        raise SiteFileError(list(dict.fromkeys(problems)))
    return Deployment(site=site, source=path, pairs=tuple(plans), warnings=tuple(dict.fromkeys(warnings)))


def _read_pools(
    pools_path: Path,
    where: tuple[Any, ...],
    pair: Pair,
    pools_override: Path | None,
    problem: Any,
    problems: list[Problem],
) -> PoolsFile | None:
    """The pair's pools file, or None with its problems listed (the placeholder new-site wrote
    named as such; a file unusable as a whole pointed at the site file's line naming it)."""
    try:
        return load_pools(pools_path)
    except PoolsFileError as error:
        if _is_placeholder(pools_path):
            message = (
                "still the placeholder pools.txt written by new-site: replace it with the pools.txt "
                "of your EAS servers (eas-lb fetch-pools, or copy it as it is)"
            )
            problems.append(Problem(str(pools_path), 1, 1, message))
            return None
        for found in error.problems:
            if found.line == 0 and pools_override is None:
                named_at = (*where, "pools") if pair.pools is not None else ("pools",)
                problem(named_at, f"{found.source}: {found.message}")
            else:
                problems.append(found)
        return None


def _plan_pair(site: Site, index: int, pools: PoolsFile, earlier: list[int], problem: Any) -> PairPlan | None:
    """What one pair will serve from its pools file, checked; None when there is nothing to plan
    (it would serve nothing, or a section an `earlier` pair sharing the file already serves)."""
    pair = site.pairs[index]
    where: tuple[Any, ...] = ("pairs", index)
    if site.scenario != "auto" and site.scenario != pools.scenario:
        problem(
            ("scenario",),
            f"scenario {site.scenario} does not match {pools.source}, which is scenario {pools.scenario} "
            "(both sections: 1; '# MANAGEMENT' only: 2); fix one of them or use 'auto'",
        )
    served = pair.served(pools)
    if not served.pools:
        problem(
            (*where, "serves"),
            f"this pair serves '# SERVICE' only, and {pools.source} has no '# SERVICE' section: it would "
            "bring up nothing; write 'serves: both' (or remove the pair)",
        )
        return None
    present = {pool.section for pool in pools.pools}
    claimed = {section for other in earlier for section in site.pairs[other].sections}
    if pair.sections & claimed & present:
        return None  # a section served twice: _check_sections says which key to write; the rest is noise
    if pair.serves == "management":
        _check_management_only(site, index, problem)
    vips = _check_pair(pair, served, where, problem)
    return PairPlan(pair=pair, pools=served, service_vips=vips)


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


_SECTION_KEYS = {Section.MANAGEMENT: "management", Section.SERVICE: "service"}


def _check_sections(site: Site, pools: PoolsFile, indexes: list[int], problem: Any) -> None:
    """Each section of a pools file is served by exactly one of the pairs that use the file.

    Two pairs serving one section would bring every VIP of it up twice (an address conflict on
    any real network); a section no pair serves would silently never be deployed.
    """
    names = {index: site.pairs[index].name for index in indexes}
    doubled: dict[int, tuple[int, list[str]]] = {}  # pair -> (the pair serving it first, sections)
    for section, rows in ((Section.MANAGEMENT, pools.management), (Section.SERVICE, pools.service)):
        if not rows:
            continue
        serving = [index for index in indexes if section in site.pairs[index].sections]
        if not serving:
            first = indexes[0]
            problem(
                ("pairs", first, "serves"),
                f"'# {section}' of {pools.source} (from line {rows[0].line}) is served by no pair, so its "
                f"VIPs would never be deployed: write 'serves: both' on pair {names[first]!r}, or add "
                f"the pair that serves them with 'serves: {_SECTION_KEYS[section]}'",
            )
        for index in serving[1:]:
            doubled.setdefault(index, (serving[0], []))[1].append(f"'# {section}'")
    for index, (first, sections) in doubled.items():
        service, management = names[first], names[index]
        if _has_service_network(site.pairs[index]) and not _has_service_network(site.pairs[first]):
            service, management = management, service
        problem(
            ("pairs", index, "serves"),
            f"pair {names[index]!r} and pair {names[first]!r} (pairs[{first}]) both serve "
            f"{' and '.join(sections)} of {pools.source}, so each of those VIPs would come up on both "
            f"pairs: write 'serves: service' on pair {service!r} and 'serves: management' on pair "
            f"{management!r} (two HA pairs, deployment guide 8.1), or keep one pair with 'serves: both'",
        )


def _has_service_network(pair: Pair) -> bool:
    return pair.eas_service_subnet is not None or any(node.service_ip is not None for node in pair.nodes)


#: What the service network of a pair is made of: its keys in the site file.
_SERVICE_NETWORK_KEYS = ("service_vip", "service_vips", "service_gateway", "eas_service_subnet")
_SERVICE_NODE_KEYS = ("service_ip", "external_ip")


def _check_management_only(site: Site, index: int, problem: Any) -> None:
    """A `serves: management` pair sits in the management network only: the service network's
    addresses (eth1, eth2, service VIPs, the service gateway) belong to the pair serving `# SERVICE`."""
    pair = site.pairs[index]
    service_pairs = [other.name for other in site.pairs if other.serves == "service"]
    there = (
        f"pair {service_pairs[0]!r}, which serves '# SERVICE'"
        if service_pairs
        else "the pair serving '# SERVICE'"
    )
    fix = "move it there, or remove it"
    for key in _SERVICE_NETWORK_KEYS:
        if getattr(pair, key):
            problem(
                ("pairs", index, key),
                f"pair {pair.name!r} serves '# MANAGEMENT' only (serves: management), so it has no service "
                f"network: {key} belongs to {there}; {fix}",
            )
    for role, node in (("primary", pair.primary), ("secondary", pair.secondary)):
        for key in _SERVICE_NODE_KEYS:
            if node is not None and getattr(node, key) is not None:
                interface = "eth1" if key == "service_ip" else "eth2"
                problem(
                    ("pairs", index, role, key),
                    f"pair {pair.name!r} serves '# MANAGEMENT' only (serves: management): {interface} "
                    f"({key}) is on the appliances of {there}; {fix}",
                )


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


def _is_placeholder(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline().startswith(PLACEHOLDER_POOLS_MARK)
    except OSError:
        return False


def _placeholders(path: Path) -> list[Problem]:
    """Every `# TODO` comment `new-site` left: its value is a documentation-range placeholder."""
    text = path.read_bytes().decode("utf-8-sig")
    found = []
    for number, line in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        match = _TODO_COMMENT.search(line)
        if match is None:
            continue
        value = line[: match.start()].strip()
        message = (
            f"placeholder left by new-site ({match.group(1)}): replace '{value}' with the real value "
            "and remove the TODO comment"
        )
        found.append(Problem(str(path), number, match.start(1) + 1, message))
    return found


def ca_file_fault(ca_file: Path, *, pem: bool = False) -> Literal["missing", "unreadable", "not PEM"] | None:
    """What keeps a site's CA file from checking an appliance's certificate: it is missing (or not
    a file), cannot be read, or (with `pem`) holds no PEM certificate. `check`, drift and the
    appliance clients word it each for their own reader; the test is this one."""
    if not ca_file.is_file():
        return "missing"
    if not os.access(ca_file, os.R_OK):
        return "unreadable"
    if pem and b"-----BEGIN CERTIFICATE-----" not in ca_file.read_bytes():
        return "not PEM"
    return None


def _check_ca_files(site: Site, problem: Any) -> None:
    """A CA file that is missing or unreadable fails every API call; say so before any is made."""
    for index, pair in enumerate(site.pairs):
        for role, node in (("primary", pair.primary), ("secondary", pair.secondary)):
            if node is None or node.ca_file is None:
                continue
            where = ("pairs", index, role, "ca_file")
            fault = ca_file_fault(node.ca_file)
            if fault == "missing":
                problem(
                    where,
                    f"{node.ca_file} does not exist (or is not a file): export the appliance's CA there",
                )
            elif fault == "unreadable":
                problem(where, f"{node.ca_file} cannot be read: check its permissions")


def _servers_outside_subnet(
    pair: Pair, pools: PoolsFile, where: tuple[Any, ...], positions: Positions, path: Path
) -> list[Problem]:
    """NAT mode: the EAS servers reply through the appliance, so they must be on its service subnet."""
    subnet = pair.eas_service_subnet
    if subnet is None or pools.scenario == 2:
        return []
    line, column = locate(positions, (*where, "eas_service_subnet"))
    found = []
    for pool in pools.service:
        outside = [str(server) for server in pool.servers if server not in subnet]
        if outside:
            message = (
                f"{pool.label}: server{'s' if len(outside) > 1 else ''} {', '.join(outside)} outside "
                f"eas_service_subnet {subnet} ({path}:{line}:{column}); in NAT mode the servers must be on "
                "that subnet so their replies come back through the appliance"
            )
            found.append(Problem(pools.source, pool.line, 1, message))
    return found


def _check_addresses(site: Site, plans: list[PairPlan], problem: Any, problems: list[Problem]) -> None:
    """An address given to two things: an appliance, a floating IP or a VIP (address and port)."""
    owners = _interface_owners(site, problem)
    _check_vip_addresses(site, plans, owners, problem, problems)


def _interface_owners(site: Site, problem: Any) -> dict[Any, str]:
    """Who owns each appliance interface and service gateway address; a second owner is a problem."""
    owners: dict[Any, str] = {}
    for index, pair in enumerate(site.pairs):
        for role, node in (("primary", pair.primary), ("secondary", pair.secondary)):
            if node is None:
                continue
            for key in ("management_ip", "service_ip", "external_ip"):
                interface = getattr(node, key)
                if interface is None:
                    continue
                owner = f"{key} of {node.name}"
                address = interface.ip
                if address in owners:
                    problem(("pairs", index, role, key), f"{address} is also the {owners[address]}")
                else:
                    owners[address] = owner
        if pair.service_gateway is not None:
            address = pair.service_gateway
            if address in owners:
                problem(("pairs", index, "service_gateway"), f"{address} is also the {owners[address]}")
            else:
                owners[address] = f"service_gateway of {pair.name}"
    return owners


def _check_vip_addresses(
    site: Site, plans: list[PairPlan], owners: dict[Any, str], problem: Any, problems: list[Problem]
) -> None:
    """A VIP address on two pairs, on an interface or gateway, or a service endpoint used twice."""
    endpoints: dict[tuple[Any, int], str] = {}
    vip_pairs: dict[Any, tuple[PairPlan, Pool]] = {}  # a VIP address is a floating IP of one pair only
    for plan in plans:
        where = ("pairs", site.pairs.index(plan.pair))
        from_site: dict[tuple[Any, ...], list[str]] = {}  # one problem per site-file VIP, not per pool
        other_pair: set[Any] = set()
        for pool in plan.pools.pools:
            vip = pool.pool_ip or plan.service_vips.get(pool.name)
            if vip is None:
                continue
            first = vip_pairs.setdefault(vip, (plan, pool))
            if first[0].pair.name != plan.pair.name and vip not in other_pair:
                other_pair.add(vip)
                message = (
                    f"VIP {vip} ({pool.label}) is also a VIP of pair {first[0].pair.name!r} "
                    f"({first[1].label}): both pairs would bring the address up as a floating IP; "
                    "give each pair its own VIP addresses"
                )
                if pool.pool_ip is not None:
                    problems.append(Problem(plan.pools.source, pool.line, 1, message))
                else:
                    by_name = pool.name in plan.pair.service_vips
                    problem(
                        (*where, "service_vips", pool.name) if by_name else (*where, "service_vip"), message
                    )
            if vip in owners:
                if pool.pool_ip is not None:
                    message = f"{pool.label}: VIP {vip} is also the {owners[vip]}"
                    problems.append(Problem(plan.pools.source, pool.line, 1, message))
                else:
                    by_name = pool.name in plan.pair.service_vips
                    located = (*where, "service_vips", pool.name) if by_name else (*where, "service_vip")
                    from_site.setdefault((*located, vip), []).append(pool.label)
            if pool.section is not Section.SERVICE:
                continue  # pools.txt refuses management duplicates; _check_pair a service VIP on one
            endpoint = (vip, pool.port)
            previous = endpoints.get(endpoint)
            if previous is not None and previous != pool.label:
                message = f"{pool.label}: VIP {vip}:{pool.port} is also the VIP of {previous}"
                problems.append(Problem(plan.pools.source, pool.line, 1, message))
            endpoints.setdefault(endpoint, pool.label)
        for site_key, labels in from_site.items():
            shared = site_key[-1]
            problem(site_key[:-1], f"VIP {shared} ({', '.join(labels)}) is also the {owners[shared]}")
