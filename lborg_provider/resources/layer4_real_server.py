"""`lborg_layer4_real_server`: a real server of a Layer 4 VIP."""

from __future__ import annotations

from lborg_provider.model.tables import LAYER4_REAL_SERVER
from lborg_provider.resources.table_resource import RealServerResource


class Layer4RealServerResource(RealServerResource):
    type_suffix = "_layer4_real_server"
    description = (
        "A real server of a Layer 4 VIP. Import as `VIP/RIP`: "
        "`terraform import lborg_layer4_real_server.x SERV_SIP-5060/EAS_SSS-1`."
    )
    table = LAYER4_REAL_SERVER
