"""Keep ONE drift issue up to date through GitHub's REST API, with the job's own token.

    python -m eas_lb.operations.drift.github_issues --report drift.json --markdown drift.md \\
        --log drift.log --exit-status 1 --run-url URL [--dry-run]

What the nightly workflow runs after `eas-lb drift`. It needs no `gh` CLI, which a
runner on the appliances' management network rarely has: it speaks HTTPS to the API the runner
names (`GITHUB_API_URL`, which is also right on GitHub Enterprise Server), for the repository
`GITHUB_REPOSITORY`, with `GITHUB_TOKEN` (the job's token; the workflow grants it `issues: write`).
The decision and the text are `issue.decide` and `issue.issue_body`, shared with the `gh` variant.

Drift that ended without a report (a site file it could not read, a crash) is still news: the
issue is opened or updated with "could not tell", the exit status and the last lines drift wrote
to its log, so a broken nightly run never goes unnoticed. Every value of a secret-named
environment variable is masked before anything is posted (`issue.redact`).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import requests
import yaml

from eas_lb.operations.command_line import PATH, Options, declare
from eas_lb.operations.drift.issue import (
    Decision,
    OpenIssue,
    Step,
    decide,
    issue_body,
    post,
    redact,
)
from eas_lb.operations.drift.report import MARKER
from lborg_support.command_line import parse_options

#: The REST API version these calls are written against (GitHub's `X-GitHub-Api-Version`).
API_VERSION = "2022-11-28"
_TIMEOUT = 30
_MAX_PAGES = 20  # 2000 open issues: far more than a site repository has
_LOG_LINES = 15


class GitHubError(Exception):
    """A GitHub API call that failed, with the call and GitHub's own message."""


@dataclass(frozen=True)
class Repository:
    """Where the issues live and the token that may write them."""

    api_url: str
    name: str  # owner/repo
    token: str

    @classmethod
    def from_environment(cls, environment: Mapping[str, str]) -> Repository:
        missing = [key for key in ("GITHUB_REPOSITORY", "GITHUB_TOKEN") if not environment.get(key)]
        if missing:
            raise GitHubError(
                f"{' and '.join(missing)} not set: the workflow step passes the job's token as "
                "GITHUB_TOKEN (env: GITHUB_TOKEN: ${{ github.token }}); GitHub sets GITHUB_REPOSITORY"
            )
        api_url = environment.get("GITHUB_API_URL") or "https://api.github.com"
        return cls(api_url.rstrip("/"), environment["GITHUB_REPOSITORY"], environment["GITHUB_TOKEN"])


class IssuesApi:
    """The four issue calls drift needs: list the open ones, open, edit, close with a comment."""

    def __init__(self, repository: Repository, session: requests.Session | None = None) -> None:
        self.repository = repository
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Accept": "application/vnd.github+json",
                "Authorization": f"Bearer {repository.token}",
                "X-GitHub-Api-Version": API_VERSION,
                "User-Agent": "eas-lb-drift-watch",
            }
        )

    def _call(self, method: str, url: str, body: dict[str, Any] | None = None) -> requests.Response:
        shown = url.removeprefix(self.repository.api_url).split("?", 1)[0]
        try:
            response = self.session.request(method, url, json=body, timeout=_TIMEOUT)
        except requests.RequestException as error:
            raise GitHubError(f"GitHub {method} {shown}: {error}") from None
        if response.status_code >= 400:
            try:
                message = str(response.json().get("message", ""))
            except ValueError:
                message = response.text[:200]
            raise GitHubError(f"GitHub {method} {shown}: HTTP {response.status_code} {message}".rstrip())
        return response

    def _issues_url(self, suffix: str = "") -> str:
        return f"{self.repository.api_url}/repos/{self.repository.name}/issues{suffix}"

    def open_issues(self) -> list[OpenIssue]:
        """Every open issue (pull requests, which the same endpoint lists, left out)."""
        found: list[OpenIssue] = []
        url: str | None = self._issues_url("?state=open&per_page=100")
        for _ in range(_MAX_PAGES):
            if url is None:
                break
            response = self._call("GET", url)
            for item in response.json():
                if "pull_request" not in item:
                    found.append(OpenIssue(int(item["number"]), str(item.get("body") or "")))
            url = response.links.get("next", {}).get("url")
        return found

    def carry_out(self, decision: Decision) -> None:
        if decision.step is Step.CREATE:
            self._call("POST", self._issues_url(), {"title": decision.title, "body": decision.body})
        elif decision.step is Step.EDIT:
            self._call(
                "PATCH",
                self._issues_url(f"/{decision.number}"),
                {"title": decision.title, "body": decision.body},
            )
        elif decision.step is Step.CLOSE:
            self._call("POST", self._issues_url(f"/{decision.number}/comments"), {"body": decision.comment})
            self._call(
                "PATCH",
                self._issues_url(f"/{decision.number}"),
                {"state": "closed", "state_reason": "completed"},
            )


