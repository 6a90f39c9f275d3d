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
        attr="label",
        kind="text",
        description=(
            f"The {kind} VIP's label on the appliance (for example `MGMT_HTTPS-443`). The API cannot "
            "rename a VIP, so changing it replaces the VIP (and its real servers)."
        ),
        read_only=True,
        is_required=True,
        replace=True,
    )


def _vip_address(kind: str) -> tuple[Field, Field]:
    return (
        Field(
            attr="ip",
            kind="text",
            description=(
                f"The {kind} VIP's IP address (IPv4 or IPv6). On an HA pair it becomes a floating IP."
            ),
            path=("server",),
            is_required=True,
            on_add=True,
        ),
        Field(
            attr="ports",
            kind="ports",
            description="The port or ports the VIP listens on, as text: `443`, `80,443` (or the lbcli help's "
            "`80:443`), a range `8000-8010`, or a mix. Compared as a set of ports.",
            is_required=True,
            on_add=True,
        ),
    )


def _check_port() -> Field:
    return Field(
        attr="check_port",
        kind="number",
        description="The port health checks connect to. Default: the VIP's first port.",
        path=("check", "port"),
        other_paths=(("service", "check", "port"),),
    )


def _real_server_identity(kind: str) -> tuple[Field, Field, Field]:
    return (
        Field(
            attr="vip",
            kind="text",
            description=(
                f"Label of the {kind} VIP this real server belongs to. Changing it replaces the real server."
            ),
            read_only=True,
            is_required=True,
            replace=True,
        ),
        Field(
            attr="label",
            kind="text",
            description=(
                "The real server's label (for example `EAS_SSS-1`). The API cannot rename it, so a change "
                "replaces the real server."
            ),
            read_only=True,
            is_required=True,
            replace=True,
        ),
        Field(
            attr="ip",
            kind="text",
            description="The real server's IP address.",
            path=("server",),
            is_required=True,
        ),
    )


def _weights() -> tuple[Field, Field, Field]:
    return (
        Field(
            attr="weight",
            kind="number",
            description="Scheduling weight, 0-256 (0 takes it out).",
            default=100,
        ),
        Field(
            attr="minconns",
            kind="number",
            description="Minimum connections before another real server is used (0 = no minimum).",
            default=0,
        ),
        Field(
            attr="maxconns",
            kind="number",
            description="Maximum connections to this real server (0 = unlimited).",
            default=0,
        ),
    )


