"""`lborg_layer4_vip`: a Layer 4 (LVS/ldirectord) virtual service."""

from __future__ import annotations

from lborg_provider.resources.fields import Field
from lborg_provider.resources.vip_base import VipResource, address_fields, check_port_field, label_attribute


class Layer4Vip(VipResource):
    type_suffix = "_layer4_vip"
    description = (
        "A Layer 4 virtual service (LVS, managed by ldirectord). Defaults are the appliance's lbcli "
        "defaults; the constructs set the deployment guide's values (NAT, `masq`) explicitly. Import "
        "with the label: `terraform import lborg_layer4_vip.x SERV_SIP-5060`. Changes take effect on "
        "the next `lborg_commit` (reload-ldirectord)."
    )
    layer = "4"
    service = "ldirectord"
    fields = (
        label_attribute("Layer 4"),
        *address_fields("Layer 4"),
        Field(
            "protocol",
            "protocol",
            ("protocol",),
            "text",
            "`tcp`, `udp`, `tcpudp`, `ops` or `fwm` (lbcli help).",
            default="tcp",
            on_add=True,
        ),
        Field(
            "forwarding",
            "forwarding",
            ("forwardingmethod",),
            "text",
            "Forwarding method: `gate` (direct routing), `masq` (NAT), `ipip` (tunnel) or `snat`.",
            default="gate",
            on_add=True,
        ),
        Field(
            "scheduler",
            "scheduler",
            ("scheduler",),
            "text",
            "Balancing: `wlc` (weighted least connection), `wrr` (weighted round robin) or `dh`.",
            default="wlc",
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
        ),
        check_port_field(),
    )
