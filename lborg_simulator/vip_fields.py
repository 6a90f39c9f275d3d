"""Every VIP field the vendor documents for `add-vip` / `edit-vip`, with its element and its check.

The tables follow the vendor's lbcli help and JSON request samples field by field (the source of
each is in docs/appliance-api.md). A field maps to one element of the virtual service in
`lb_config.xml`; the element names of fields the vendor does not show in a configuration dump are
our assumption (the API field name, `check_*` fields under `check/`). Values are checked against
what the help lists; a field whose help gives no list of values takes any single-line text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lborg_simulator import validation as v

Check = Callable[[str, str], str]


@dataclass(frozen=True)
class FieldSpec:
    """One VIP field: its element path, how its value is checked, and whether "" clears it."""

    element: str
    check: Check
    clearable: bool = False


def _choice(*options: str) -> Check:
    return lambda value, field: v.choice(value, field, options)


def _number(low: int, high: int) -> Check:
    return lambda value, field: str(v.integer(value, field, low, high))


def _ports(value: str, field: str) -> str:
    return v.ports(value, field)[0]


def _port(value: str, field: str) -> str:
    return str(v.port(value, field))


def _signed(low: int, high: int) -> Check:
    return lambda value, field: str(v.signed_integer(value, field, low, high))


ON_OFF = _choice("on", "off")


def _text(element: str) -> FieldSpec:
    return FieldSpec(element, v.text, clearable=True)


def _address(element: str) -> FieldSpec:
    return FieldSpec(element, v.ip_address, clearable=True)


def _optional_port(element: str) -> FieldSpec:
    return FieldSpec(element, _port, clearable=True)


def _toggle(element: str) -> FieldSpec:
    return FieldSpec(element, ON_OFF)


#: `persistence` values of the help, plus `http_cookie` (no vendor source; kept because earlier
#: versions of this project wrote it; see docs/appliance-api.md).
L7_PERSISTENCE = (
    "http",
    "appsession",
    "sslsesid",
    "rdp-session",
    "rdp-cookie",
    "ip",
    "http_ip",
    "xff",
    "none",
    "fallback_persist",
    "http_cookie",
)
L7_CHECK_TYPES = (
    "negotiate_http",
    "negotiate_http_head",
    "negotiate_https",
    "negotiate_https_head",
    "connect",
    "external",
    "mysql",
    "none",
)
# Name tuples alike appliance.py's RELOADABLE/RESTARTABLE in shape; other lists of names.
L4_CHECK_TYPES = ("negotiate", "connect", "ping", "external", "off", "on", "5", "10")
L4_CHECK_SERVICES = (
    "http",
    "https",
    "http_proxy",
    "imap",
    "imaps",
    "pop",
    "pops",
    "ldap",
    "smtp",
    "nntp",
    "dns",
    "mysql",
    "sip",
    "simpletcp",
    "radius",
    "none",
)

L7_FIELDS: dict[str, FieldSpec] = {
    "ip": FieldSpec("server", v.ip_address),
    "ports": FieldSpec("ports", _ports),
    "mode": FieldSpec("mode", _choice("http", "tcp", "other_tcp")),
    "persistence": FieldSpec("persistence", _choice(*L7_PERSISTENCE)),
    "cookiename": _text("cookiename"),
    "fallback_ip": _address("fallback/ip"),
    "fallback_port": _optional_port("fallback/port"),
    "persist_time": FieldSpec("persist_time", _number(0, 525600)),
    "persist_table_size": FieldSpec("persist_table_size", _number(1, 100_000_000)),
    "maxconn": FieldSpec("maxconn", _number(0, 10_000_000)),
    "scheduler": FieldSpec("scheduler", _choice("roundrobin", "leastconn")),
    "check_port": _optional_port("check/port"),
    "check_request": _text("check/request"),
    "check_receive": _text("check/receive"),
    "check_host": _text("check/host"),
    "check_username": _text("check/username"),
    "appsession_cookie": _text("appsession_cookie"),
    "forward_for": _toggle("forward_for"),
    "http_pipeline": FieldSpec(
        "http_pipeline", _choice("http_keep_alive", "http_close", "http_server_close", "http_force_close")
    ),
    "http_pretend_keepalive": _toggle("http_pretend_keepalive"),
    "stunneltproxy": _toggle("stunneltproxy"),
    "feedback_method": FieldSpec("feedback_method", _choice("agent", "none")),
    "fallback_persist": _toggle("fallback/persist"),
    "feedback_port": _optional_port("feedback_port"),
    "check_type": FieldSpec("check/type", _choice(*L7_CHECK_TYPES)),
    "external_check_script": _text("check/external_script"),
    # The help lists the option without values; on/off like the other switches (our assumption).
    "tcp_keep_alive": _toggle("tcp_keep_alive"),
    "force_to_https": _toggle("force_to_https"),
    "timeout": _toggle("timeout"),
    "timeout_client": FieldSpec("timeout_client", v.duration),
    "timeout_server": FieldSpec("timeout_server", v.duration),
    "redirect_code": FieldSpec("redirect_code", _choice("301", "302", "303", "307", "308")),
    "no_write": _toggle("no_write"),
    "waf_label": _text("waf_label"),
    "clear_stick_drain": _toggle("clear_stick_drain"),
    "compression": _toggle("compression"),
    "autoscale_group": _text("autoscale_group"),
    "cookie_maxidle": FieldSpec("cookie_maxidle", v.duration, clearable=True),
    "cookie_maxlife": FieldSpec("cookie_maxlife", v.duration, clearable=True),
    "source_address": _address("source_address"),
    "backend_encryption": _toggle("backend_encryption"),
    "enable_hsts": _toggle("enable_hsts"),
    "hsts_month": FieldSpec("hsts_month", _number(3, 24)),
    "xff_ip_pos": FieldSpec("xff_ip_pos", _signed(-64, 64)),
    "invalid_http": _toggle("invalid_http"),
    "send_proxy": FieldSpec("send_proxy", _choice("none", "v1", "v2", "v2_ssl", "v2_ssn_cn")),
    "as_port": _optional_port("as_port"),
    "http_request": _toggle("http_request"),
    "stunnel_source": _address("stunnel_source"),
    "proxy_bind": _text("proxy_bind"),
    "slave_ip": _address("slave_ip"),
    "tunneltimeout": FieldSpec("tunneltimeout", v.duration, clearable=True),
    "redispatch": _toggle("redispatch"),
    "fallback_encrypt": _toggle("fallback/encrypt"),
    "http_reuse_connection": _toggle("http_reuse_connection"),
    "tproxy": _toggle("tproxy"),
    "send_rip_name_as_host": _toggle("send_rip_name_as_host"),
}
#: Fields only `add-vip` takes for a Layer 7 VIP (help and sample of `add-vip`).
L7_ADD_ONLY: dict[str, FieldSpec] = {
    "service_type": FieldSpec("service_type", _choice("waf_frontend")),
    "encrypt_all_backends": _toggle("encrypt_all_backends"),
}

L4_FIELDS: dict[str, FieldSpec] = {
    "ip": FieldSpec("server", v.ip_address),
    "ports": FieldSpec("ports", _ports),
    "protocol": FieldSpec("protocol", _choice("tcp", "udp", "tcpudp", "ops", "fwm")),
    "forwarding": FieldSpec("forwardingmethod", _choice("gate", "masq", "ipip", "snat")),
    "granularity": FieldSpec("granularity", v.netmask),
    "fallback_ip": _address("fallback/ip"),
    "fallback_port": _optional_port("fallback/port"),
    "fallback_local": _toggle("fallback/local"),
    "persistent": _toggle("persistent"),
    "persist_time": FieldSpec("persist_time", _number(0, 31_536_000)),
    "scheduler": FieldSpec("scheduler", _choice("wlc", "wrr", "dh")),
    "feedback": FieldSpec("feedback", _choice("agent", "http", "none")),
    "email": _text("email"),
    "email_from": _text("email_from"),
    "check_service": FieldSpec("check/service", _choice(*L4_CHECK_SERVICES)),
    "check_vhost": _text("check/vhost"),
    "check_database": _text("check/database"),
    "check_login": _text("check/login"),
    "check_password": _text("check/password"),
    "check_type": FieldSpec("check/type", _choice(*L4_CHECK_TYPES)),
    "check_port": _optional_port("check/port"),
    "check_request": _text("check/request"),
    "check_response": _text("check/response"),
    "check_secret": _text("check/secret"),
    "check_command": _text("check/command"),
    "autoscale_group": _text("autoscale_group"),
}
L4_ADD_ONLY: dict[str, FieldSpec] = {"slave_ip": _address("slave_ip")}
