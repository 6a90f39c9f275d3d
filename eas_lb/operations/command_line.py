"""How a command module declares its `eas-lb` subcommand: one list of click options and its `run`.

    OPTIONS = (
        site_option(),
        click.option("--output", type=PATH, default="cdktf.out", help="..."),
    )
    command = declare("synth", run, OPTIONS, summary="...", example="eas-lb synth --site site.yaml")

`run(options)` reads the values by name (`options.site`), as it reads argparse's namespace, so a
new flag is one more `click.option(...)` line in the module's OPTIONS. `run`'s return value is the
exit code (docs/command-line.md).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import click

from eas_lb import package_version
from eas_lb.operations.site_option import default_site

#: A path option or argument, given to `run` as a `pathlib.Path`.
PATH = click.Path(path_type=Path)
#: What `run` receives: the options by name.
Options = SimpleNamespace
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def declare(
    name: str,
    run: Callable[[Options], int] | str,
    options: Sequence[Decorator],
    *,
    summary: str,
    example: str,
    details: str | None = None,
) -> click.Command:
    """The click command `eas-lb NAME`: its options, a help that ends with an example, `run`.

    `details` (a module's docstring after its first paragraph, say) goes between the two. `run` given
    as "module:function" is imported when the command runs: a declaration in a module of its own
    then answers `--help` without loading the command's dependencies (HTTP client, models).
    """

    def callback(**values: Any) -> None:
        sys.exit(_function(run)(Options(**values)))

    for option in reversed(options):
        callback = option(callback)
    callback = click.version_option(package_version(), message="%(prog)s %(version)s")(callback)
    return click.command(
        name,
        help=f"{summary[0].upper()}{summary[1:]}.\n\n"
        + (f"{details.strip()}\n\n" if details else "")
        + f"Example: {example}",
        short_help=summary,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    )(callback)


def _function(run: Callable[[Options], int] | str) -> Callable[[Options], int]:
    if not isinstance(run, str):
        return run
    module, _, name = run.partition(":")
    function: Callable[[Options], int] = getattr(importlib.import_module(module), name)
    return function


def site_option(help: str = "the site file (default: $EAS_SITE, else ./site.yaml)") -> Decorator:
    """`--site SITE.yaml`: the path given, else `$EAS_SITE`, else `./site.yaml`, else a usage error."""
    return click.option(
        "--site", type=PATH, metavar="SITE.yaml", required=True, default=default_site, help=help
    )
