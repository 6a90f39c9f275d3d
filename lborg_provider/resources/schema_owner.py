"""What resources and data sources share: a type name, a schema, and the provider's data.

Each one is built with the provider's data (`runtime.connection.ProviderData`), not with the
provider: the provider imports every type, so the types must not import it back.
"""

from __future__ import annotations

from typing import Any, ClassVar

from tf.schema import Attribute, Schema

from lborg_provider.runtime.connection import ApplianceConnection, ProviderData


class SchemaOwner:
    """Subclasses define `type_suffix`, `description` and `attributes()`."""

    type_suffix: ClassVar[str]
    description: ClassVar[str]

    def __init__(self, data: ProviderData) -> None:
        self.data = data

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

    def connection(self) -> ApplianceConnection:
        """The provider's connection to its appliance; `NotConfigured` until the block is resolved."""
        return self.data.connection()
