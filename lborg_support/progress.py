"""The one progress line of the command line: what a long command is doing now.

At a terminal the step marker is drawn by rich (bold, coloured); anywhere else (a CI log, a pipe,
a test) the line is plain text, `==> what`, so logs read the same whatever ran them. Commands say
each step through `say`, never with a `print` of their own.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

MARKER = "==>"


def say(line: str) -> None:
    """One step, on standard output, flushed at once (a long step follows it)."""
    if sys.stdout.isatty():
        from rich.markup import escape

        _terminal().print(f"[bold blue]{MARKER}[/] {escape(line)}", highlight=False, soft_wrap=True)
        sys.stdout.flush()
    else:
        print(f"{MARKER} {line}", flush=True)


@cache
def _terminal() -> Console:
    from rich.console import Console  # rich costs 0.1 s to import: only at a terminal

    return Console()
