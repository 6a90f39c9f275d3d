"""Render one `haproxy.cfg` per layer of the running configuration.

Layer 7 VIPs map to HAProxy as on the appliance. Layer 4 NAT VIPs, which the appliance forwards
with IPVS driven by ldirectord, are emulated by a second HAProxy in TCP mode (IPVS is not
available everywhere); being a process of its own, it is reloaded only when Layer 4 changes, as
ldirectord is (docs/appliance-api.md, "Reloads and established connections"). Only loopback
addresses are bound or connected to: a VIP or real server at any other address is kept in the
configuration and reported, never used, so an example configuration from a real site can be
loaded safely.
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from lborg_simulator.config import Layer, all_virtuals, get_text, section
from lborg_simulator.validation import port_groups

NON_LOOPBACK = "not bound: non-loopback address"
PASSIVE = "not bound: passive node"
RIP_NON_LOOPBACK = "not used: non-loopback address"

L4_SCHEDULERS = {"wrr": "roundrobin", "wlc": "leastconn", "dh": "source"}
L7_SCHEDULERS = {"roundrobin": "roundrobin", "leastconn": "leastconn"}
NO_CHECK = {"none", "off"}
_HAPROXY_NAME = re.compile(r"^[A-Za-z0-9_.:-]+$")
#: `send_proxy` values of the help and the HAProxy server option each one means.
SEND_PROXY = {
    "v1": "send-proxy",
    "v2": "send-proxy-v2",
    "v2_ssl": "send-proxy-v2-ssl",
    "v2_ssn_cn": "send-proxy-v2-ssl-cn",
}
#: Persistence modes that insert a cookie (HTTP mode only); `http_ip` also sticks on the source IP.
COOKIE_PERSISTENCE = {"http", "http_ip", "http_cookie"}


def haproxy_name(label: str) -> str:
    """A VIP or real server label as an HAProxy proxy/server name (which allows no spaces).

    Labels HAProxy accepts are kept; others get their invalid characters replaced and a short
    digest of the label appended, so two labels never share a name.
    """
    if _HAPROXY_NAME.match(label):
        return label
    cleaned = re.sub(r"[^A-Za-z0-9_.:-]", "_", label)
    return f"{cleaned}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"


@dataclass
class RealStatus:
    label: str
    ip: str
    port: str
    used: bool
    reason: str = ""


@dataclass
class VipStatus:
    label: str
    layer: Layer
    ip: str
    ports: str
    bound: bool
    reason: str = ""
    reals: list[RealStatus] = field(default_factory=list)

    # Alike eas_lb's drift/findings.py Finding.as_json in shape; the simulator never imports eas_lb.
    def as_json(self) -> dict[str, object]:
        return {
            "label": self.label,
            "layer": self.layer,
            "ip": self.ip,
            "ports": self.ports,
            "bound": self.bound,
            "status": "bound" if self.bound else self.reason,
            "reals": [
                {"label": r.label, "ip": r.ip, "port": r.port, "used": r.used, "status": r.reason or "in use"}
                for r in self.reals
            ],
        }


@dataclass
class Rendered:
    text: str
    vips: list[VipStatus]


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def _endpoint(address: str, port: str) -> str:
    """`ip:port` as HAProxy reads it; IPv6 gets the explicit `ipv6@` prefix."""
    prefix = "ipv6@" if ":" in address else ""
    return f"{prefix}{address}:{port}" if port else f"{prefix}{address}"


def _bind_line(address: str, ports: str) -> str:
    return "    bind " + ",".join(_endpoint(address, p) for p in port_groups(ports))


def _ms(value: str) -> str:
    return value if value and not value.isdigit() else f"{value or '0'}ms"


def _server_lines(virtual: ET.Element, layer: Layer, opstate: dict[str, str], status: VipStatus) -> list[str]:
    check_type = get_text(virtual, "check/type", "connect")
    check_port = get_text(virtual, "check/port")
    mode = get_text(virtual, "mode", "tcp")
    cookies = layer == "7" and mode == "http" and get_text(virtual, "persistence") in COOKIE_PERSISTENCE
    send_proxy = SEND_PROXY.get(get_text(virtual, "send_proxy")) if layer == "7" else None
    https_check = layer == "7" and check_type.startswith("negotiate_https")
    lines: list[str] = []
    for real in virtual.findall("real"):
        label = get_text(real, "label")
        ip = get_text(real, "server")
        port = get_text(real, "port")
        if not is_loopback(ip):
            status.reals.append(RealStatus(label, ip, port, used=False, reason=RIP_NON_LOOPBACK))
            continue
        status.reals.append(RealStatus(label, ip, port, used=True))
        state = opstate.get(label, "online")
        weight = "0" if state == "drain" else get_text(real, "weight", "100")
        # Without a port, HAProxy connects to the port the client used: the VIP's port.
        parts = [f"    server {haproxy_name(label)} {_endpoint(ip, port)} weight {weight}"]
        maxconns = int(get_text(real, "maxconns", "0") or "0")
        if maxconns > 0:
            parts.append(f"maxconn {maxconns}")
            minconns = int(get_text(real, "minconns", "0") or "0")
            if minconns > 0:
                parts.append(f"minconn {minconns}")
        if check_type not in NO_CHECK:
            parts.append("check")
            # A real server without a port takes the client's port; HAProxy then needs an
            # explicit check port, which is the VIP's (first) port as the appliance would use.
            first_vip_port = port_groups(get_text(virtual, "ports"))[0].split("-")[0]
            probe_port = check_port or ("" if port else first_vip_port)
            if probe_port:
                parts.append(f"port {probe_port}")
            if https_check:
                parts.append("check-ssl")
        # TLS to the real server (`encrypted`) or only for its checks: never verified, as the
        # appliance does not verify real servers' certificates either.
        if layer == "7" and get_text(real, "encrypted") == "on":
            parts.append("ssl verify none")
        elif https_check:
            parts.append("verify none")
        if send_proxy:
            parts.append(send_proxy)
        if cookies:
            parts.append(f"cookie {haproxy_name(label)}")
        if state == "halt":
            parts.append("disabled")
        lines.append(" ".join(parts))
    fallback_ip = get_text(virtual, "fallback/ip")
    fallback_port = get_text(virtual, "fallback/port")
    if fallback_ip and is_loopback(fallback_ip):
        # The fallback server takes the traffic when every real server is down. Labels start
        # with a letter or digit, so this name never clashes with a real server's.
        lines.append(f"    server _fallback {_endpoint(fallback_ip, fallback_port)} backup")
    return lines


def _l7_lines(virtual: ET.Element, l7_global: ET.Element) -> list[str]:
    # `other_tcp` is the help's other name of `tcp`.
    mode = "http" if get_text(virtual, "mode", "tcp") == "http" else "tcp"
    lines = [
        f"    mode {mode}",
        f"    balance {L7_SCHEDULERS.get(get_text(virtual, 'scheduler'), 'roundrobin')}",
    ]
    maxconn = get_text(virtual, "maxconn")
    if maxconn and maxconn != "0":
        lines.append(f"    maxconn {maxconn}")
    if get_text(virtual, "timeout", "on") == "on":
        lines.append(f"    timeout client {_ms(get_text(virtual, 'timeout_client', '12h'))}")
        lines.append(f"    timeout server {_ms(get_text(virtual, 'timeout_server', '12h'))}")
    lines.extend(_persistence_lines(virtual, mode))
    lines.extend(_l7_check_lines(virtual))
    if get_text(virtual, "redispatch") == "on":
        lines.append("    option redispatch")
    if mode == "http":
        if get_text(virtual, "forward_for") == "on":
            lines.append("    option forwardfor")
        if get_text(virtual, "force_to_https") == "on":
            code = get_text(virtual, "redirect_code") or "301"
            lines.append(f"    http-request redirect scheme https code {code} if !{{ ssl_fc }}")
    lines.append(
        f"    default-server inter {get_text(l7_global, 'interval', '4000')}ms"
        f" rise {get_text(l7_global, 'rise', '2')} fall {get_text(l7_global, 'fall', '3')}"
    )
    return lines


def _escaped(text: str) -> str:
    """One HAProxy configuration word: spaces and backslashes escaped."""
    return text.replace("\\", "\\\\").replace(" ", "\\ ").replace("#", "\\#")


def _l7_check_lines(virtual: ET.Element) -> list[str]:
    """Negotiate checks: request `check_request` (with `check_host`), expect `check_receive` in
    the answer, or any 2xx/3xx status without it; MySQL checks log in as `check_username`."""
    check_type = get_text(virtual, "check/type", "connect")
    if check_type.startswith("negotiate_http"):
        method = "HEAD" if check_type.endswith("_head") else "GET"
        request = get_text(virtual, "check/request").lstrip("/")
        send = f"    http-check send meth {method} uri {_escaped('/' + request)}"
        if get_text(virtual, "check/host"):
            send += f" hdr Host {_escaped(get_text(virtual, 'check/host'))}"
        receive = get_text(virtual, "check/receive")
        expect = f"string {_escaped(receive)}" if receive and method == "GET" else "status 200-399"
        return ["    option httpchk", send, f"    http-check expect {expect}"]
    if check_type == "mysql":
        user = get_text(virtual, "check/username")
        return [f"    option mysql-check user {_escaped(user)}" if user else "    option mysql-check"]
    return []


def _persistence_lines(virtual: ET.Element, mode: str) -> list[str]:
    """Source-IP, cookie and X-Forwarded-For persistence; other modes balance without it."""
    persistence = get_text(virtual, "persistence", "none")
    persist_time = get_text(virtual, "persist_time", "30")
    size = get_text(virtual, "persist_table_size", "10240")
    lines: list[str] = []
    if persistence in COOKIE_PERSISTENCE and mode == "http":
        name = get_text(virtual, "cookiename") or "SERVERID"
        lines.append(f"    cookie {name} insert indirect nocache")
    sticky_source = persistence == "ip" or (persistence == "http_ip" and mode == "http")
    if sticky_source and persist_time != "0":
        lines.append(f"    stick-table type ip size {size} expire {persist_time}m")
        lines.append("    stick on src")
    elif persistence == "xff" and mode == "http" and persist_time != "0":
        position = get_text(virtual, "xff_ip_pos") or "-1"
        lines.append(f"    stick-table type ip size {size} expire {persist_time}m")
        lines.append(f"    stick on req.hdr_ip(x-forwarded-for,{position})")
    return lines


def _l4_lines(virtual: ET.Element, l4_global: ET.Element) -> list[str]:
    lines = [
        "    mode tcp",
        f"    balance {L4_SCHEDULERS.get(get_text(virtual, 'scheduler'), 'roundrobin')}",
        f"    timeout check {get_text(l4_global, 'checktimeout', '5')}s",
    ]
    persist_time = get_text(virtual, "persist_time", "300")
    if get_text(virtual, "persistent", "off") == "on" and persist_time != "0":
        lines.append(f"    stick-table type ip size 1m expire {persist_time}s")
        lines.append("    stick on src")
    # ldirectord `quiescent = no` removes a failed real server from the IPVS table, whose
    # established connections then lose their packets; `yes` sets its weight to 0 and they go on.
    on_down = " on-marked-down shutdown-sessions" if get_text(l4_global, "quiescent", "yes") == "no" else ""
    lines.append(
        f"    default-server inter {get_text(l4_global, 'checkinterval', '10')}s"
        f" fall {get_text(l4_global, 'failurecount', '1')} rise 2{on_down}"
    )
    return lines


def _unbindable_reason(layer: Layer, virtual: ET.Element, active: bool) -> str:
    if not is_loopback(get_text(virtual, "server")):
        return NON_LOOPBACK
    if layer == "4" and get_text(virtual, "protocol") in ("udp", "fwm"):
        return f"not bound: protocol {get_text(virtual, 'protocol')} is not emulated"
    if not active:
        return PASSIVE
    return ""


#: IPVS's own time-outs (kernel `ip_vs_proto_tcp.c`: an established TCP entry expires after
#: 900 s without packets; a connection not yet established after 60 s), which ldirectord leaves
#: as they are: the Layer 4 stand-in uses them where HAProxy needs a time-out.
L4_TIMEOUTS = {"connect": "60s", "client": "900s", "server": "900s"}


def render(
    running: ET.Element, opstate: dict[str, dict[str, str]], active: bool, stats_socket: str, layer: Layer
) -> Rendered:
    """The HAProxy configuration of one layer's VIPs, plus what each VIP's status is under it.

    The stats socket is always there, so a passive node or an empty configuration still has a
    listener (HAProxy refuses to start without one) and reloads the same way. There is no
    `hard-stop-after`: on a reload the old process keeps its established connections until they
    end, HAProxy's default (the vendor documents no other), and IPVS keeps them by nature.
    """
    l7_global = section(section(running, "haproxy"), "global")
    l4_global = section(section(running, "ldirectord"), "global")
    if layer == "7":
        timeouts = {
            "connect": _ms(get_text(l7_global, "contimeout", "4000")),
            "client": _ms(get_text(l7_global, "clitimeout", "43200000")),
            "server": _ms(get_text(l7_global, "srvtimeout", "43200000")),
        }
        header = "# Layer 7 (HAProxy), from running.xml by lborg_simulator on reload-haproxy."
    else:
        timeouts = L4_TIMEOUTS
        header = "# Layer 4 (IPVS stand-in), from running.xml by lborg_simulator on reload-ldirectord."
    lines = [
        header,
        "global",
        f"    stats socket {stats_socket} mode 600 level admin",
        "",
        "defaults",
        "    mode tcp",
        *(f"    timeout {name} {value}" for name, value in timeouts.items()),
        "",
    ]
    statuses: list[VipStatus] = []
    for vip_layer, virtual in all_virtuals(running):
        if vip_layer != layer:
            continue
        label = get_text(virtual, "label")
        status = VipStatus(label, layer, get_text(virtual, "server"), get_text(virtual, "ports"), bound=False)
        statuses.append(status)
        reason = _unbindable_reason(layer, virtual, active)
        servers = _server_lines(virtual, layer, opstate.get(label, {}), status)
        if reason:
            status.reason = reason
            continue
        status.bound = True
        lines.append(f"listen {haproxy_name(label)}")
        lines.append(_bind_line(status.ip, status.ports))
        lines.extend(_l7_lines(virtual, l7_global) if layer == "7" else _l4_lines(virtual, l4_global))
        lines.extend(servers)
        lines.append("")
    return Rendered(text="\n".join(lines) + "\n", vips=statuses)
