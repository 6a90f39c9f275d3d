"""Short constructors for schema attributes, so each resource's schema reads like a table."""

from __future__ import annotations

from typing import Any

from tf.schema import Attribute
from tf.types import TfType, Unknown

from lborg_provider.model.fields import DERIVED, Field
from lborg_provider.resources.state_number import Number


def required(name: str, kind: TfType, description: str, *, replace: bool = False) -> Attribute:
    return Attribute(name, kind, description=description, required=True, requires_replace=replace or None)


def optional(
    name: str,
    kind: TfType,
    description: str,
    *,
    default: Any = Unknown,
    replace: bool = False,
    sensitive: bool = False,
) -> Attribute:
    """Optional and computed: when unset, the plan shows `default` (or "known after apply")."""
    return _optional(
        name, kind, description, computed=True, default=default, replace=replace, sensitive=sensitive
    )


def optional_plain(
    name: str, kind: TfType, description: str, *, replace: bool = False, sensitive: bool = False
) -> Attribute:
    """Optional, not computed: unset stays null in state (used for inputs the appliance never reports)."""
    return _optional(
        name, kind, description, computed=False, default=Unknown, replace=replace, sensitive=sensitive
    )


def _optional(
    name: str, kind: TfType, description: str, *, computed: bool, default: Any, replace: bool, sensitive: bool
) -> Attribute:
    return Attribute(
        name,
        kind,
        description=description,
        optional=True,
        computed=computed,
        default=default,
        requires_replace=replace or None,
        sensitive=sensitive,
    )


def computed(name: str, kind: TfType, description: str) -> Attribute:
    return Attribute(name, kind, description=description, computed=True)


def identifier(description: str) -> Attribute:
    return Attribute("id", _string(), description=description, computed=True)


def _string() -> TfType:
    from tf.types import String

    return String()


def attribute_of(field: Field) -> Attribute:
    """The schema attribute of a field-table row (`model.fields.DERIVED`: known after apply)."""
    kind = _kind_type(field)
    if field.is_required:
        return required(field.attr, kind, field.description, replace=field.replace)
    default = Unknown if field.default is DERIVED else field.default
    return optional(field.attr, kind, field.description, default=default, replace=field.replace)


def _kind_type(field: Field) -> TfType:
    from tf.types import Bool, String

    if field.kind == "number":
        return Number()
    if field.kind == "flag":
        return Bool()
    return String()
