"""Text tables for the command line, drawn by rich and readable without a terminal.

Output is plain text with no colour and no box characters when it goes to a file or a pipe, or when
``NO_COLOR`` is set (https://no-color.org), so logs of CI runs and files written by ``--out`` stay
readable; columns never wrap, a long cell widens its column instead.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The table as text: a header line, then one line per row, columns aligned by spaces."""
    table = Table(box=None, pad_edge=False, header_style="", expand=False)
    for header in headers:
        table.add_column(Text(header), no_wrap=True, overflow="ignore")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # cells are data: '[::1]' is not markup
    buffer = io.StringIO()
    console = Console(file=buffer, width=10_000, no_color=True, color_system=None, force_terminal=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines() if line.strip()) + "\n"
