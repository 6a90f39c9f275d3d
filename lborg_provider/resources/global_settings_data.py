"""`lborg_global_settings`: the Layer 7 and Layer 4 global health-check settings (`list advanced`).

API v2 has no action to change them, so stacks check the deployment guide's values (L7 check
interval 3000 ms; L4 check interval 3 s, check timeout 3 s, failure count 2) with a
postcondition and fail with a message that says what to change in the WebUI.
"""

from __future__ import annotations

import json

from tf.schema import Attribute
from tf.types import Number, String

from lborg_provider.model.normalize import number_or
from lborg_provider.resources.base import State
from lborg_provider.resources.data_source_base import LborgDataSource
from lborg_provider.resources.schema_helpers import computed


class GlobalSettingsDataSource(LborgDataSource):
    type_suffix = "_global_settings"
    # Description and attributes() laid out as config_data.py's; each data source its own schema.
    description = (
        "Global health-check settings of both layers (`list advanced`, read-only: the API cannot "
        "change them). Check the deployment guide's values with a postcondition, e.g. "
        "`condition = self.l7_interval == 3000`."
    )

    @classmethod
    def attributes(cls) -> list[Attribute]:
        return [
            computed("id", String(), "The appliance's name."),
            computed("l7_interval", Number(), "Layer 7 health-check interval in milliseconds (guide: 3000)."),
            computed("l7_rise", Number(), "Layer 7 successful checks before a real server is up."),
            computed("l7_fall", Number(), "Layer 7 failed checks before a real server is down."),
            computed("l4_check_interval", Number(), "Layer 4 health-check interval in seconds (guide: 3)."),
            computed("l4_check_timeout", Number(), "Layer 4 health-check timeout in seconds (guide: 3)."),
            computed(
                "l4_failure_count", Number(), "Layer 4 failed checks before a real server is down (guide: 2)."
            ),
            computed("l7_json", String(), "The raw Layer 7 global settings as JSON."),
            computed("l4_json", String(), "The raw Layer 4 global settings as JSON."),
        ]

    def load(self, config: State) -> State:
        appliance = self.connection()
        l7, l4 = appliance.client.advanced()
        return {
            "id": appliance.name,
            "l7_interval": number_or(l7.get("interval"), None),
            "l7_rise": number_or(l7.get("rise"), None),
            "l7_fall": number_or(l7.get("fall"), None),
            "l4_check_interval": number_or(l4.get("checkinterval"), None),
            "l4_check_timeout": number_or(l4.get("checktimeout"), None),
            "l4_failure_count": number_or(l4.get("failurecount"), None),
            "l7_json": json.dumps(l7, sort_keys=True),
            "l4_json": json.dumps(l4, sort_keys=True),
        }
