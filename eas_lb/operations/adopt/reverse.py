"""From an appliance's `list dumpconfig` back to pools rows: the reverse of `eas_lb.guide.mapping`.

A Layer 7 VIP is a `# MANAGEMENT` pool, a Layer 4 VIP a `# SERVICE` pool. A VIP belongs to the
pool its label names (`MGMT_<POOL>` / `SERV_<POOL>`, as the guide suggests); with a pools file,
a VIP labelled otherwise belongs to the pool of its section with the same address and port.
Without a pools file such a VIP cannot be named (the pool name is the EAS's, and guessing one
would tie the Terraform addresses to a guess): it is left alone and listed, with a hint when its
servers are EAS servers. Every other VIP is unrelated to EAS and is left untouched.

Pure: dictionaries in, typed findings out.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eas_lb.guide import mapping
from eas_lb.guide.adoption import AdoptedPool
from eas_lb.inputs.pools import IPAddress, Pool, PoolsFile, Section
from eas_lb.inputs.site import Pair
from lborg_provider.model.config_view import reals, virtuals
from lborg_provider.model.normalize import first_port, flag, number_or, ports_text, text

_GUIDE_LABEL = re.compile(r"^(MGMT|SERV)_([A-Za-z0-9_-]+)$")
_GUIDE_SERVER = re.compile(r"^EAS_SSS-([0-9]+)$")
SECTION_OF_LAYER = {"7": Section.MANAGEMENT, "4": Section.SERVICE}
PREFIX_OF_SECTION = {Section.MANAGEMENT: "MGMT", Section.SERVICE: "SERV"}
#: Layer 7 persistence timeout when the element has none (the appliance's default, in minutes).
_L7_DEFAULT_PERSIST_MINUTES = 30
_L4_DEFAULT_PERSIST_SECONDS = 300


@dataclass(frozen=True)
class FoundServer:
    label: str
    ip: str
    port: int | None


@dataclass(frozen=True)
class FoundVip:
    """One VIP as the appliance has it."""

    layer: str
    label: str
    ip: str
    ports: str
    element: dict[str, Any] = field(repr=False, compare=False)
    servers: tuple[FoundServer, ...] = ()

    @property
    def section(self) -> Section:
        return SECTION_OF_LAYER[self.layer]

    @property
    def port(self) -> int | None:
        return first_port(self.ports)

    # Properties alike lborg_simulator/nat_network.py's in shape; eas_lb never imports the simulator.
    @property
    def where(self) -> str:
        return f"{self.ip}:{self.ports}"

    @property
    def kind(self) -> str:
        return f"Layer {self.layer} VIP"


@dataclass(frozen=True)
class Unmanaged:
    """An object adopt leaves as it is, and why."""

    appliance: str
    kind: str
    name: str
    reason: str
    #: A pool on the appliance that the pools file does not have (also a difference in pool terms).
    extra_pool: bool = False
    #: The VIP's label, for a VIP.
    vip_label: str | None = None


@dataclass
class ReverseMapping:
    """What one appliance's configuration means in pool terms."""

    rows: list[Pool] = field(default_factory=list)
    matched: dict[tuple[Section, str], FoundVip] = field(default_factory=dict)
    names: list[AdoptedPool] = field(default_factory=list)
    unmanaged: list[Unmanaged] = field(default_factory=list)


def found_vips(config: dict[str, Any]) -> list[FoundVip]:
    """Every VIP of both layers, in appliance order."""
    result = []
    for layer in ("7", "4"):
        for element in virtuals(config, layer):
            servers = tuple(
                FoundServer(
                    text(real.get("label")),
                    text(real.get("server")),
                    _int(real.get("port")),
                )
                for real in reals(element)
            )
            result.append(
                FoundVip(
                    layer,
                    text(element.get("label")),
                    text(element.get("server")),
                    ports_text(element.get("ports")),
                    element,
                    servers,
                )
            )
    return result


def _int(value: Any) -> int | None:
    number = number_or(value, None)
    return int(number) if number is not None else None


def guide_name(vip: FoundVip) -> str | None:
    """The pool name in a guide label of this VIP's section (`MGMT_HTTP-80` → `HTTP-80`)."""
    found = _GUIDE_LABEL.match(vip.label)
    if found is None or found.group(1) != PREFIX_OF_SECTION[vip.section]:
        return None
    return found.group(2)


