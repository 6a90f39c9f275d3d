"""What the data sources share: schema plumbing and turning failures into diagnostics."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from tf.schema import Attribute, Schema

from lborg_provider.client.errors import ApplianceError
from lborg_provider.resources.base import NotConfigured, State, report

if TYPE_CHECKING:
    from lborg_provider.appliance import Appliance
    from lborg_provider.provider import LborgProvider


class LborgDataSource:
    type_suffix: ClassVar[str]
    description: ClassVar[str]

    def __init__(self, provider: LborgProvider) -> None:
        self.provider = provider

    @classmethod
    def get_name(cls) -> str:
        return cls.type_suffix

    @classmethod
    def attributes(cls) -> list[Attribute]:
        raise NotImplementedError

    @classmethod
    def get_schema(cls) -> Schema:
        return Schema(attributes=cls.attributes(), description=cls.description)

    def validate(self, diags: Any, type_name: str, config: State) -> None:
        known = {attribute.name for attribute in self.attributes()}
        for key in sorted(set(config) - known):
            diags.add_error(f"Unknown field {type_name}.{key}", f"'{key}' is not an attribute of {type_name}")

    def appliance(self) -> Appliance:
        return self.provider.appliance()

    def load(self, config: State) -> State:
        raise NotImplementedError

    def read(self, ctx: Any, config: State) -> State | None:
        try:
            return self.load(config)
        except (ApplianceError, NotConfigured) as error:
            report(ctx.diagnostics, error, ctx.type_name)
            return None
