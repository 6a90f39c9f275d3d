"""Generate the site file's JSON Schema and key reference from the pydantic model.

    python -m eas_lb.tools.site_schema            # rewrite docs/site-file.schema.json and the
                                                  # generated table in docs/site-file.md
    python -m eas_lb.tools.site_schema --check    # exit 1 when either is out of date

The model in `eas_lb/site.py` is the single source: editors validate and complete a site file
with the schema (`# yaml-language-server: $schema=...`), and the reference lists every key with
its type, default and description. Only the part of `docs/site-file.md` between the markers is
generated; the prose and examples around it are written by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from eas_lb.site import Site

DOCS = Path(__file__).resolve().parents[2] / "docs"
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


def _models(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found += _models(argument)
    return found


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
        nested = _models(annotation)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eas_lb.tools.site_schema", description=__doc__)
    parser.add_argument("--docs", type=Path, default=DOCS, help="documentation folder (default: docs/)")
    parser.add_argument("--check", action="store_true", help="only report out-of-date files; exit 1 if any")
    args = parser.parse_args(argv)
    reference_path = args.docs / REFERENCE_FILE
    wanted = {
        args.docs / SCHEMA_FILE: schema_text(),
        reference_path: render_reference(reference_path.read_text(encoding="utf-8")),
    }
    stale = [path for path, text in wanted.items() if not path.is_file() or path.read_text() != text]
    if args.check:
        for path in stale:
            print(f"out of date: {path}; regenerate with python -m eas_lb.tools.site_schema", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