LAYER7_VIP = ObjectTable(
    "7",
    "haproxy",
    (
        _vip_label("Layer 7"),
        *_vip_address("Layer 7"),
        # Rows alike LAYER4_VIP's (scheduler, persistent, ...) in shape; each row is its own lbcli field.
        Field(
            attr="mode",
            kind="text",
            description=(
                "`tcp` or `http`; the lbcli help names `tcp` an alias of `other_tcp`, so either spelling "
                "is accepted and they compare equal."
            ),
            default="tcp",
            on_add=True,
            synonyms={"other_tcp": "tcp"},
            choices=choices.LAYER7_MODE,
        ),
        Field(
            attr="scheduler",
            kind="text",
            description="Balancing: `roundrobin` (weighted round robin) or `leastconn`.",
            default="roundrobin",
            choices=choices.LAYER7_SCHEDULER,
        ),
        Field(
            attr="persistence",
            kind="text",
            description=(
                "Persistence (lbcli help): `none`, `ip` (source IP), `http` (HTTP cookie), "
                "`http_ip`, `appsession`, `sslsesid`, `rdp-session`, `rdp-cookie`, `xff` or "
                "`fallback_persist`. `http_cookie`, an earlier spelling of this provider with no vendor "
                "source, is read as `http`."
            ),
            default="none",
            synonyms={"http_cookie": "http"},
            choices=choices.LAYER7_PERSISTENCE,
        ),
        Field(
            attr="persist_time", kind="number", description="Persistence timeout in **minutes**.", default=30
        ),
        Field(
            attr="persist_table_size",
            kind="number",
            description=(
                "Size of the persistence (stick) table, in entries, for the persistence modes that use "
                "one (`ip`, `http_ip`, `xff`, `appsession`, `sslsesid`, `rdp-cookie`; lbcli help). When "
                "it is full HAProxy evicts the oldest entries and their clients lose their server. A "
                "change takes effect at the next HAProxy reload."
            ),
            default=10240,
        ),
        Field(
            attr="maxconn",
            kind="number",
            description=(
                "Maximum concurrent connections to the VIP (HAProxy `maxconn`); beyond it new "
                "connections wait until one ends. A change takes effect at the next HAProxy reload, "
                "which keeps established connections."
            ),
            default=40000,
        ),
        Field(
            attr="check_type",
            kind="text",
            description=(
                "Health check: `connect`, `negotiate_http`, `negotiate_http_head`, `negotiate_https`, "
                "`negotiate_https_head`, `external`, `mysql` or `none`."
            ),
            path=("check", "type"),
            default="connect",
            choices=choices.LAYER7_CHECK_TYPE,
        ),
        _check_port(),
        Field(
            attr="timeout_client",
            kind="text",
            description="Client-side inactivity timeout: milliseconds (`900000`) or with a unit (`12h`).",
            default="12h",
        ),
        Field(
            attr="timeout_server",
            kind="text",
            description=(
                "Real-server-side inactivity timeout: milliseconds (`901000`) or with a unit (`12h`)."
            ),
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
            attr="protocol",
            kind="text",
            description="`tcp`, `udp`, `tcpudp`, `ops` or `fwm` (lbcli help).",
            default="tcp",
            on_add=True,
            choices=choices.LAYER4_PROTOCOL,
        ),
        # Rows alike LAYER7_VIP's (scheduler, persistence, ...) in shape; each row is its own lbcli field.
        Field(
            attr="forwarding",
            kind="text",
            description=(
                "Forwarding method: `gate` (direct routing), `masq` (NAT), `ipip` (tunnel) or `snat`."
            ),
            path=("forwardingmethod",),
            default="gate",
            on_add=True,
            choices=choices.LAYER4_FORWARDING,
        ),
        Field(
            attr="scheduler",
            kind="text",
            description="Balancing: `wlc` (weighted least connection), `wrr` (weighted round robin) or `dh`.",
            default="wlc",
            choices=choices.LAYER4_SCHEDULER,
        ),
        Field(
            attr="persistent",
            kind="flag",
            description="Source IP persistence on (`true`) or off.",
            default=False,
        ),
        Field(
            attr="persist_time", kind="number", description="Persistence timeout in **seconds**.", default=300
        ),
        Field(
            attr="check_type",
            kind="text",
            description=(
                "Health check (lbcli help): `negotiate`, `connect`, `ping`, `external`, `off` (no checks, "
                "always off), `on` (no checks, always on), `5` or `10` (that many connects, then one "
                "negotiate). Read from `check/type` or `service/check/type`."
            ),
            path=("check", "type"),
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
        Field(attr="port", kind="number", description="The real server's port.", is_required=True),
        *_weights(),
        Field(
            attr="encrypted",
            kind="flag",
            description=(
                "Whether HAProxy re-encrypts traffic to the real server. Read-only in practice: API v2's "
                "add-rip/edit-rip have no field for it, so only `false` can be planned."
            ),
            read_only=True,
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
            attr="port",
            kind="number",
            description="The real server's port. Default: the VIP's first port (direct routing ignores it).",
        ),
        *_weights(),
    ),
)

#: Per layer, the VIP table and the real-server table.
BY_LAYER: dict[str, tuple[ObjectTable, ObjectTable]] = {
    "7": (LAYER7_VIP, LAYER7_REAL_SERVER),
    "4": (LAYER4_VIP, LAYER4_REAL_SERVER),
}
