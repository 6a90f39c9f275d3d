"""The field table of each VIP and real-server type: the one description of their attributes.

The provider's resources build their schema, writes and reads from these tables; `doctor` checks
an appliance against them; the site tools (`eas_lb` verify and adopt) compare an appliance with a
site through them. A new appliance field is one new row here.
"""

from __future__ import annotations

from dataclasses import dataclass

from lborg_provider.model import choices
from lborg_provider.model.fields import Field


@dataclass(frozen=True)
class ObjectTable:
    """One type of object on the appliance: its layer, the service that runs it, its fields."""

    layer: str
    service: str
    fields: tuple[Field, ...]

    def field(self, attr: str) -> Field:
        return next(f for f in self.fields if f.attr == attr)


def _vip_label(kind: str) -> Field:
    return Field(
        "label",
        None,
        ("label",),
        "text",
        f"The {kind} VIP's label on the appliance (for example `MGMT_HTTPS-443`). The API cannot rename a "
        "VIP, so changing it replaces the VIP (and its real servers).",
        is_required=True,
        replace=True,
    )


def _vip_address(kind: str) -> tuple[Field, Field]:
    return (
        Field(
            "ip",
            "ip",
            ("server",),
            "text",
            f"The {kind} VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP.",
            is_required=True,
            on_add=True,
        ),
        Field(
            "ports",
            "ports",
            ("ports",),
            "ports",
            "The port or ports the VIP listens on, as text: `443`, `80,443` (or the lbcli help's "
            "`80:443`), a range `8000-8010`, or a mix. Compared as a set of ports.",
            is_required=True,
            on_add=True,
        ),
    )


def _check_port() -> Field:
    return Field(
        "check_port",
        "check_port",
        ("check", "port"),
        "number",
        "The port health checks connect to. Default: the VIP's first port.",
        other_paths=(("service", "check", "port"),),
    )


def _real_server_identity(kind: str) -> tuple[Field, Field, Field]:
    return (
        Field(
            "vip",
            None,
            ("vip",),
            "text",
            f"Label of the {kind} VIP this real server belongs to. Changing it replaces the real server.",
            is_required=True,
            replace=True,
        ),
        Field(
            "label",
            None,
            ("label",),
            "text",
            "The real server's label (for example `EAS_SSS-1`). The API cannot rename it, so a change "
            "replaces the real server.",
            is_required=True,
            replace=True,
        ),
        Field("ip", "ip", ("server",), "text", "The real server's IP address.", is_required=True),
    )


def _weights() -> tuple[Field, Field, Field]:
    return (
        Field(
            "weight",
            "weight",
            ("weight",),
            "number",
            "Scheduling weight, 0-256 (0 takes it out).",
            default=100,
        ),
        Field(
            "minconns",
            "minconns",
            ("minconns",),
            "number",
            "Minimum connections before another real server is used (0 = no minimum).",
            default=0,
        ),
        Field(
            "maxconns",
            "maxconns",
            ("maxconns",),
            "number",
            "Maximum connections to this real server (0 = unlimited).",
            default=0,
        ),
    )


