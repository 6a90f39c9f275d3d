"""How a command module declares its `eas-lb` subcommand: one list of click options and its `run`.

    OPTIONS = (
        site_option(),
        click.option("--output", type=PATH, default="cdktf.out", help="..."),
    )
    command = declare("synth", run, OPTIONS, summary="...", example="eas-lb synth --site site.yaml")

`run(options)` reads the values by name (`options.site`), so a new flag is one more
`click.option(...)` line in the module's OPTIONS. `run`'s return value is the exit code
(docs/command-line.md). The declaration is the project's one (`lborg_support.command_line`, which
the provider's and the simulator's commands use too), with `eas-lb`'s version.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Unpack

import click

from eas_lb import package_version
from eas_lb.operations.site_option import default_site
from lborg_support import command_line
from lborg_support.command_line import Decorator, Help, Options, Run, passed_on, repeatable

__all__ = [
    "PATH",
    "Decorator",
    "Options",
    "declare",
    "details_of",
    "group",
    "passed_on",
    "repeatable",
    "site_option",
]

#: A path option or argument, given to `run` as a `pathlib.Path`.
PATH = click.Path(path_type=Path)


def declare(name: str, run: Run, options: Sequence[Decorator], **text: Unpack[Help]) -> click.Command:
    """The click command `eas-lb NAME`: its options, a help that ends with an example, `run`.

    `text`: `summary`, `example` and, between the two, `details` (what the command does, its exit
    codes), passed on to `lborg_support.command_line.declare` with `eas-lb`'s version. `run` given as
    "module:function" is imported when the command runs: a declaration in a module of its own
    then answers `--help` without loading the command's dependencies (cdktf, HTTP client, models).
    """
    return command_line.declare(name, run, options, version=package_version(), **text)


def group(
    name: str,
    commands: Sequence[click.Command],
    *,
    summary: str,
    example: str,
    options: Sequence[Decorator] = (),
) -> click.Group:
    """`eas-lb NAME SUB`: subcommands declared with `declare`; the group's own `options` reach
    their `run` through `lborg_support.command_line.shared()`."""
    return command_line.group(
        name, commands, summary=summary, example=example, version=package_version(), options=options
    )


def site_option(
    help: str = "the site file (default: $EAS_SITE, else ./site.yaml)", *, required: bool = True
) -> Decorator:
    """`--site SITE.yaml`: the path given, else `$EAS_SITE`, else `./site.yaml`, else (when
    `required`) a usage error naming the three ways. click takes a default computed as None for a
    value given, so the check is ours."""
    return click.option(
        "--site",
        type=PATH,
        metavar="SITE.yaml",
        default=default_site,
        callback=_site_given if required else None,
        help=help,
    )


def _site_given(context: click.Context, parameter: click.Parameter, value: Path | None) -> Path:
    if value is None:
        raise click.MissingParameter(
            "Give --site SITE.yaml, export EAS_SITE, or run it where the site's site.yaml is",
            ctx=context,
            param=parameter,
        )
    return value


def details_of(module: str) -> str | None:
    """A module's docstring after its first paragraph, read from its source without importing it.

    A command's long help (what it does, its exit codes) stays in the module that does it, and its
    declaration still answers `--help` without loading that module's imports (cdktf, HTTP)."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return None
    docstring = ast.get_docstring(ast.parse(Path(spec.origin).read_text(encoding="utf-8")))
    parts = (docstring or "").split("\n\n", 1)
    return parts[1] if len(parts) == 2 else None
