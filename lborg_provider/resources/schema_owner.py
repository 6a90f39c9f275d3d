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
        """Built once per type: `tf` asks for it on every state upgrade, and it never changes."""
        return _schema_of(cls)

    @classmethod
    def attribute_names(cls) -> tuple[str, ...]:
        """The schema's attribute names in order, built once per type (asked on every request)."""
        return _names_of(cls)

    def validate(self, diags: Any, type_name: str, config: dict[str, Any]) -> None:
        """Unknown keys are errors (a typo in HCL or a stale state must not pass silently)."""
        known = self.attribute_names()
        for key in sorted(set(config).difference(known)):
            diags.add_error(f"Unknown field {type_name}.{key}", f"'{key}' is not an attribute of {type_name}")

    def connection(self) -> ApplianceConnection:
        """The provider's connection to its appliance; `NotConfigured` until the block is resolved."""
        return self.data.connection()


#: Each type's schema and attribute names, built on first use; a race builds the same value twice.
_SCHEMAS: dict[type[SchemaOwner], Schema] = {}
_NAMES: dict[type[SchemaOwner], tuple[str, ...]] = {}


def _schema_of(owner: type[SchemaOwner]) -> Schema:
    schema = _SCHEMAS.get(owner)
    if schema is None:
        schema = _SCHEMAS[owner] = Schema(attributes=owner.attributes(), description=owner.description)
    return schema


def _names_of(owner: type[SchemaOwner]) -> tuple[str, ...]:
    names = _NAMES.get(owner)
    if names is None:
        names = _NAMES[owner] = tuple(attribute.name for attribute in _schema_of(owner).attributes)
    return names
