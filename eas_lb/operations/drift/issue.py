"""Keep ONE GitHub issue up to date with the nightly drift report.

`python -m eas_lb.operations.drift.issue --report drift.json --markdown drift.md [--dry-run]`:

- drift (or could not tell) and no open drift issue: open one;
- drift stays: edit that issue's text (the newest report, with a link to the run);
- the appliances match the code again: close it with a comment saying so;
- nothing to report and no issue: do nothing.

The issue is found by the report's marker (`<!-- eas-lb-drift -->`) in the body of an open
issue, so a renamed title does not start a second one. The decision (`decide`) and the text
(`issue_body`) are plain functions, tested against a golden file; the `gh` calls are thin.
`--dry-run` prints what would be posted and posts nothing (it still lists the open issues with
`gh`, read-only, unless `--open-issue` says which one is open).

No secret reaches the issue: the report holds none by construction (values the appliance or
Terraform mark sensitive are never read into it), and before anything is posted every value of
an environment variable whose name says it is a secret (password, key, token, secret) is replaced
by `********`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

import click

from eas_lb.operations.command_line import PATH, Options, declare
from eas_lb.operations.drift.report import MARKER
from lborg_support.command_line import parse_options

_SECRET_NAME = re.compile(r"PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|PRIVATE_KEY|SSH_KEY|CONN_STR", re.IGNORECASE)
_MASK = "********"


class Step(Enum):
    CREATE = "create"
    EDIT = "edit"
    CLOSE = "close"
    NOTHING = "nothing"


# Frozen records alike plan_review/review.py's Unplanned and Review in shape; unrelated values.
@dataclass(frozen=True)
class OpenIssue:
    number: int
    body: str


@dataclass(frozen=True)
class Decision:
    step: Step
    number: int | None = None
    title: str = ""
    body: str = ""
    comment: str = ""


def issue_title(site: str, status: str) -> str:
    if status == "unknown":
        return f"Drift watch: could not tell the drift of site {site}"
    return f"Drift: appliances of site {site} differ from the code"


def issue_body(markdown: str, run_url: str | None) -> str:
    """The report as the issue shows it, with where it came from and what the issue is for."""
    body = markdown.rstrip("\n")
    if MARKER not in body:
        body = f"{MARKER}\n{body}"
    footer = [
        "",
        "---",
        "This issue is kept up to date by the nightly drift workflow (`eas-lb drift`): "
        "edited while drift stays, closed when the appliances match the code again.",
    ]
    if run_url:
        footer.append(f"Latest run: {run_url}")
    return body + "\n" + "\n".join(footer) + "\n"


def decide(
    status: str, site: str, open_issues: Sequence[OpenIssue], body: str, run_url: str | None
) -> Decision:
    """What to do with the drift issue, given the report's status (`clean`, `drift`, `unknown`)."""
    ours = sorted((issue for issue in open_issues if MARKER in issue.body), key=lambda issue: issue.number)
    current = ours[0] if ours else None
    if status == "clean":
        if current is None:
            return Decision(Step.NOTHING)
        where = f" ({run_url})" if run_url else ""
        return Decision(
            Step.CLOSE,
            current.number,
            comment=f"The appliances match the last deploy again: no drift found{where}. Closing.",
        )
    title = issue_title(site, status)
    if current is None:
        return Decision(Step.CREATE, title=title, body=body)
    return Decision(Step.EDIT, current.number, title=title, body=body)


def redact(text: str, environment: Mapping[str, str]) -> str:
    """Every value of a secret-named environment variable replaced by `********`."""
    values = sorted(
        {value for name, value in environment.items() if _SECRET_NAME.search(name) and len(value) >= 4},
        key=len,
        reverse=True,
    )
    for value in values:
        text = text.replace(value, _MASK)
    return text


def _gh(arguments: list[str], stdin: str | None = None) -> str:
    result = subprocess.run(
        ["gh", *arguments], input=stdin, capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"gh {arguments[0]} {arguments[1]} failed: {result.stderr.strip()}")
    return result.stdout


