"""The apply-on-merge job of a new site's plan-review workflow finds the reviewed plans as written.

Its step "Find the review run ..." runs as a script (tests/support/workflow_steps.py) against a
stand-in for GitHub's REST API on loopback: the artifact of the merged commit's review is found
by its exact name and its run handed to the download; an expired one, or none (the review failed
or never ran), stops the job before anything is applied, saying what to do.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main
from tests.support.fake_github import FakeGitHub, running_fake_github
from tests.support.workflow_steps import Context, JobRun, github_env, run_job

HOST = "127.4.60.1"
HEAD = "0123456789abcdef0123456789abcdef01234567"
FIND = "Find the review run that saved the plans of the merged commit"


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with running_fake_github(HOST) as fake:
        yield fake


def _find(tmp_path: Path, github: FakeGitHub) -> tuple[JobRun, Context]:
    site = tmp_path / "site"
    assert eas_main(["new-site", str(site), "--no-input"]) == 0
    (site / ".venv").symlink_to(Path(sys.prefix))  # what the install step leaves
    context = Context(
        github={"workspace": str(site), "token": github.token, "event.pull_request.head.sha": HEAD},
        secrets={},
        variables={},
        inputs={},
    )
    base = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    run = run_job(
        site / ".github" / "workflows" / "plan-review.yml",
        "apply-reviewed",
        site,
        context,
        {**base, **github_env(site, github.url, github.repository)},
        start_at=FIND,
        stop_after=FIND,
    )
    return run, context


def test_the_merged_commits_plans_are_found_by_their_exact_name(tmp_path: Path, github: FakeGitHub) -> None:
    github.add_artifact(f"reviewed-plans-{HEAD}", 111, expired=True)
    github.add_artifact(f"reviewed-plans-{HEAD}", 222)
    github.add_artifact(f"reviewed-plans-{'f' * 40}", 333)  # a later push's review, not merged
    run, context = _find(tmp_path, github)
    assert [result.name for result in run.results] == [FIND]
    assert not run.failed, run.output
    assert context.outputs["plans"] == {"run_id": "222"}
    (call,) = github.calls
    assert (call.method, call.path, call.query["name"]) == (
        "GET",
        "/repos/site-owner/site/actions/artifacts",
        [f"reviewed-plans-{HEAD}"],
    )
    assert call.headers["Authorization"] == f"Bearer {github.token}"
    assert call.headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_without_live_plans_the_job_stops_before_applying_and_says_what_to_do(
    tmp_path: Path, github: FakeGitHub
) -> None:
    github.add_artifact(f"reviewed-plans-{HEAD}", 111, expired=True)
    run, context = _find(tmp_path, github)
    assert run.failed and [result.name for result in run.results] == [FIND]
    error = run.results[-1].stderr
    assert f"no reviewed plans named reviewed-plans-{HEAD}" in error and "Nothing was applied" in error
    assert "Re-run the plan-review job" in error and "Traceback" not in error
    assert "plans" not in context.outputs or not context.outputs["plans"]


def test_a_site_on_the_local_backend_applies_nothing_on_merge(tmp_path: Path, github: FakeGitHub) -> None:
    site = tmp_path / "site"
    assert eas_main(["new-site", str(site), "--no-input"]) == 0  # backend: local, as written
    (site / ".venv").symlink_to(Path(sys.prefix))
    stop = "Stop unless the state is shared (backend pg or s3)"
    run = run_job(
        site / ".github" / "workflows" / "plan-review.yml",
        "apply-reviewed",
        site,
        Context(
            github={"workspace": str(site), "event.pull_request.head.sha": HEAD},
            secrets={},
            variables={},
            inputs={},
        ),
        {**{k: os.environ[k] for k in ("PATH", "HOME") if k in os.environ}, **github_env(site, github.url)},
        start_at=stop,
    )
    assert [result.name for result in run.results] == [stop] and run.failed
    assert "keeps the state in the local backend" in run.results[0].stderr
    assert "Nothing was applied" in run.results[0].stderr
    assert github.calls == []
