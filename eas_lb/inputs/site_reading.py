"""Reading a site file: YAML with positions, validated by the models, every error located.

Every error names the file, the line and column in it and the field: `site.yaml:12:5: pairs[0]...`,
so that a user goes straight to the line to fix. Checks that need the pools file as well live in
`eas_lb.inputs.site_checks`.
"""

from __future__ import annotations

import difflib
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from eas_lb.inputs.backend_config import secret_problems
from eas_lb.inputs.pools import Problem
from eas_lb.inputs.site_models import Site, SiteFileError
from eas_lb.inputs.yaml_input import Positions, YamlInputError, load_yaml, locate, where_text


def _read_yaml(path: Path) -> tuple[Any, Positions]:
    source = str(path)
    try:
        data_bytes = path.read_bytes()
    except OSError as error:
        raise SiteFileError([Problem(source, 0, 0, f"cannot read the site file: {error.strerror}")]) from None
    try:
        text = data_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data_bytes[: error.start].count(b"\n") + 1
        line_start = data_bytes.rfind(b"\n", 0, error.start) + 1
        before = data_bytes[line_start : error.start].removeprefix(b"\xef\xbb\xbf")
        column = len(before.decode("utf-8", errors="replace")) + 1
        message = f"not UTF-8 text (byte 0x{data_bytes[error.start]:02x}); save the site file as UTF-8"
        raise SiteFileError([Problem(source, line, column, message)]) from None
    try:
        data, positions = load_yaml(text, source)
    except YamlInputError as error:
        raise SiteFileError(error.problems) from None
    if not isinstance(data, dict):
        raise SiteFileError([Problem(source, 1, 1, "expected a mapping with name, pools and pairs")])
    return data, positions


def load_site(path: Path) -> Site:
    """Read and validate a site file (paths in it resolved against its directory)."""
    site, _ = load_site_with_positions(path)
    return site


def load_site_with_positions(path: Path) -> tuple[Site, Positions]:
    """The validated site and where each of its keys is, for checks that point into the file."""
    data, positions = _read_yaml(path)
    try:
        site = Site.model_validate(data, context={"base_dir": path.resolve().parent})
    except ValidationError as error:
        problems = []
        items = error.errors(include_url=False)
        failed = [tuple(item["loc"]) for item in items]
        for item in items:
            location = tuple(item["loc"])
            if item["type"] == "too_short" and any(len(f) > len(location) for f in failed):
                continue  # the items themselves are wrong; their errors say more
            line, column = locate(positions, location)
            message = item["msg"].removeprefix("Value error, ")
            if item["type"] == "extra_forbidden":
                message = unknown_key_message(location)
            elif item["type"] == "string_pattern_mismatch":
                message = (
                    f"{item['input']!r} must be letters, digits, '_' or '-' (it names stacks and resources)"
                )
            problems.append(Problem(str(path), line, column, f"{where_text(location)}: {message}"))
        raise SiteFileError(problems) from None
    secrets = secret_problems(site.backend.kind, site.backend.config)
    if secrets:
        located = [(("backend", "config", *where), message) for where, message in secrets]
        raise SiteFileError(
            [
                Problem(str(path), *locate(positions, where), f"{where_text(where)}: {message}")
                for where, message in located
            ]
        )
    return site, positions


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Optional, tuples, dicts, Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for argument in typing.get_args(annotation):
        found += models_in(argument)
    return found


def _model_at(location: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model that holds the last key of `location` (`("pairs", 0, "primary", "x")` → Node)."""
    model: type[BaseModel] = Site
    for part in location[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(str(part))
        if field is None:
            return None
        models = models_in(field.annotation)
        if not models:
            return None
        model = models[0]
    return model


def unknown_key_message(location: tuple[Any, ...]) -> str:
    """`unknown key 'pasword_env'; did you mean 'password_env'? (valid here: ...)`."""
    key = str(location[-1]) if location else ""
    model = _model_at(location)
    if model is None:
        return "unknown key; see docs/site-file.md for the keys of a site file"
    valid = list(model.model_fields)
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    return f"unknown key '{key}'; {hint}(valid here: {', '.join(valid)}; see docs/site-file.md)"
