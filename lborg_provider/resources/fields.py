"""Field tables: how one schema attribute maps to an API field and a `list dumpconfig` element.

A table per resource type keeps names, defaults, normalization and documentation in one row, so
create, update, read and the generated docs cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from tf.schema import Attribute
from tf.types import Bool, Number, String, TfType, Unknown

from lborg_provider import normalize
from lborg_provider.schema_helpers import optional, required

Kind = Literal["text", "number", "flag", "ports"]


@dataclass(frozen=True)
class Field:
    """One attribute of a VIP or real server.

    `api` is the edit/add field name (None: the API cannot set it), `path` the element below the
    `virtual`/`real` element, `default` the appliance's default shown in plans (Unknown: derived
    from other fields and known after apply), `on_add` whether `add-*` must carry it.
    """

    attr: str
    api: str | None
    path: tuple[str, ...]
    kind: Kind
    description: str
    default: Any = Unknown
    is_required: bool = False
    replace: bool = False
    on_add: bool = False

    def tf_type(self) -> TfType:
        if self.kind == "number":
            return Number()
        if self.kind == "flag":
            return Bool()
        return String()

    def attribute(self) -> Attribute:
        if self.is_required:
            return required(self.attr, self.tf_type(), self.description, replace=self.replace)
        return optional(
            self.attr, self.tf_type(), self.description, default=self.default, replace=self.replace
        )

    def from_appliance(self, element: dict[str, Any]) -> Any:
        """The attribute's value from the appliance element, normalized to the schema's type."""
        raw = normalize.dig(element, *self.path)
        return self.normalize(raw)

    def normalize(self, raw: Any) -> Any:
        if self.kind == "number":
            return normalize.number_or(raw, None)
        if self.kind == "flag":
            return normalize.flag(raw)
        if self.kind == "ports":
            return normalize.ports_text(raw)
        return normalize.text(raw)

    def same(self, left: Any, right: Any) -> bool:
        """Equal after normalization: `30` and `"30"`, `"on"` and `true`, `"80, 443"` and `"80,443"`."""
        if left is Unknown or right is Unknown:
            return left is right
        if left is None or right is None:
            return left is right
        return bool(self.normalize(left) == self.normalize(right))
