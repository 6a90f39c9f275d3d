"""What the data sources share: schema plumbing and turning failures into diagnostics."""

from __future__ import annotations

from typing import Any

from lborg_provider.client.errors import ApplianceError
from lborg_provider.resources.base import State, report
from lborg_provider.resources.schema_owner import SchemaOwner
from lborg_provider.runtime.connection import NotConfigured


class LborgDataSource(SchemaOwner):
    def load(self, config: State) -> State:
        raise NotImplementedError

    def read(self, ctx: Any, config: State) -> State | None:
        try:
            return self.load(config)
        except (ApplianceError, NotConfigured) as error:
            report(ctx.diagnostics, error, ctx.type_name)
            return None
