"""`lborg_layer4_vip`: a Layer 4 (LVS/ldirectord) virtual service."""

from __future__ import annotations

from lborg_provider.model.tables import LAYER4_VIP
from lborg_provider.resources.table_resource import VipResource


class Layer4VipResource(VipResource):
    type_suffix = "_layer4_vip"
    description = (
        "A Layer 4 virtual service (LVS, managed by ldirectord). Defaults are the appliance's lbcli "
        "defaults; the constructs set the deployment guide's values (NAT, `masq`) explicitly. Import "
        "with the label: `terraform import lborg_layer4_vip.x SERV_SIP-5060`. Changes take effect on "
        "the next `lborg_commit` (reload-ldirectord)."
    )
    table = LAYER4_VIP