def sticky_seconds(vip: FoundVip) -> int:
    """The pools row's sticky value that gives this VIP's persistence under the guide's mapping."""
    element = vip.element
    if vip.layer == "7":
        if text(element.get("persistence")) in ("", "none"):
            return 0
        minutes = _int(element.get("persist_time"))
        return (minutes if minutes is not None else _L7_DEFAULT_PERSIST_MINUTES) * 60
    if not flag(element.get("persistent")):
        return 0
    seconds = _int(element.get("persist_time"))
    return seconds if seconds is not None else _L4_DEFAULT_PERSIST_SECONDS


def _server_order(servers: Sequence[FoundServer]) -> list[FoundServer]:
    """The guide's `EAS_SSS-<n>` in number order first, then the others as the appliance lists them."""

    def key(item: tuple[int, FoundServer]) -> tuple[int, int]:
        position, server = item
        numbered = _GUIDE_SERVER.match(server.label)
        return (0, int(numbered.group(1))) if numbered else (1, position)

    return [server for _, server in sorted(enumerate(servers), key=key)]


def service_vip_of(pair: Pair, name: str) -> IPAddress | None:
    """The address the site file gives a `-` service pool."""
    return pair.service_vips.get(name) or pair.service_vip


def row_from_vip(vip: FoundVip, name: str, pair: Pair) -> tuple[Pool | None, list[FoundServer]]:
    """The pools row that reproduces `vip` (None when it cannot: no port or no real server),
    and the real servers that did not fit in it (a second server on the same address)."""
    port = vip.port
    if port is None:
        return None, []
    kept: list[FoundServer] = []
    left_over: list[FoundServer] = []
    seen: set[IPAddress] = set()
    for server in _server_order(vip.servers):
        try:
            address = ipaddress.ip_address(server.ip)
        except ValueError:
            left_over.append(server)
            continue
        if address in seen:
            left_over.append(server)
            continue
        seen.add(address)
        kept.append(server)
    if not kept:
        return None, left_over
    try:
        address = ipaddress.ip_address(vip.ip)
    except ValueError:
        return None, left_over
    pool_ip: IPAddress | None = address
    if vip.section is Section.SERVICE and service_vip_of(pair, name) == address:
        pool_ip = None  # `-`: the site file chooses it, as the EAS writes it
    row = Pool(
        section=vip.section,
        name=name,
        pool_ip=pool_ip,
        port=port,
        sticky=sticky_seconds(vip),
        servers=tuple(ipaddress.ip_address(server.ip) for server in kept),
    )
    return row, left_over


def names_to_keep(pool: Pool, vip: FoundVip) -> AdoptedPool | None:
    """The VIP and real server labels the code must keep for `pool` to import `vip` as it is.

    A real server of the row keeps its label when it is not `EAS_SSS-<address>`: one a person
    chose, the guide's own example `EAS_SSS-1`, or a position label of earlier versions. The API
    cannot rename a real server, so a new label would re-create it. A second real server on one
    address is not the row's (it is listed as unmanaged); the first one is.
    """
    vip_label = None if vip.label == pool.label else vip.label
    wanted = {str(ip) for ip in pool.servers}
    on_appliance: dict[str, str] = {}
    for server in vip.servers:
        if server.ip in wanted and server.label:
            on_appliance.setdefault(server.ip, server.label)
    kept = {ip: label for ip, label in on_appliance.items() if label != mapping.real_server_label(ip)}
    if vip_label is None and not kept:
        return None
    return AdoptedPool(section=pool.section, name=pool.name, vip_label=vip_label, server_labels=kept)


def _address_of(row: Pool, pair: Pair) -> IPAddress | None:
    return row.pool_ip if row.pool_ip is not None else service_vip_of(pair, row.name)


def reverse_map(
    appliance: str, config: dict[str, Any], pair: Pair, pools: PoolsFile | None
) -> ReverseMapping:
    """Map every VIP of the primary's configuration to a pools row, or list it as unmanaged."""
    mapper = _ReverseMapper(appliance, found_vips(config), pair, pools)
    mapper.claim_guide_labels()
    if pools is not None:
        mapper.claim_by_address(pools)
    mapper.collect_rows()
    mapper.keep_names_and_list_stray_servers()
    mapper.list_the_rest()
    return mapper.result


