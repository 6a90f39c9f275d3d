"""Text tables for the command line, readable without a terminal.

Output is plain text with no colour and no box characters, so logs of CI runs and files written by
``--out`` stay readable; columns never wrap, a long cell widens its column instead.

Tables are laid out here, by padding each cell to its column's width in terminal cells: a table of
10,000 pools costs milliseconds. rich laid them out before (3.4 s for 10,000 rows, and about 3 ms
of set-up for even the smallest table); the text is the same as rich's for every table rich drew
whole. rich still draws a table with a character Python calls unprintable in a cell (a tab or a
line break, which rich expands or splits over lines; a no-break or zero-width space) or a
character of no width (a combining accent): a rare table, kept as it was.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

#: Between two columns: rich's padding of one cell on each side of a column edge.
COLUMN_GAP = "  "


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """The table as text: a header line, then one line per row, columns aligned by spaces."""
    lines = [headers, *rows]
    if not all(_laid_out_by_hand(cell) for line in lines for cell in line):
        return _render_with_rich(headers, rows)
    widths = [0] * len(headers)
    for line in lines:
        for index, cell in enumerate(line):
            widths[index] = max(widths[index], _cell_width(cell))
    return "".join(_line(line, widths) for line in lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    cells = [*cells, *[""] * (len(widths) - len(cells))]  # a short row ends in empty cells, as in rich
    padded = [cell + " " * (width - _cell_width(cell)) for cell, width in zip(cells, widths, strict=True)]
    return COLUMN_GAP.join(padded).rstrip() + "\n"


def _laid_out_by_hand(cell: str) -> bool:
    """Printable, and (when not ASCII) with no character of zero width: rich has rules of its own
    for a combining accent with nothing to combine with, which are not worth copying."""
    if not cell.isprintable():
        return False
    if cell.isascii():
        return True
    from rich.cells import cell_len

    return all(cell_len(char) > 0 for char in cell)


def _cell_width(cell: str) -> int:
    """Terminal cells the text takes: its length for ASCII, rich's measure (wide CJK, combining) else."""
    if cell.isascii():
        return len(cell)
    from rich.cells import cell_len  # only for the rare non-ASCII cell

    return cell_len(cell)


def _render_with_rich(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    from rich.console import Console  # rich costs 0.1 s to import: only when needed
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="", expand=False)
    for header in headers:
        table.add_column(Text(header), no_wrap=True, overflow="ignore")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # cells are data, never rich markup
    buffer = io.StringIO()
    console = Console(file=buffer, width=10_000, no_color=True, color_system=None, force_terminal=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
