"""`lborg_layer4_real_server`: a real server of a Layer 4 VIP."""

from __future__ import annotations

from lborg_provider.resources.fields import Field
from lborg_provider.resources.rip_base import RipResource, identity_fields, weight_fields


class Layer4RealServer(RipResource):
    type_suffix = "_layer4_real_server"
    description = (
        "A real server of a Layer 4 VIP. Import as `VIP/RIP`: "
        "`terraform import lborg_layer4_real_server.x SERV_SIP-5060/EAS_SSS-1`."
    )
    layer = "4"
    service = "ldirectord"
    fields = (
        *identity_fields("Layer 4"),
        Field(
            "port",
            "port",
            ("port",),
            "number",
            "The real server's port. Default: the VIP's first port (direct routing ignores it).",
        ),
        *weight_fields(),
    )
