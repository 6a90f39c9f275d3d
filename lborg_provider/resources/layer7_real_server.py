"""`lborg_layer7_real_server`: a real server of a Layer 7 VIP."""

from __future__ import annotations

from lborg_provider.model.tables import LAYER7_REAL_SERVER
from lborg_provider.resources.table_resource import RealServerResource


class Layer7RealServerResource(RealServerResource):
    type_suffix = "_layer7_real_server"
    description = (
        "A real server of a Layer 7 VIP. Import as `VIP/RIP`: "
        "`terraform import lborg_layer7_real_server.x MGMT_HTTPS-443/EAS_SSS-1`."
    )
    table = LAYER7_REAL_SERVER