def _site_name(site: Path | None) -> str:
    """The site's name for the issue title, read plainly: the site file may be what is broken."""
    if site is None:
        return ""
    try:
        document = yaml.safe_load(site.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return site.stem
    name = document.get("name") if isinstance(document, dict) else None
    return str(name) if name else site.stem


def unreported(site: str, status: int | None, log: Path | None) -> str:
    """The issue text when drift wrote no report: could not tell, and drift's own last words."""
    lines = [MARKER, f"## Drift: site `{site}`" if site else "## Drift", ""]
    ended = f"exit status {status}" if status is not None else "an unknown exit status"
    lines.append(
        f"**Could not tell**: `eas-lb drift` ended with {ended} and wrote no report, "
        "so nothing is known about the appliances tonight."
    )
    tail: list[str] = []
    if log is not None:
        try:
            tail = [
                line
                for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
                if line.strip()
            ]
        except OSError:
            tail = []
    if tail:
        lines += ["", "Its last words:", "", "```", *tail[-_LOG_LINES:], "```"]
    lines += ["", "Fix what it names, then run the workflow again (Actions, Drift watch, Run workflow)."]
    return "\n".join(lines) + "\n"


def read_report(args: Options) -> tuple[str, str, str]:
    """(status, site, markdown): drift's report, or "could not tell" when it wrote none."""
    try:
        report = json.loads(args.report.read_text(encoding="utf-8"))
        markdown = args.markdown.read_text(encoding="utf-8")
    except (OSError, ValueError):
        report, markdown = None, ""
    if (
        isinstance(report, dict)
        and report.get("status") in ("clean", "drift", "unknown")
        and markdown.strip()
    ):
        return str(report["status"]), str(report.get("site", "")), markdown
    site = _site_name(args.site)
    return "unknown", site, unreported(site, args.exit_status, args.log)


OPTIONS = (
    click.option("--report", type=PATH, required=True, help="drift --json output"),
    click.option("--markdown", type=PATH, required=True, help="drift --out file"),
    click.option("--log", type=PATH, help="drift's standard error, quoted when it wrote no report"),
    click.option("--exit-status", type=int, help="drift's exit status, said when it wrote no report"),
    click.option("--site", type=PATH, help="the site file, for its name when drift wrote no report"),
    click.option("--run-url", help="link to the workflow run, shown in the issue"),
    click.option("--dry-run", is_flag=True, help="print what would be posted; post nothing"),
)
PROG = "python -m eas_lb.operations.drift.github_issues"
command = declare(
    PROG,
    lambda options: _run(options, os.environ),
    OPTIONS,
    summary="keep one drift issue up to date through GitHub's REST API (GITHUB_TOKEN)",
    example=f"{PROG} --report drift.json --markdown drift.md --run-url URL",
)


def main(argv: Sequence[str] | None = None, environment: Mapping[str, str] | None = None) -> int:
    """The command line's exit code: 0 posted (or, with --dry-run, shown), 1 failed."""
    options = parse_options(command, argv, PROG)
    return _run(options, os.environ if environment is None else environment)


def _run(args: Options, env: Mapping[str, str]) -> int:
    status, site, markdown = read_report(args)
    body = redact(issue_body(markdown, args.run_url), env)
    try:
        api = IssuesApi(Repository.from_environment(env))
        decision = decide(status, site, api.open_issues(), body, args.run_url)
    except GitHubError as error:
        print(f"drift issue: {error}", file=sys.stderr)
        return 1
    return post(decision, args.dry_run, api.carry_out, (GitHubError,))


if __name__ == "__main__":
    sys.exit(main())
