"""The one way a command of the project is declared and run: click, an example in every `--help`,
and one table of exit codes (docs/command-line.md).

    command = declare("lock", run, OPTIONS, summary="...", example="eas-lb provider lock DIR", version=V)

`run(options)` reads the values by name (`options.dir`) and returns the exit code, so a new flag is
one more `click.option(...)` line in the module's OPTIONS. `run` given as "module:function" is
imported only when the command runs: a declaration then answers `--help` without loading what the
command needs. The provider, the simulator and `eas-lb` all declare their commands here, so each
of the three command lines reads the same and maps a usage error to the same code.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, NotRequired, TypedDict

import click

#: What `run` receives: the options by name.
Options = SimpleNamespace
Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
Run = Callable[[Options], int] | str

#: docs/command-line.md: a usage error (click's own code for one is 2, which means "changes found").
EXIT_USAGE = 3
EXIT_FAILED = 1
#: `--help` on every command, wrapped at a width that keeps a terminal's table readable.
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


class Help(TypedDict):
    """The help keywords of `declare`, for a wrapper that passes them on as they are."""

    summary: str
    example: str
    details: NotRequired[str | None]


def declare(
    name: str,
    run: Run,
    options: Sequence[Decorator],
    *,
    summary: str,
    example: str,
    version: str,
    details: str | None = None,
) -> click.Command:
    """The click command NAME: its options, a help that ends with an example, `--version`, `run`.

    `details` (a paragraph or two on what the command does and its exit codes) goes between the
    summary and the example.
    """

    def callback(**values: Any) -> None:
        sys.exit(_function(run)(Options(**values)))

    for option in reversed(options):
        callback = option(callback)
    callback = click.version_option(version, message="%(prog)s %(version)s")(callback)
    return click.command(
        name,
        help=_help(summary, details, example),
        short_help=summary,
        context_settings=CONTEXT,
    )(callback)


def group(
    name: str,
    commands: Sequence[click.Command],
    *,
    summary: str,
    example: str,
    version: str,
    options: Sequence[Decorator] = (),
) -> click.Group:
    """A command with subcommands (`eas-lb provider install`), declared like a command. The group's
    own options (`eas-lb demo --site S verify`) reach the subcommand's `run` through `shared()`."""

    def callback(**values: Any) -> None:
        click.get_current_context().obj = Options(**values)

    for option in reversed(options):
        callback = option(callback)
    callback = click.version_option(version, message="%(prog)s %(version)s")(callback)
    made = click.group(
        name, help=_help(summary, None, example), short_help=summary, context_settings=CONTEXT
    )(callback)
    for command in commands:
        made.add_command(command)
    return made


def shared() -> Options:
    """The options of the group the running subcommand was called through (none: empty)."""
    context = click.get_current_context(silent=True)
    found = context.find_object(Options) if context is not None else None
    return found if found is not None else Options()


def _help(summary: str, details: str | None, example: str) -> str:
    return (
        f"{summary[0].upper()}{summary[1:]}.\n\n"
        + (f"{details.strip()}\n\n" if details else "")
        + f"Example: {example}"
    )


def _function(run: Run) -> Callable[[Options], int]:
    if not isinstance(run, str):
        return run
    module, _, name = run.partition(":")
    function: Callable[[Options], int] = getattr(importlib.import_module(module), name)
    return function


def repeatable(*declarations: str, **settings: Any) -> Decorator:
    """An option given any number of times; `run` reads a list (empty when not given)."""
    return click.option(
        *declarations, multiple=True, callback=lambda _context, _option, values: list(values), **settings
    )


def passed_on(name: str, *, metavar: str) -> Decorator:
    """The words after `--`, handed unchanged to the program the command runs (cdktf); a list."""
    return click.argument(
        name,
        nargs=-1,
        type=click.UNPROCESSED,
        metavar=metavar,
        callback=lambda _context, _option, values: list(values),
    )


def run_program(command: click.Command, argv: Sequence[str] | None, prog_name: str) -> int:
    """Run a command line to its exit code, in the table's terms: a usage error is EXIT_USAGE, a
    failure click reports (a missing file, a refused value, Ctrl-C at a prompt) is EXIT_FAILED."""
    try:
        result = command.main(
            args=list(sys.argv[1:] if argv is None else argv), prog_name=prog_name, standalone_mode=False
        )
    except click.exceptions.UsageError as error:
        error.show()
        return EXIT_USAGE
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return EXIT_FAILED
    except click.ClickException as error:
        error.show()
        return EXIT_FAILED
    except SystemExit as done:
        return _code(done.code)
    return result if isinstance(result, int) else 0  # click's own `ctx.exit(code)` (after --help: 0)


def _code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return EXIT_FAILED


def parse_options(command: click.Command, argv: Sequence[str] | None, prog_name: str) -> Options:
    """The options of a command line, for a `main` that runs the rest itself (with arguments a test
    passes in, such as an environment); `--help`, `--version` and a usage error end the program
    with the table's code."""
    try:
        with command.make_context(prog_name, list(sys.argv[1:] if argv is None else argv)) as context:
            return Options(**context.params)
    except click.exceptions.Exit as done:
        raise SystemExit(done.exit_code) from None
    except click.UsageError as error:
        error.show()
        raise SystemExit(EXIT_USAGE) from None