LAYER7_VIP = ObjectTable(
    "7",
    "haproxy",
    (
        _vip_label("Layer 7"),
        *_vip_address("Layer 7"),
        Field(
            "mode",
            "mode",
            ("mode",),
            "text",
            "`tcp` or `http`; the lbcli help names `tcp` an alias of `other_tcp`, so either spelling "
            "is accepted and they compare equal.",
            default="tcp",
            on_add=True,
            synonyms={"other_tcp": "tcp"},
            choices=choices.LAYER7_MODE,
        ),
        Field(
            "scheduler",
            "scheduler",
            ("scheduler",),
            "text",
            "Balancing: `roundrobin` (weighted round robin) or `leastconn`.",
            default="roundrobin",
            choices=choices.LAYER7_SCHEDULER,
        ),
        Field(
            "persistence",
            "persistence",
            ("persistence",),
            "text",
            "Persistence (lbcli help): `none`, `ip` (source IP), `http` (HTTP cookie), `http_ip`, "
            "`appsession`, `sslsesid`, `rdp-session`, `rdp-cookie`, `xff` or `fallback_persist`. "
            "`http_cookie`, an earlier spelling of this provider with no vendor source, is read as `http`.",
            default="none",
            synonyms={"http_cookie": "http"},
            choices=choices.LAYER7_PERSISTENCE,
        ),
        Field(
            "persist_time",
            "persist_time",
            ("persist_time",),
            "number",
            "Persistence timeout in **minutes**.",
            default=30,
        ),
        Field(
            "persist_table_size",
            "persist_table_size",
            ("persist_table_size",),
            "number",
            "Size of the persistence (stick) table, in entries.",
            default=10240,
        ),
        Field(
            "maxconn",
            "maxconn",
            ("maxconn",),
            "number",
            "Maximum concurrent connections to the VIP.",
            default=40000,
        ),
        Field(
            "check_type",
            "check_type",
            ("check", "type"),
            "text",
            "Health check: `connect`, `negotiate_http`, `negotiate_http_head`, `negotiate_https`, "
            "`negotiate_https_head`, `external`, `mysql` or `none`.",
            default="connect",
            choices=choices.LAYER7_CHECK_TYPE,
        ),
        _check_port(),
        Field(
            "timeout_client",
            "timeout_client",
            ("timeout_client",),
            "text",
            "Client-side inactivity timeout: milliseconds (`900000`) or with a unit (`12h`).",
            default="12h",
        ),
        Field(
            "timeout_server",
            "timeout_server",
            ("timeout_server",),
            "text",
            "Real-server-side inactivity timeout: milliseconds (`901000`) or with a unit (`12h`).",
            default="12h",
        ),
    ),
)

LAYER4_VIP = ObjectTable(
    "4",
    "ldirectord",
    (
        _vip_label("Layer 4"),
        *_vip_address("Layer 4"),
        Field(
            "protocol",
            "protocol",
            ("protocol",),
            "text",
            "`tcp`, `udp`, `tcpudp`, `ops` or `fwm` (lbcli help).",
            default="tcp",
            on_add=True,
            choices=choices.LAYER4_PROTOCOL,
        ),
        Field(
            "forwarding",
            "forwarding",
            ("forwardingmethod",),
            "text",
            "Forwarding method: `gate` (direct routing), `masq` (NAT), `ipip` (tunnel) or `snat`.",
            default="gate",
            on_add=True,
            choices=choices.LAYER4_FORWARDING,
        ),
        Field(
            "scheduler",
            "scheduler",
            ("scheduler",),
            "text",
            "Balancing: `wlc` (weighted least connection), `wrr` (weighted round robin) or `dh`.",
            default="wlc",
            choices=choices.LAYER4_SCHEDULER,
        ),
        Field(
            "persistent",
            "persistent",
            ("persistent",),
            "flag",
            "Source IP persistence on (`true`) or off.",
            default=False,
        ),
        Field(
            "persist_time",
            "persist_time",
            ("persist_time",),
            "number",
            "Persistence timeout in **seconds**.",
            default=300,
        ),
        Field(
            "check_type",
            "check_type",
            ("check", "type"),
            "text",
            "Health check (lbcli help): `negotiate`, `connect`, `ping`, `external`, `off` (no checks, "
            "always off), `on` (no checks, always on), `5` or `10` (that many connects, then one "
            "negotiate). Read from `check/type` or `service/check/type`.",
            default="connect",
            other_paths=(("service", "check", "type"),),
            choices=choices.LAYER4_CHECK_TYPE,
        ),
        _check_port(),
    ),
)

LAYER7_REAL_SERVER = ObjectTable(
    "7",
    "haproxy",
    (
        *_real_server_identity("Layer 7"),
        Field("port", "port", ("port",), "number", "The real server's port.", is_required=True),
        *_weights(),
        Field(
            "encrypted",
            None,
            ("encrypted",),
            "flag",
            "Whether HAProxy re-encrypts traffic to the real server. Read-only in practice: API v2's "
            "add-rip/edit-rip have no field for it, so only `false` can be planned.",
            default=False,
        ),
    ),
)

LAYER4_REAL_SERVER = ObjectTable(
    "4",
    "ldirectord",
    (
        *_real_server_identity("Layer 4"),
        Field(
            "port",
            "port",
            ("port",),
            "number",
            "The real server's port. Default: the VIP's first port (direct routing ignores it).",
        ),
        *_weights(),
    ),
)

#: Per layer, the VIP table and the real-server table.
BY_LAYER: dict[str, tuple[ObjectTable, ObjectTable]] = {
    "7": (LAYER7_VIP, LAYER7_REAL_SERVER),
    "4": (LAYER4_VIP, LAYER4_REAL_SERVER),
}
