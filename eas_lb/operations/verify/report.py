"""The verify report: one row per VIP and test, rendered as a table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum

from lborg_support.tables import render_table


class Outcome(StrEnum):
    """How one test ended. ``skip`` never fails a run: it says what could not be observed;
    ``warn`` never fails it either, but is never counted as passed (a server left in drain)."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"
    WARN = "warn"


@dataclass(frozen=True)
class Row:
    """One test of one VIP (or of one appliance, for appliance-wide tests)."""

    subject: str
    address: str
    test: str
    outcome: Outcome
    detail: str


@dataclass
class Report:
    """All rows of a run, in the order the tests ran."""

    site: str
    rows: list[Row] = field(default_factory=list)
    #: Called with each row as its check completes (verify prints it at once).
    on_row: Callable[[Row], None] | None = field(default=None, repr=False, compare=False)
    #: Called with what is being checked now (verify shows it as a progress line on a terminal).
    on_status: Callable[[str], None] | None = field(default=None, repr=False, compare=False)

    def add(self, subject: str, address: str, test: str, outcome: Outcome, detail: str) -> None:
        row = Row(subject, address, test, outcome, detail)
        self.rows.append(row)
        if self.on_row is not None:
            self.on_row(row)

    def status(self, text: str) -> None:
        """Say what runs now; nothing is recorded."""
        if self.on_status is not None:
            self.on_status(text)

    @property
    def passed(self) -> bool:
        return all(row.outcome is not Outcome.FAIL for row in self.rows) and bool(self.rows)

    def counts(self) -> dict[str, int]:
        return {o.value: sum(1 for r in self.rows if r.outcome is o) for o in Outcome}

    def to_json(self) -> str:
        rows = [{**asdict(r), "outcome": r.outcome.value} for r in self.rows]
        return json.dumps(
            {"site": self.site, "passed": self.passed, "counts": self.counts(), "rows": rows}, indent=2
        )

    def to_table(self) -> str:
        return render_table(HEADERS, [_cells(r) for r in self.rows]) + self.verdict()

    def verdict(self) -> str:
        """The last line: passed or FAILED, with the counts."""
        c = self.counts()
        verdict = "every check passed" if self.passed else "verification FAILED"
        if self.passed and c["warn"]:
            verdict = f"no check failed, {c['warn']} warning{'s' if c['warn'] > 1 else ''}"
        total = len(self.rows)
        warned = f", {c['warn']} warned" if c["warn"] else ""
        counted = f"{c['fail']} failed{warned}, {c['skip']} skipped"
        return f"{verdict}: {c['pass']} of {total} checks passed ({counted})"


HEADERS = ("VIP", "ADDRESS", "TEST", "RESULT", "DETAIL")


def _cells(row: Row) -> tuple[str, ...]:
    return (row.subject, row.address, row.test, row.outcome.value.upper(), row.detail)


def format_row(cells: tuple[str, ...], widths: list[int]) -> str:
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def format_live_row(row: Row, widths: list[int]) -> str:
    """One row as printed when its check completes, in columns chosen before the run."""
    return format_row(_cells(row), widths)
