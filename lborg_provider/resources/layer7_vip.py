"""`lborg_layer7_vip`: a Layer 7 (HAProxy) virtual service."""

from __future__ import annotations

from lborg_provider.model.tables import LAYER7_VIP
from lborg_provider.resources.table_resource import VipResource


class Layer7VipResource(VipResource):
    type_suffix = "_layer7_vip"
    description = (
        "A Layer 7 virtual service (HAProxy). Defaults are the appliance's lbcli defaults; the "
        "constructs set the deployment guide's values explicitly. Import with the label: "
        "`terraform import lborg_layer7_vip.x MGMT_HTTPS-443`. Changes take effect on the next "
        "`lborg_commit` (reload-haproxy)."
    )
    table = LAYER7_VIP
