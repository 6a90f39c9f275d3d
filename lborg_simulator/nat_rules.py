"""Layer 4 NAT VIPs as nftables rules: what ldirectord would put in the IPVS table, as the kernel's NAT.

Pure: the running configuration, the real servers' states and their health in, an `nft` script
out. Each choice where nftables works otherwise than IPVS is in docs/appliance-api.md, "Layer 4 as
the kernel does it (kernel-NAT lab)":

- scheduling: `wrr` (the guide's) is `numgen inc mod N` over the servers, each listed in
  proportion to its weight; IPVS's other schedulers have no nftables equivalent and use it too;
- persistence: one dynamic set per real server of a persistent VIP holds the source addresses it
  served, each for `persist_time` seconds after its last new connection (IPVS's template);
- a real server in the table at weight 0 (`drain`, or failed with `quiescent = yes`) gets no new
  connection but its persistent clients, as IPVS does; a `halt`ed one, or a failed one with
  `quiescent = no`, is out of the table;
- a connection to a VIP no real server can take is refused (IPVS answers ICMP port unreachable);
- a packet of a connection the kernel no longer tracks (its real server was removed and its
  entry deleted) is dropped, as IPVS drops packets without a destination (`expire_nodest_conn` 0).
"""

from __future__ import annotations

import ipaddress
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from lborg_simulator.config import get_text, section, virtuals
from lborg_simulator.haproxy_render import PASSIVE, RealStatus, VipStatus
from lborg_simulator.validation import port_groups

PORT_TRANSLATION = "not used: a real-server port other than the VIP's is not emulated by kernel NAT"


@dataclass(frozen=True)
class NatReal:
    label: str
    ip: str
    check_port: int
    weight: int
    state: str  # online, drain or halt (the last drain/halt/online action)


@dataclass(frozen=True)
class NatVip:
    label: str
    ip: str
    ports: tuple[str, ...]
    persist_seconds: int  # 0: not persistent
    reals: tuple[NatReal, ...]

    @property
    def port_match(self) -> str:
        return "{ " + ", ".join(self.ports) + " }"


@dataclass(frozen=True)
class ChecksConfig:
    """ldirectord's global check settings (the `ldirectord` section's `global`)."""

    interval: float
    timeout: float
    failurecount: int
    quiescent: bool


def checks_config(running: ET.Element) -> ChecksConfig:
    glob = section(section(running, "ldirectord"), "global")
    return ChecksConfig(
        interval=float(get_text(glob, "checkinterval", "10") or 10),
        timeout=float(get_text(glob, "checktimeout", "5") or 5),
        failurecount=int(get_text(glob, "failurecount", "1") or 1),
        quiescent=get_text(glob, "quiescent", "yes") != "no",
    )


def _ipv4(text: str) -> bool:
    try:
        return ipaddress.ip_address(text).version == 4
    except ValueError:
        return False


def nat_vips(
    running: ET.Element, opstate: dict[str, dict[str, str]], active: bool
) -> tuple[list[NatVip], list[VipStatus]]:
    """The Layer 4 VIPs this node serves, and each VIP's status for `nodestatus`."""
    served: list[NatVip] = []
    statuses: list[VipStatus] = []
    for virtual in virtuals(running, "4"):
        label, ip, ports = get_text(virtual, "label"), get_text(virtual, "server"), get_text(virtual, "ports")
        status = VipStatus(label, "4", ip, ports, bound=False)
        statuses.append(status)
        groups = tuple(port_groups(ports))
        reals = _reals(virtual, groups, opstate.get(label, {}), status)
        if not _ipv4(ip) or not groups:
            status.reason = "not bound: the kernel-NAT lab serves IPv4 VIPs with ports"
        elif get_text(virtual, "protocol", "tcp") != "tcp":
            status.reason = f"not bound: protocol {get_text(virtual, 'protocol')} is not emulated"
        elif not active:
            status.reason = PASSIVE
        else:
            status.bound = True
            persistent = get_text(virtual, "persistent", "off") == "on"
            seconds = int(get_text(virtual, "persist_time", "300") or 0) if persistent else 0
            served.append(NatVip(label, ip, groups, seconds, tuple(reals)))
    return served, statuses


