"""The site file's JSON Schema and key reference, generated from the pydantic model in `eas_lb.inputs.site`.

Derived from the model alone (no files, no network), so new-site can ship the schema beside a new
site.yaml and `python -m eas_lb.tools.site_schema` can keep `docs/` in step with the same text.
Only the part of `docs/site-file.md` between the markers is generated.
"""

from __future__ import annotations

import json
import typing
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from eas_lb.inputs.site import Site
from eas_lb.inputs.site_reading import models_in

SCHEMA_FILE = "site-file.schema.json"
REFERENCE_FILE = "site-file.md"
BEGIN = "<!-- BEGIN GENERATED KEYS: python -m eas_lb.tools.site_schema -->"
END = "<!-- END GENERATED KEYS -->"


def schema_text() -> str:
    schema = Site.model_json_schema()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "site-file.schema.json",
        **schema,
        "title": "EAS load balancing site file",
    }
    return json.dumps(schema, indent=2, sort_keys=False) + "\n"


def _type(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type(args[0])
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type(a) for a in args)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in typing.get_args(annotation))
    if origin is tuple:
        return f"list of {_type(args[0])}"
    if origin is dict:
        return f"map of {_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    name = getattr(annotation, "__name__", str(annotation))
    return {
        "str": "text",
        "int": "integer",
        "bool": "`true` \\| `false`",
        "Path": "path",
        "Any": "any",
        "IPvAnyAddress": "IP address",
        "IPvAnyInterface": "address/prefix",
        "IPvAnyNetwork": "network/prefix",
    }.get(name, name)


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        value = field.default_factory()
        if isinstance(value, BaseModel):
            return "(its defaults)"
        return f"`{json.dumps(value)}`"
    if field.default is None or field.default is PydanticUndefined:
        return "-"
    if isinstance(field.default, bool):
        return f"`{str(field.default).lower()}`"
    if field.default == ():
        return "`[]`"
    return f"`{field.default}`"


def _rows(model: type[BaseModel], prefix: str, seen: dict[type[BaseModel], str] | None = None) -> list[str]:
    seen = {} if seen is None else seen
    rows = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        nested = models_in(annotation)
        listed = typing.get_origin(annotation) is tuple or (
            typing.get_origin(annotation) is typing.Annotated
            and typing.get_origin(typing.get_args(annotation)[0]) is tuple
        )
        description = (field.description or "").replace("|", "\\|")
        if not description and nested:
            description = ((nested[0].__doc__ or "").strip().splitlines() or [""])[0]
        if nested and nested[0] in seen:
            description = f"{description.rstrip('.')}; same keys as `{seen[nested[0]]}`"
        rows.append(f"| `{key}` | {_type(annotation)} | {_default(field)} | {description} |")
        if nested and nested[0] not in seen:
            seen[nested[0]] = key
            rows += _rows(nested[0], f"{key}[]." if listed else f"{key}.", seen)
    return rows


def reference_table() -> str:
    lines = ["| key | type | default | meaning |", "| --- | --- | --- | --- |", *_rows(Site, "")]
    return "\n".join(lines)


def render_reference(current: str) -> str:
    """`current` with the text between the markers replaced by the generated table."""
    before, found, rest = current.partition(BEGIN)
    if not found:
        raise ValueError(f"{REFERENCE_FILE} has no line {BEGIN!r}")
    _, found_end, after = rest.partition(END)
    if not found_end:
        raise ValueError(f"{REFERENCE_FILE} has no line {END!r}")
    return f"{before}{BEGIN}\n{reference_table()}\n{END}{after}"
