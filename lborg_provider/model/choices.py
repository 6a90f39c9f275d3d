"""Closed sets of values: what an attribute such as `mode` or `scheduler` may be set to.

Each set is declared once, here, and used three times: the provider refuses any other value when
Terraform validates the configuration (so a typo fails `terraform validate` and `plan`, not the
apply on the appliance), the generated documentation lists the values, and `doctor` reports an
appliance value outside the set. `values` are the ones the vendor's lbcli help lists
(docs/appliance-api.md); an `alias` is a spelling this provider also accepts in a configuration
for compatibility, read as the value it stands for, which `doctor` still reports when an
appliance has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Choices:
    """The allowed values of one attribute, in the order the documentation lists them."""

    values: tuple[str, ...]
    #: Other accepted spellings and the value each one means.
    aliases: Mapping[str, str] = field(default_factory=dict)

    @property
    def accepted(self) -> frozenset[str]:
        return frozenset(self.values) | frozenset(self.aliases)

    def refused(self, attribute: str, value: str) -> str | None:
        """None when `value` is accepted, else a sentence naming the allowed values."""
        if value in self.accepted:
            return None
        return f"{attribute} = {value!r} is not one of the allowed values: {self.listing()}"

    def listing(self) -> str:
        """`a`, `b` or `c` (aliases after, with what they mean)."""
        shown = [f"`{value}`" for value in self.values]
        text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
        if self.aliases:
            text += " (also " + ", ".join(f"`{a}` for `{v}`" for a, v in self.aliases.items()) + ")"
        return text


#: `other_tcp` is the lbcli help's name; it names `tcp` an alias of it.
LAYER7_MODE = Choices(("tcp", "http", "other_tcp"))
LAYER7_SCHEDULER = Choices(("roundrobin", "leastconn"))
LAYER7_PERSISTENCE = Choices(
    (
        "none",
        "ip",
        "http",
        "http_ip",
        "appsession",
        "sslsesid",
        "rdp-session",
        "rdp-cookie",
        "xff",
        "fallback_persist",
    ),
    aliases={"http_cookie": "http"},
)
LAYER7_CHECK_TYPE = Choices(
    (
        "connect",
        "negotiate_http",
        "negotiate_http_head",
        "negotiate_https",
        "negotiate_https_head",
        "external",
        "mysql",
        "none",
    )
)
LAYER4_PROTOCOL = Choices(("tcp", "udp", "tcpudp", "ops", "fwm"))
LAYER4_FORWARDING = Choices(("gate", "masq", "ipip", "snat"))
LAYER4_SCHEDULER = Choices(("wlc", "wrr", "dh"))
LAYER4_CHECK_TYPE = Choices(("negotiate", "connect", "ping", "external", "off", "on", "5", "10"))
#: The services `lborg_commit` reloads (the keys of its `triggers`).
SERVICES = Choices(("haproxy", "ldirectord", "heartbeat"))
#: A real server's state, set with the lbcli actions of the same names (`drain`, `halt`, `online`).
REAL_SERVER_STATE = Choices(("online", "drain", "halt"))