def open_issues() -> list[OpenIssue]:
    """The repository's open issues (number and body), read with `gh`."""
    listed = json.loads(_gh(["issue", "list", "--state", "open", "--limit", "200", "--json", "number,body"]))
    return [OpenIssue(int(item["number"]), str(item.get("body") or "")) for item in listed]


def carry_out(decision: Decision) -> None:
    """Post the decision with `gh` (the body goes through standard input, never the command line)."""
    if decision.step is Step.CREATE:
        _gh(["issue", "create", "--title", decision.title, "--body-file", "-"], decision.body)
    elif decision.step is Step.EDIT:
        _gh(
            ["issue", "edit", str(decision.number), "--title", decision.title, "--body-file", "-"],
            decision.body,
        )
    elif decision.step is Step.CLOSE:
        _gh(["issue", "close", str(decision.number), "--comment", decision.comment])


def describe(decision: Decision) -> str:
    """What a dry run would post, in full."""
    if decision.step is Step.NOTHING:
        return "would do nothing: no drift and no open drift issue\n"
    if decision.step is Step.CLOSE:
        return f"would close issue #{decision.number} with the comment:\n{decision.comment}\n"
    head = (
        "would open a new issue" if decision.step is Step.CREATE else f"would edit issue #{decision.number}"
    )
    return f"{head}\ntitle: {decision.title}\nbody:\n{decision.body}"


def post(
    decision: Decision,
    dry_run: bool,
    carry_out: Callable[[Decision], None],
    failures: tuple[type[Exception], ...],
) -> int:
    """Print what a dry run would post, or post it (`gh` or the REST API) and say in one line what
    was done; 1 when posting failed with one of `failures`, named on standard error."""
    if dry_run:
        sys.stdout.write("dry run: nothing is posted\n" + describe(decision))
        return 0
    try:
        carry_out(decision)
    except failures as error:
        print(f"drift issue: {error}", file=sys.stderr)
        return 1
    print(describe(decision).replace("would ", "did: ", 1).splitlines()[0])
    return 0


OPTIONS = (
    click.option("--report", type=PATH, required=True, help="drift --json output"),
    click.option("--markdown", type=PATH, required=True, help="drift --out file"),
    click.option("--run-url", help="link to the workflow run, shown in the issue"),
    click.option("--dry-run", is_flag=True, help="print what would be posted; post nothing"),
    click.option(
        "--open-issue",
        metavar="NUMBER|none",
        help="the open drift issue, instead of asking gh (for a dry run without a repository)",
    ),
)
PROG = "python -m eas_lb.operations.drift.issue"
command = declare(
    PROG,
    lambda options: _run(options),
    OPTIONS,
    summary="keep one GitHub issue up to date with the nightly drift report (with gh)",
    example=f"{PROG} --report drift.json --markdown drift.md --dry-run",
)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line's exit code: 0 posted (or, with --dry-run, shown), 1 failed."""
    return _run(parse_options(command, argv, PROG))


def _run(args: Options) -> int:
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        markdown = args.markdown.read_text(encoding="utf-8")
    except (OSError, json.JSONDecodeError) as error:
        print(f"drift issue: cannot read the report: {error}", file=sys.stderr)
        return 1
    if not isinstance(report, dict) or report.get("status") not in ("clean", "drift", "unknown"):
        print(f"drift issue: {args.report} is not a drift --json report", file=sys.stderr)
        return 1
    body = redact(issue_body(markdown, args.run_url), os.environ)
    if args.open_issue is not None:
        found = [] if args.open_issue == "none" else [OpenIssue(int(args.open_issue), MARKER)]
    else:
        try:
            found = open_issues()
        except (RuntimeError, FileNotFoundError, json.JSONDecodeError) as error:
            print(f"drift issue: cannot list the open issues: {error}", file=sys.stderr)
            return 1
    decision = decide(str(report["status"]), str(report.get("site", "")), found, body, args.run_url)
    return post(decision, args.dry_run, carry_out, (RuntimeError, FileNotFoundError))


if __name__ == "__main__":
    sys.exit(main())
