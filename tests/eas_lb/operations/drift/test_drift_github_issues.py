"""The drift issue kept through GitHub's REST API: the calls, their headers and bodies, paging,
and the "could not tell" issue when drift wrote no report. In-process, against a stand-in for
GitHub's issues API on loopback (tests/support/fake_github.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from eas_lb.operations.drift.github_issues import API_VERSION, main
from eas_lb.operations.drift.report import MARKER
from tests.support.fake_github import FakeGitHub, running_fake_github

HOST = "127.21.30.1"
RUN_URL = "https://github.example/site-owner/site/actions/runs/7"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with running_fake_github(HOST) as fake:
        yield fake


def _env(github: FakeGitHub, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_API_URL": github.url,
        "GITHUB_REPOSITORY": github.repository,
        "GITHUB_TOKEN": github.token,
        **extra,
    }


def _report(tmp_path: Path, status: str, text: str) -> list[str]:
    (tmp_path / "drift.json").write_text(json.dumps({"status": status, "site": "demo"}), encoding="utf-8")
    (tmp_path / "drift.md").write_text(f"{MARKER}\n## Drift: site `demo`\n\n{text}\n", encoding="utf-8")
    return [
        "--report",
        str(tmp_path / "drift.json"),
        "--markdown",
        str(tmp_path / "drift.md"),
        "--run-url",
        RUN_URL,
    ]


def test_opens_edits_and_closes_one_issue_with_the_documented_calls(
    tmp_path: Path, github: FakeGitHub
) -> None:
    github.add("an unrelated issue", "nothing to do with drift")
    github.add("a pull request quoting the marker", MARKER, pull_request=True)
    assert main(_report(tmp_path, "clean", "**No drift**"), _env(github)) == 0
    assert github.writes() == []  # nothing to report, no issue: nothing posted

    assert main(_report(tmp_path, "drift", "**1 drifted object** on `lb1`"), _env(github)) == 0
    (method, path, body) = github.writes()[-1]
    assert (method, path) == ("POST", "/repos/site-owner/site/issues")
    assert body["title"] == "Drift: appliances of site demo differ from the code"
    assert body["body"].startswith(MARKER) and "1 drifted object" in body["body"] and RUN_URL in body["body"]
    opened = github.open_issues()[-1]["number"]
    assert opened == 3  # not the pull request that quotes the marker

    assert main(_report(tmp_path, "drift", "**2 drifted objects** on `lb1`"), _env(github)) == 0
    assert github.writes()[-1][:2] == ("PATCH", f"/repos/site-owner/site/issues/{opened}")
    assert "2 drifted objects" in github.writes()[-1][2]["body"]

    assert main(_report(tmp_path, "clean", "**No drift**"), _env(github)) == 0
    comment, close = github.writes()[-2:]
    assert comment[:2] == ("POST", f"/repos/site-owner/site/issues/{opened}/comments")
    assert "match the last deploy again" in comment[2]["body"]
    assert close == (
        "PATCH",
        f"/repos/site-owner/site/issues/{opened}",
        {"state": "closed", "state_reason": "completed"},
    )
    assert github.open_issues() == [github.issues[0]]
    for call in github.calls:
        assert call.headers["Authorization"] == f"Bearer {github.token}"
        assert call.headers["Accept"] == "application/vnd.github+json"
        assert call.headers["X-GitHub-Api-Version"] == API_VERSION
        if call.method == "GET":
            assert call.query["state"] == ["open"]


def test_the_open_drift_issue_is_found_on_a_later_page(tmp_path: Path, github: FakeGitHub) -> None:
    for number in range(150):
        github.add(f"issue {number}", "")
    drift_issue = github.add("Drift: renamed by someone", f"{MARKER}\nold report")
    assert main(_report(tmp_path, "drift", "**1 drifted object**"), _env(github)) == 0
    pages = [call.query.get("page", ["1"])[0] for call in github.calls if call.method == "GET"]
    assert pages == ["1", "2"]
    assert github.writes() == [
        ("PATCH", f"/repos/site-owner/site/issues/{drift_issue}", github.writes()[0][2])
    ]


def test_drift_without_a_report_still_opens_a_could_not_tell_issue(
    tmp_path: Path, github: FakeGitHub
) -> None:
    (tmp_path / "site.yaml").write_text("name: nightsite\npools: pools.txt\n", encoding="utf-8")
    (tmp_path / "drift.json").write_text("", encoding="utf-8")  # drift ended before writing JSON
    (tmp_path / "drift.log").write_text(
        "Traceback (most recent call last):\n  ...\n"
        "OSError: Could not find a suitable TLS CA certificate bundle, invalid path: ca/x.pem\n"
        "login as admin / hunter2-secret failed\n",
        encoding="utf-8",
    )
    arguments = [
        *("--report", str(tmp_path / "drift.json"), "--markdown", str(tmp_path / "drift.md")),
        *("--log", str(tmp_path / "drift.log"), "--exit-status", "1", "--site", str(tmp_path / "site.yaml")),
    ]
    assert main(arguments, _env(github, LBORG_PASSWORD="hunter2-secret")) == 0
    ((method, path, body),) = github.writes()
    assert (method, path) == ("POST", "/repos/site-owner/site/issues")
    assert body["title"] == "Drift watch: could not tell the drift of site nightsite"
    assert "**Could not tell**" in body["body"] and "exit status 1" in body["body"]
    assert "Could not find a suitable TLS CA certificate bundle" in body["body"]
    assert "hunter2-secret" not in body["body"] and "********" in body["body"]
    assert body["body"].startswith(MARKER)


def test_a_missing_token_or_a_refusal_is_one_clear_line(
    tmp_path: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = _report(tmp_path, "drift", "**1 drifted object**")
    assert main(arguments, {"GITHUB_REPOSITORY": github.repository, "GITHUB_API_URL": github.url}) == 1
    assert "GITHUB_TOKEN not set" in capsys.readouterr().err and github.calls == []
    assert main(arguments, _env(github, GITHUB_TOKEN="ghs_wrong")) == 1
    error = capsys.readouterr().err
    assert error.strip() == "drift issue: GitHub GET /repos/site-owner/site/issues: HTTP 401 Bad credentials"
    assert "ghs_wrong" not in error


def test_a_dry_run_reads_and_posts_nothing(
    tmp_path: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*_report(tmp_path, "drift", "**1 drifted object**"), "--dry-run"], _env(github)) == 0
    assert "would open a new issue" in capsys.readouterr().out
    assert github.writes() == [] and [call.method for call in github.calls] == ["GET"]
