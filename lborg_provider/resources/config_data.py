"""`lborg_config`: the appliance's whole configuration (`list dumpconfig`)."""

from __future__ import annotations

import json

from tf.schema import Attribute
from tf.types import List, String

from lborg_provider.model.config_view import floating_ips, virtuals
from lborg_provider.model.normalize import text
from lborg_provider.resources.base import State
from lborg_provider.resources.data_source_base import LborgDataSource
from lborg_provider.resources.schema_helpers import computed


class ConfigDataSource(LborgDataSource):
    type_suffix = "_config"
    # Description and attributes() laid out as global_settings_data.py's; each data source its own schema.
    description = (
        "The appliance's whole configuration as `list dumpconfig` returns it, plus the lists most "
        "stacks need. Read from the same cached request the resources use."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            computed("id", String(), "The appliance's name."),
            computed("json", String(), "The whole `list dumpconfig` payload as a JSON string (keys sorted)."),
            computed("floating_ips", List(String()), "Floating IPs (`heartbeat/vip`), in appliance order."),
            computed("layer7_vips", List(String()), "Labels of the Layer 7 VIPs."),
            computed("layer4_vips", List(String()), "Labels of the Layer 4 VIPs."),
        ]

    def load(self, config: State) -> State:
        appliance = self.connection()
        dump = appliance.config()
        return {
            "id": appliance.name,
            "json": json.dumps(dump, sort_keys=True),
            "floating_ips": floating_ips(dump),
            "layer7_vips": [text(item.get("label")) for item in virtuals(dump, "7")],
            "layer4_vips": [text(item.get("label")) for item in virtuals(dump, "4")],
        }
