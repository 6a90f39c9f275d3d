"""Field tables: how one resource attribute maps to an API field and a `list dumpconfig` element.

A table per resource type (`model.tables`) keeps names, defaults, closed sets of values,
normalization and documentation in one row, so create, update, read, plan-time validation, the
generated docs and the site tools that compare an appliance with a site (`eas_lb` verify and
adopt) cannot disagree. Nothing here knows Terraform: the provider's resources turn a `Field`
into a schema attribute (`resources.schema_helpers.attribute_of`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from lborg_provider.model import normalize
from lborg_provider.model.choices import Choices
from lborg_provider.model.normalize import Kind


class _Derived:
    """The type of `DERIVED`: one value, shown by name in messages and docs."""

    def __repr__(self) -> str:
        return "DERIVED"


#: The default of a field the appliance derives from other fields (a check port from the first
#: port): no fixed default, so a plan shows it as known after apply.
DERIVED: Final = _Derived()


class UnreadableValue(ValueError):
    """An element the appliance returned that this field cannot read; never guessed around."""

    def __init__(self, path: tuple[str, ...], raw: Any, expected: str) -> None:
        super().__init__(f"element {'/'.join(path)} = {normalize.text(raw)!r} is not {expected}")
        self.path = path


@dataclass(frozen=True, kw_only=True)
class Field:
    """One attribute of a VIP or real server, declared by keyword so a row reads on its own.

    `attr` is the Terraform attribute; `api` the add/edit field name where it differs from `attr`;
    `read_only` that the API cannot set it (then `api` is None); `path` the element below the
    `virtual`/`real` element where it differs from `(attr,)`; `default` the appliance's default
    shown in plans (`DERIVED`: derived from other fields and known after apply); `on_add` whether
    `add-*` must carry it; `choices` the closed set of values a configuration may give (None: any
    value of the kind).
    """

    attr: str
    kind: Kind
    description: str
    api: str | None = None
    read_only: bool = False
    path: tuple[str, ...] = ()
    default: Any = DERIVED
    is_required: bool = False
    replace: bool = False
    on_add: bool = False
    other_paths: tuple[tuple[str, ...], ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    choices: Choices | None = None

    def __post_init__(self) -> None:
        # Frozen: the defaults that follow from `attr` are set once, here.
        object.__setattr__(self, "api", None if self.read_only else (self.api or self.attr))
        object.__setattr__(self, "path", self.path or (self.attr,))

    def _located(self, element: dict[str, Any]) -> tuple[tuple[str, ...], Any]:
        path, raw = self.path, normalize.dig(element, *self.path)
        for other in self.other_paths:
            if raw is not None:
                break
            path, raw = other, normalize.dig(element, *other)
        return path, raw

    def from_appliance(self, element: dict[str, Any]) -> Any:
        """The attribute's value from the appliance element, normalized to the schema's type
        (lenient: a value of the wrong kind reads as empty; `checked_from_appliance` refuses it)."""
        return self.normalize(self._located(element)[1])

    def checked_from_appliance(self, element: dict[str, Any]) -> Any:
        """Like `from_appliance`, but raises `UnreadableValue` for a value of the wrong kind (a
        number that is not one, a flag that is neither on nor off, ports that are not a port
        list) instead of guessing. Provider reads and `doctor` use this one."""
        path, raw = self._located(element)
        if isinstance(raw, list | dict) and raw not in ([], {}):
            raise UnreadableValue(path, raw, "a single value")
        if self.kind == "number":
            try:
                normalize.number(raw)
            except ValueError:
                raise UnreadableValue(path, raw, "a number") from None
        if self.kind == "flag" and normalize.known_flag(raw) is None:
            raise UnreadableValue(path, raw, "on or off")
        if self.kind == "ports" and normalize.port_set(raw) is None:
            raise UnreadableValue(path, raw, "a port list such as 80, 80,443, 80:443 or 8000-8010")
        return self.normalize(raw)

    def normalize(self, raw: Any) -> Any:
        return normalize.value_of(self.kind, raw, self.synonyms)

    def same(self, left: Any, right: Any) -> bool:
        """Equal after normalization (`normalize.same`: `30` and `"30"`, `"on"` and `true`); a
        value that is not plain data, or None, equals only itself."""
        return normalize.same(self.kind, left, right, self.synonyms)

    def refused(self, value: Any) -> str | None:
        """Why a configured `value` is not one this field takes (None when it is, or when the
        field has no closed set, or the value is not known yet): the message lists the allowed
        values, so a typo is fixed from the message alone."""
        if self.choices is None or not isinstance(value, str | int | float) or isinstance(value, bool):
            return None
        return self.choices.refused(self.attr, normalize.text(value))


def keep_same_spelling(
    fields: tuple[Field, ...], known: dict[str, Any], read: dict[str, Any]
) -> dict[str, Any]:
    """What was read, keeping the spelling already in state where it means the same (`80:443` read
    back for `80,443`, `other_tcp` for `tcp`), so a refresh alone never plans a change."""
    merged = dict(read)
    for f in fields:
        old = known.get(f.attr)
        if f.attr in merged and old is not None and f.same(old, merged[f.attr]):
            merged[f.attr] = old
    return merged
