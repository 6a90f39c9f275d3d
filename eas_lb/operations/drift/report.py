"""The drift report as markdown (for a person, and the nightly issue) and as JSON (for scripts).

Written to be read at 3 a.m.: first whether anything drifted and where, then one block per
appliance and pool, each finding with what changed, whether it is live or waits for a reload,
and the two ways out. An appliance that could not be read is named at the top, never taken as
clean. The text is deterministic (no clock, sorted), so the issue only changes when drift does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from eas_lb.operations.drift.appliance_reads import ApplianceReading
from eas_lb.operations.drift.findings import Finding, Kind

MARKER = "<!-- eas-lb-drift -->"
_DEPLOY = "`eas-lb deploy"
EXIT_CLEAN = 0
EXIT_UNKNOWN = 1
EXIT_DRIFT = 2


@dataclass
class DriftReport:
    """Everything one run found, for every appliance stack of the site."""

    site: str
    stacks: list[str]
    appliances: list[ApplianceReading] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: Why something could not be read, each naming the appliance or stack.
    could_not_tell: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        if self.could_not_tell:
            return EXIT_UNKNOWN
        return EXIT_DRIFT if self.findings else EXIT_CLEAN

    @property
    def status(self) -> str:
        return {EXIT_CLEAN: "clean", EXIT_DRIFT: "drift", EXIT_UNKNOWN: "unknown"}[self.exit_code]

    def pending_of(self, appliance: str) -> tuple[str, ...] | None:
        return next((item.pending for item in self.appliances if item.name == appliance), None)

    def sorted_findings(self) -> list[Finding]:
        return sorted(
            set(self.findings), key=lambda f: (f.stack, f.appliance, f.subject, f.kind.value, f.what)
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "status": self.status,
            "exit_code": self.exit_code,
            "stacks": sorted(self.stacks),
            "appliances": [
                {
                    "name": item.name,
                    "pending_reload": list(item.pending) if item.pending is not None else None,
                }
                for item in sorted(self.appliances, key=lambda item: item.name)
            ],
            "findings": [finding.as_json() for finding in self.sorted_findings()],
            "could_not_tell": list(self.could_not_tell),
        }


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _names(items: list[str]) -> str:
    return ", ".join(f"`{item}`" for item in items)


def _liveness(report: DriftReport, finding: Finding) -> str:
    """Whether the change is live or waits for a reload, as far as the appliance says."""
    pending = report.pending_of(finding.appliance)
    if finding.kind in (Kind.SERVER_STATE, Kind.GLOBAL_SETTINGS) or finding.service is None:
        return ""
    if pending is None:
        return "; the appliance does not say whether it is live or waits for a reload"
    if finding.service in pending:
        if finding.kind is Kind.NOT_MANAGED or finding.unset_in_code:
            return (
                f"; **pending a reload of {finding.service}: not live yet, the next reload makes it live, "
                "a deploy's too**"
            )
        return f"; **pending a reload of {finding.service}: not live yet, the next reload makes it live**"
    return "; live"


def _headline(report: DriftReport) -> list[str]:
    findings = report.sorted_findings()
    drifted = sorted({f.appliance for f in findings})
    read = sorted(item.name for item in report.appliances)
    lines = []
    if report.could_not_tell:
        lines += [
            "**⚠ Could not tell:** "
            + ("; ".join(report.could_not_tell))
            + ". What is below covers only what could be read; the rest is **not** known to be clean.",
            "",
        ]
    if findings:
        lines.append(
            f"**{_plural(len(findings), 'drifted object')}** on {_names(drifted)} · "
            f"checked {_plural(len(read), 'appliance')} ({_names(read)}) in "
            f"{_plural(len(report.stacks), 'stack')} ({_names(sorted(report.stacks))})"
        )
    elif not report.could_not_tell:
        lines.append(
            f"**No drift**: the appliances {_names(read)} match the last deploy of "
            f"{_names(sorted(report.stacks))}."
        )
    else:
        lines.append(f"Nothing drifted in what could be read ({_names(read) or 'no appliance'}).")
    deploys = sorted({f.put_back for f in findings if f.put_back.startswith(_DEPLOY)})
    by_hand = [f for f in findings if not f.put_back.startswith(_DEPLOY)]
    if deploys or by_hand:
        steps = []
        if by_hand:
            steps.append(
                f"first, by hand, the {_plural(len(by_hand), 'item')} below that a deploy does not put "
                "back (a deploy's reload would make what is not managed live)"
            )
        if deploys:
            steps.append(("then " if by_hand else "") + " and ".join(deploys))
        lines += ["", "**Back to the code:** " + "; ".join(steps)]
    pending = [(item.name, item.pending) for item in sorted(report.appliances, key=lambda a: a.name)]
    waiting = [f"{name}: {', '.join(services)}" for name, services in pending if services]
    if waiting:
        lines += [
            "",
            "**Pending a reload** (edited but not live yet; the next reload, by any deploy or the "
            f"WebUI's commit, makes it live): {'; '.join(waiting)}",
        ]
    return lines


def _finding_lines(report: DriftReport, finding: Finding) -> list[str]:
    return [
        f"- {finding.what} — {finding.kind.value}{_liveness(report, finding)}",
        f"  - put it back: {finding.put_back}",
        f"  - keep it: {finding.keep}",
    ]


def render_markdown(report: DriftReport) -> str:
    """The report as GitHub-flavoured markdown."""
    lines = [MARKER, f"## Drift: site `{report.site}`", "", *_headline(report)]
    by_place: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    for finding in report.sorted_findings():
        by_place[(finding.appliance, finding.stack)].append(finding)
    for (appliance, stack), found in sorted(by_place.items()):
        lines += ["", f"### {appliance} · stack `{stack}`"]
        by_subject: dict[str, list[Finding]] = defaultdict(list)
        for finding in found:
            by_subject[finding.subject].append(finding)
        for subject, items in sorted(by_subject.items()):
            lines += ["", f"**`{subject}`**", ""]
            for finding in items:
                lines += _finding_lines(report, finding)
    if report.findings:
        lines += [
            "",
            "Read-only: this report changed nothing on the appliances and nothing in the Terraform state.",
        ]
    return "\n".join(lines) + "\n"


def render_json(report: DriftReport) -> str:
    return json.dumps(report.as_json(), indent=2, sort_keys=True) + "\n"