def _reals(
    virtual: ET.Element, groups: tuple[str, ...], states: dict[str, str], status: VipStatus
) -> list[NatReal]:
    check_port = get_text(virtual, "check/port")
    reals = []
    for real in virtual.findall("real"):
        label, ip, port = get_text(real, "label"), get_text(real, "server"), get_text(real, "port")
        if not _ipv4(ip):
            status.reals.append(
                RealStatus(label, ip, port, used=False, reason="not used: not an IPv4 address")
            )
            continue
        if port and (len(groups) != 1 or port != groups[0]):
            status.reals.append(RealStatus(label, ip, port, used=False, reason=PORT_TRANSLATION))
            continue
        status.reals.append(RealStatus(label, ip, port, used=True))
        first = (port or (groups[0] if groups else "0")).split("-")[0]
        weight = get_text(real, "weight", "100")
        reals.append(
            NatReal(
                label,
                ip,
                int(check_port) if check_port.isdigit() else int(first or 0),
                int(weight) if weight.isdigit() else 100,
                states.get(label, "online"),
            )
        )
    return reals


def in_table(real: NatReal, healthy: bool, quiescent: bool) -> bool:
    """Whether ldirectord keeps the real server in the IPVS table (at some weight)."""
    return real.state != "halt" and (healthy or quiescent)


def table_weight(real: NatReal, healthy: bool) -> int:
    """IPVS weight: 0 when drained or failed (quiescent), else the configured one."""
    return 0 if real.state == "drain" or not healthy else real.weight


def sticky_set(mark: int, ip: str) -> str:
    return f"p{mark}_{ip.replace('.', '_')}"


def render_rules(
    table: str,
    vips: list[NatVip],
    marks: dict[str, int],
    health: dict[tuple[str, str], bool],
    quiescent: bool,
) -> tuple[str, set[str]]:
    """The nft script that makes `table` serve `vips`, and the persistence sets it uses.

    Chains are flushed and refilled in one transaction; the sets (the persistence templates) are
    only added, so an ldirectord reload keeps both the established connections and persistence.
    `health` maps (VIP label, real ip) to the last check result (missing: healthy).
    """
    lines = [
        f"table ip {table} {{",
        "  chain guard { type filter hook prerouting priority -150; policy accept; }",
        "  chain pre { type nat hook prerouting priority dstnat; policy accept; }",
        "  chain post { type nat hook postrouting priority srcnat; policy accept; }",
        "  chain refuse { type filter hook input priority 0; policy accept; }",
        "}",
        *(f"flush chain ip {table} {chain}" for chain in ("guard", "pre", "post", "refuse")),
        f"add rule ip {table} guard meta l4proto tcp ct state new tcp flags & (syn | ack) != syn drop",
    ]
    sets: set[str] = set()
    for vip in vips:
        mark = marks[vip.label]
        match = f"ip daddr {vip.ip} tcp dport {vip.port_match} ct mark set {mark}"
        listed = [r for r in vip.reals if in_table(r, health.get((vip.label, r.ip), True), quiescent)]
        if vip.persist_seconds:
            for real in listed:
                name = sticky_set(mark, real.ip)
                sets.add(name)
                lines.append(
                    f"add set ip {table} {name} {{ type ipv4_addr; flags dynamic,timeout; "
                    f"timeout {vip.persist_seconds}s; }}"
                )
                lines.append(f"add rule ip {table} pre {match} ip saddr @{name} dnat to {real.ip}")
                record = f"ct mark {mark} ip daddr {real.ip} update @{name} {{ ip saddr }}"
                lines.append(f"add rule ip {table} post {record}")
        weighted = [(r.ip, table_weight(r, health.get((vip.label, r.ip), True))) for r in listed]
        slots = _weighted_slots([(ip, w) for ip, w in weighted if w > 0])
        if slots:
            entries = ", ".join(f"{index} : {ip}" for index, ip in enumerate(slots))
            lines.append(
                f"add rule ip {table} pre {match} dnat to numgen inc mod {len(slots)} map {{ {entries} }}"
            )
        lines.append(f"add rule ip {table} refuse ip daddr {vip.ip} tcp dport {vip.port_match} reject")
    return "\n".join(lines) + "\n", sets


def _weighted_slots(weighted: list[tuple[str, int]]) -> list[str]:
    """Each server once per `weight / gcd` of the weights: weighted round robin for `numgen inc`."""
    if not weighted:
        return []
    divisor = math.gcd(*(w for _ip, w in weighted))
    slots = []
    rounds = max(w // divisor for _ip, w in weighted)
    for turn in range(rounds):
        slots += [ip for ip, w in weighted if w // divisor > turn]
    return slots[:256]
