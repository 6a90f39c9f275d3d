"""`lborg_layer7_vip`: a Layer 7 (HAProxy) virtual service."""

from __future__ import annotations

from lborg_provider.resources.fields import Field
from lborg_provider.resources.vip_base import VipResource, address_fields, check_port_field, label_attribute


class Layer7Vip(VipResource):
    type_suffix = "_layer7_vip"
    description = (
        "A Layer 7 virtual service (HAProxy). Defaults are the appliance's lbcli defaults; the "
        "constructs set the deployment guide's values explicitly. Import with the label: "
        "`terraform import lborg_layer7_vip.x MGMT_HTTPS-443`. Changes take effect on the next "
        "`lborg_commit` (reload-haproxy)."
    )
    layer = "7"
    service = "haproxy"
    fields = (
        label_attribute("Layer 7"),
        *address_fields("Layer 7"),
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
        ),
        Field(
            "scheduler",
            "scheduler",
            ("scheduler",),
            "text",
            "Balancing: `roundrobin` (weighted round robin) or `leastconn`.",
            default="roundrobin",
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
        ),
        check_port_field(),
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
    )
