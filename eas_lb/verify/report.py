"""The verify report: one row per VIP and test, rendered as a table or as JSON."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    """How one test ended. ``skip`` never fails a run: it says what could not be observed."""

    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


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

    def add(self, subject: str, address: str, test: str, outcome: Outcome, detail: str) -> None:
        self.rows.append(Row(subject, address, test, outcome, detail))

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
        headers = ("VIP", "ADDRESS", "TEST", "RESULT", "DETAIL")
        cells = [(r.subject, r.address, r.test, r.outcome.value.upper(), r.detail) for r in self.rows]
        widths = [
            max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)
        ]
        lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
        lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells]
        c = self.counts()
        verdict = "every check passed" if self.passed else "verification FAILED"
        total = len(self.rows)
        lines.append(
            f"{verdict}: {c['pass']} of {total} checks passed ({c['fail']} failed, {c['skip']} skipped)"
        )
        return "\n".join(lines)