@dataclass
class _ReverseMapper:
    """The steps of `reverse_map`, in order, sharing what each VIP has been claimed for."""

    appliance: str
    vips: list[FoundVip]
    pair: Pair
    pools: PoolsFile | None
    result: ReverseMapping = field(default_factory=ReverseMapping)
    claimed: set[int] = field(default_factory=set)
    #: (section, address) of the real servers of every matched VIP, before `collect_rows` drops
    #: the VIPs that are not pools: a hand-labelled VIP whose servers are all here may be EAS's.
    eas_servers: set[tuple[Section, str]] = field(default_factory=set)

    def _claim(self, index: int, key: tuple[Section, str]) -> None:
        self.claimed.add(index)
        self.result.matched[key] = self.vips[index]

    def _unmanaged_vip(self, vip: FoundVip, reason: str, *, extra_pool: bool = False) -> None:
        self.result.unmanaged.append(
            Unmanaged(
                self.appliance,
                vip.kind,
                f"{vip.label} ({vip.where})",
                reason,
                extra_pool=extra_pool,
                vip_label=vip.label,
            )
        )

    def claim_guide_labels(self) -> None:
        """Guide labels name their pool; with a pools file, one it does not list is left alone."""
        pools = self.pools
        rows = {(row.section, row.name) for row in pools.pools} if pools is not None else set()
        for index, vip in enumerate(self.vips):
            name = guide_name(vip)
            if name is None:
                continue
            key = (vip.section, name)
            if key in self.result.matched:
                continue
            if pools is not None and key not in rows:
                reason = f"{pools.source} has no pool {name} in '# {vip.section}'; left as it is"
                self._unmanaged_vip(vip, reason, extra_pool=True)
                self.claimed.add(index)
                continue
            self._claim(index, key)

    def claim_by_address(self, pools: PoolsFile) -> None:
        """A VIP labelled otherwise is its section's pool at the same address and port."""
        for index, vip in enumerate(self.vips):
            if index in self.claimed:
                continue
            for row in pools.pools:
                key = (row.section, row.name)
                if key in self.result.matched or row.section is not vip.section:
                    continue
                address = _address_of(row, self.pair)
                if address is not None and str(address) == vip.ip and row.port == vip.port:
                    self._claim(index, key)
                    break

    def collect_rows(self) -> None:
        """The rows: from the pools file when there is one, else built from the appliance."""
        matched = self.result.matched.values()
        self.eas_servers = {
            (vip.section, server.ip) for vip in matched for server in vip.servers if server.ip
        }
        if self.pools is not None:
            self.result.rows = list(self.pools.pools)
            return
        for key, vip in list(self.result.matched.items()):
            built, _ = row_from_vip(vip, key[1], self.pair)
            if built is None:
                del self.result.matched[key]
                reason = "it has no port" if vip.port is None else "it has no real server with an IP address"
                self._unmanaged_vip(vip, f"not a pool: {reason}")
                continue
            self.result.rows.append(built)

    def keep_names_and_list_stray_servers(self) -> None:
        """Names to keep, and real servers that no row can hold (a second one on an address, or
        an address the row does not list)."""
        by_key = {(row.section, row.name): row for row in self.result.rows}
        source = self.pools.source if self.pools else "pools.txt"
        for key, vip in self.result.matched.items():
            row = by_key[key]
            kept = names_to_keep(row, vip)
            if kept is not None:
                self.result.names.append(kept)
            wanted = {str(ip) for ip in row.servers}
            seen: set[str] = set()
            for server in vip.servers:
                if server.ip in wanted and server.ip not in seen:
                    seen.add(server.ip)
                    continue
                reason = (
                    "a second real server on the same address"
                    if server.ip in seen
                    else f"{source} does not list {server.ip} in {row.name}"
                )
                where = f"{vip.label}/{server.label} ({server.ip})"
                self.result.unmanaged.append(
                    Unmanaged(self.appliance, "real server", where, reason + "; left as it is")
                )

    def list_the_rest(self) -> None:
        """Everything else is not EAS's, with a hint where it looks like an EAS pool."""
        matched = self.result.matched.values()
        for index, vip in enumerate(self.vips):
            if index in self.claimed or any(found is vip for found in matched):
                continue
            mismatch = _GUIDE_LABEL.match(vip.label)
            if mismatch is not None:
                reason = f"labelled as a {mismatch.group(1)} pool but it is a {vip.kind}; left as it is"
            elif (
                self.pools is None
                and vip.servers
                and all((vip.section, s.ip) in self.eas_servers for s in vip.servers)
            ):
                reason = (
                    "its servers are EAS servers, so it may be an EAS pool labelled by hand: copy pools.txt "
                    "from an EAS server and run adopt again to match it by address and port; left as it is"
                )
            else:
                reason = "not an EAS pool; left untouched"
            self._unmanaged_vip(vip, reason)
