"""Verify's output while it runs: each row as its check completes, and a progress line on a terminal.

A full run takes tens of seconds (connections, persistence probes, fail-over); printing nothing
until the end looks like a hang. Rows go to standard output as they complete, in columns sized
from what the site declares; on a terminal, standard error also shows one line saying what is
being checked now, rewritten in place and erased before the next row is printed.
"""

from __future__ import annotations

import time
from typing import TextIO

from eas_lb.operations.appliances.targets import VipTarget
from eas_lb.operations.verify.report import HEADERS, Row, format_live_row, format_row

#: Widest test names verify writes (`config <appliance>` is sized from the names).
_TEST_WIDTH = len("health-check")
_RESULT_WIDTH = len("RESULT")


def column_widths(vips: list[VipTarget], appliances: dict[str, str]) -> list[int]:
    """Column widths for the live table, from every subject and address the run can report.

    `appliances` maps each appliance's name to its API endpoint (the address of its rows).
    """
    subjects = [vip.label for vip in vips] + list(appliances) + ["service gateway"]
    addresses = [vip.address for vip in vips] + list(appliances.values()) + ["-"]
    addresses += [server for vip in vips for server in vip.servers]  # `server state` rows
    tests = [f"config {name}" for name in appliances] + ["global checks", "fail-over", _TEST_WIDTH * "x"]
    return [
        max(len(HEADERS[0]), *(len(s) for s in subjects)),
        max(len(HEADERS[1]), *(len(a) for a in addresses)),
        max(len(HEADERS[2]), *(len(t) for t in tests)),
        _RESULT_WIDTH,
        0,
    ]


class LiveOutput:
    """Prints rows to `out` as they arrive and, when `progress` is a terminal, a status line there."""

    def __init__(self, out: TextIO, progress: TextIO | None, widths: list[int]) -> None:
        self.out = out
        self.progress = progress if progress is not None and progress.isatty() else None
        self.widths = widths
        self.started = time.monotonic()
        self.done = 0
        self._status = ""
        self._shown = 0
        print(format_row(HEADERS, widths), file=out, flush=True)

    def row(self, row: Row) -> None:
        self._erase()
        self.done += 1
        print(format_live_row(row, self.widths), file=self.out, flush=True)
        self._draw()

    def status(self, text: str) -> None:
        self._status = text
        self._erase()
        self._draw()

    def finish(self) -> None:
        self._erase()

    def _draw(self) -> None:
        if self.progress is None or not self._status:
            return
        elapsed = time.monotonic() - self.started
        line = f"[{self.done} done, {elapsed:.0f} s] {self._status} ..."
        self.progress.write(line)
        self.progress.flush()
        self._shown = len(line)

    def _erase(self) -> None:
        if self.progress is not None and self._shown:
            self.progress.write("\r" + " " * self._shown + "\r")
            self.progress.flush()
            self._shown = 0
