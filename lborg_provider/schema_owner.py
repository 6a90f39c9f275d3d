"""What resources and data sources share: a type name, a schema, their provider and its appliance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from tf.schema import Attribute, Schema

if TYPE_CHECKING:
    from lborg_provider.appliance import Appliance
    from lborg_provider.provider import LborgProvider


class SchemaOwner:
    """Subclasses define `type_suffix`, `description` and `attributes()`."""

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

    def validate(self, diags: Any, type_name: str, config: dict[str, Any]) -> None:
        """Unknown keys are errors (a typo in HCL or a stale state must not pass silently)."""
        known = {attribute.name for attribute in self.attributes()}
        for key in sorted(set(config) - known):
            diags.add_error(f"Unknown field {type_name}.{key}", f"'{key}' is not an attribute of {type_name}")

    def appliance(self) -> Appliance:
        return self.provider.appliance()
