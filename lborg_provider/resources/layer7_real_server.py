"""`lborg_layer7_real_server`: a real server of a Layer 7 VIP."""

from __future__ import annotations

from lborg_provider.resources.fields import Field
from lborg_provider.resources.rip_base import RipResource, identity_fields, weight_fields


class Layer7RealServer(RipResource):
    type_suffix = "_layer7_real_server"
    description = (
        "A real server of a Layer 7 VIP. Import as `VIP/RIP`: "
        "`terraform import lborg_layer7_real_server.x MGMT_HTTPS-443/EAS_SSS-1`."
    )
    layer = "7"
    service = "haproxy"
    fields = (
        *identity_fields("Layer 7"),
        Field("port", "port", ("port",), "number", "The real server's port.", is_required=True),
        *weight_fields(),
        Field(
            "encrypted",
            None,
            ("encrypted",),
            "flag",
            "Whether HAProxy re-encrypts traffic to the real server. Read-only in practice: API v2's "
            "add-rip/edit-rip have no field for it, so only `false` can be planned.",
            default=False,
        ),
    )
