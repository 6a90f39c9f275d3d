"""The drift workflow a new site gets, run as written: its own `run:` steps, in order, as a script.

`new-site` writes the site; its site file is pointed at two simulated appliances on loopback
(127.21.40.11/12) and a PostgreSQL backend (127.21.40.1); the pair is deployed once for the module
with real terraform. Each run then executes the steps of `.github/workflows/drift.yml` with the
environment the workflow sets (tests/support/workflow_steps.py), against a stand-in for GitHub's
REST issues API on loopback that records every call (tests/support/fake_github.py). The runs
follow nights of a site: clean (nothing posted), a hand edit (the issue is opened), the CA file
gone (could not tell: the issue says so and the run fails), all back
(closed with a comment). A site left on `backend: local` stops at the backend step. Last, a pull
request changes pools.txt: the site's plan-review workflow reviews it and keeps the plans, and its
apply-on-merge job applies exactly them with `eas-lb deploy --reviewed` (the artifact's upload and
download are GitHub's: the two jobs share the workspace here, as the artifact makes them share it).

The site's `wheels/` gets an eas-lb wheel built from this checkout, and the install step runs as
written (a new virtualenv, `pip install --no-index --find-links wheels`); the dependencies' wheels,
which a test cannot download, are stood in for by this environment's packages on PYTHONPATH
(tests/support/wheels.py). The npm step is replaced by what it leaves (this checkout's
`node_modules`): it needs an npm cache a test cannot fill offline. Every other step runs as written.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.operations.drift.report import MARKER
from lborg_provider.model.config_view import find_virtual
from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from tests.support.fake_github import FakeGitHub, running_fake_github
from tests.support.paths import REPO_ROOT
from tests.support.ports import free_port
from tests.support.postgres import PostgresServer, running_postgres
from tests.support.wheels import build_wheel, dependencies_dir
from tests.support.workflow_steps import Context, JobRun, github_env, run_job

pytestmark = pytest.mark.slow

PG_HOST, GITHUB_HOST = "127.21.40.1", "127.21.40.2"
LB1, LB2 = "127.21.40.11", "127.21.40.12"
GUIDE_GLOBALS = {
    "l7.interval": "3000",
    "l4.checkinterval": "3",
    "l4.checktimeout": "3",
    "l4.failurecount": "2",
}
STACK = "nightly-pair1-lb"
INSTALL_WHEELS = "Install eas-lb and its dependencies from wheels/ (no package index)"
INSTALL_NPM = "Install the cdktf CLI from package-lock.json (the runner's npm cache, offline)"
LOOK = "Look for drift (read-only, no state lock)"
ISSUE = "Keep one drift issue up to date (open, edit, close)"
FAIL = "Fail the run when drift could not be told"
REVIEW_INSTALL = "Install eas-lb (requirements.txt), the cdktf CLI (package.json) and the provider mirror"
REVIEW = "Plan every stack and write the review"
FIND_PLANS = "Find the review run that saved the plans of the merged commit"
APPLY = "Apply exactly the reviewed plans (refused, changing nothing, if anything differs)"

SITE = """\
name: nightly
pools: pools.txt
scenario: 2
credentials:
  username_env: LBORG_USERNAME
  password_env: LBORG_PASSWORD
  api_key_env: LBORG_API_KEY
pairs:
  - name: pair1
    primary:
      name: lb1
      endpoint: https://{lb1}:{port}
      management_ip: {lb1}/24
      ca_file: ca/ca.pem
    secondary:
      name: lb2
      endpoint: https://{lb2}:{port}
      management_ip: {lb2}/24
      ca_file: ca/ca.pem
backend:
  kind: pg
  config:
    schema_name: nightly
"""

POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-18080 127.21.41.227 tcp 18080 2100 127.21.42.231 127.21.42.116
"""


def _installed(site: Path) -> dict[str, Callable[[dict[str, str]], None]]:
    """What the two install steps leave on a runner: a virtualenv with eas-lb, the cdktf CLI."""

    def wheels(env: dict[str, str]) -> None:
        (site / ".venv").symlink_to(Path(sys.prefix))

    def npm(env: dict[str, str]) -> None:
        assert (site / "package.json").is_file()
        (site / "node_modules").symlink_to(REPO_ROOT / "node_modules")

    return {INSTALL_WHEELS: wheels, INSTALL_NPM: npm}


def _base_env() -> dict[str, str]:
    """The runner's own environment: its tools on PATH, nothing of this test's configuration."""
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "USER")
    return {key: os.environ[key] for key in keep if key in os.environ}


def _new_site(directory: Path) -> Path:
    assert eas_main(["new-site", str(directory), "--no-input", "--name", "nightly"]) == 0
    return directory


@dataclass
class Week:
    site: Path
    github: FakeGitHub
    context: Context
    simulators: list[SimulatorProcess]
    dependencies: Path

    def run(self, *, full: bool = False) -> JobRun:
        env = {**_base_env(), **github_env(self.site, self.github.url, self.github.repository)}
        return run_job(
            self.site / ".github" / "workflows" / "drift.yml",
            "drift",
            self.site,
            self.context,
            {**env, "PYTHONPATH": str(self.dependencies)},
            replace={INSTALL_NPM: _installed(self.site)[INSTALL_NPM]} if full else None,
            start_at=None if full else LOOK,
        )


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Week]:
    for tool in ("terraform", "haproxy", "node"):
        if shutil.which(tool) is None:
            pytest.skip(f"needs {tool} on PATH")
    tmp_path = tmp_path_factory.mktemp("drift-workflow")
    site = _new_site(tmp_path / "site")
    port = free_port(LB1, LB2)
    (site / "site.yaml").write_text(SITE.format(lb1=LB1, lb2=LB2, port=port), encoding="utf-8")
    (site / "pools.txt").write_text(POOLS, encoding="utf-8")
    build_wheel(tmp_path, site / "wheels")
    dependencies = dependencies_dir(tmp_path)
    with ExitStack() as stack:
        postgres: PostgresServer = stack.enter_context(running_postgres(PG_HOST))
        github = stack.enter_context(running_fake_github(GITHUB_HOST))
        simulators = [
            stack.enter_context(
                running_simulator(
                    tmp_path / name,
                    f"{ip}:{port}",
                    name=name,
                    advanced=GUIDE_GLOBALS,
                    extra_args=["--ca-dir", str(site / "ca")],
                )
            )
            for name, ip in (("lb1", LB1), ("lb2", LB2))
        ]
        secrets = {
            "LBORG_USERNAME": TEST_USERNAME,
            "LBORG_PASSWORD": TEST_PASSWORD,
            "LBORG_API_KEY": TEST_API_KEY,
            "PG_CONN_STR": postgres.url(with_password=True),
        }
        _deploy(site, tmp_path / "deploy.out", secrets)
        context = Context(
            github={"workspace": str(site), "token": github.token},
            secrets=secrets,
            variables={"DRIFT_RUNNER": "self-hosted"},
            inputs={"dry_run": False},
        )
        yield Week(site, github, context, simulators, dependencies)


def _deploy(site: Path, outdir: Path, secrets: dict[str, str]) -> None:
    """The last deploy: the stack synthesized apart from the site's cdktf.out and applied."""
    env = {
        **os.environ,
        **secrets,
        "CDKTF_OUTDIR": str(outdir),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    assert env.get("TF_CLI_CONFIG_FILE"), "run with the Makefile's environment (TF_CLI_CONFIG_FILE)"
    stack_dir = outdir / "stacks" / STACK
    for command in (
        [sys.executable, "main.py"],
        ["terraform", f"-chdir={stack_dir}", "init", "-input=false", "-no-color"],
        ["terraform", f"-chdir={stack_dir}", "apply", "-input=false", "-no-color", "-auto-approve"],
    ):
        done = subprocess.run(
            command, cwd=site, env=env, capture_output=True, text=True, timeout=600, check=False
        )
        assert done.returncode == 0, f"{command}: {done.stdout[-3000:]}{done.stderr[-3000:]}"


def _last_write(github: FakeGitHub) -> tuple[str, str, dict[str, str]]:
    method, path, body = github.writes()[-1]
    return method, path, body


def test_1_a_clean_night_runs_every_step_and_posts_nothing(week: Week) -> None:
    run = week.run(full=True)
    assert not run.failed, run.output
    assert [result.name for result in run.results if result.skipped] == [FAIL]
    assert "backend pg: the state of the last deploy is shared" in run.output
    # eas-lb runs from the wheel the install step put in the site's own virtualenv.
    assert not (week.site / ".venv").is_symlink()
    installed = list((week.site / ".venv").glob("lib/python*/site-packages/eas_lb/__init__.py"))
    assert len(installed) == 1, run.step(INSTALL_WHEELS).stderr
    assert (week.site / "build" / "terraformrc").is_file()  # the provider mirror, built by its step
    assert (week.site / "cdktf.out" / "stacks" / STACK / "cdk.tf.json").is_file()
    assert "no drift: the appliances match the last deploy" in run.step(LOOK).stdout
    assert week.github.writes() == []
    (listing,) = week.github.calls
    assert (listing.method, listing.path) == ("GET", "/repos/site-owner/site/issues")
    assert listing.headers["Authorization"] == f"Bearer {week.github.token}"
    assert listing.headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_2_a_hand_edit_opens_the_issue(week: Week) -> None:
    week.simulators[0].call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "HAND-80",
                "ip": "127.21.41.80",
                "ports": "80",
                "mode": "tcp",
            }
        ]
    )
    run = week.run()
    assert not run.failed, run.output
    method, path, body = _last_write(week.github)
    assert (method, path) == ("POST", "/repos/site-owner/site/issues")
    assert body["title"] == "Drift: appliances of site nightly differ from the code"
    assert body["body"].startswith(MARKER) and "HAND-80" in body["body"]
    assert "https://github.example/site-owner/site/actions/runs/4242" in body["body"]
    assert TEST_PASSWORD not in body["body"] and TEST_API_KEY not in body["body"]
    assert len(week.github.open_issues()) == 1  # the next night edits it (test 3)


def test_3_a_missing_ca_file_is_could_not_tell_in_the_issue_and_fails_the_run(week: Week) -> None:
    ca = week.site / "ca" / "ca.pem"
    hidden = ca.with_name("ca.pem.away")
    ca.rename(hidden)
    try:
        run = week.run()
    finally:
        hidden.rename(ca)
    assert run.failed and run.results[-1].name == FAIL, run.output
    assert run.step(ISSUE).returncode == 0, run.output
    number = week.github.open_issues()[0]["number"]
    method, path, body = _last_write(week.github)
    assert (method, path) == ("PATCH", f"/repos/site-owner/site/issues/{number}")  # the same issue, edited
    assert "could not tell" in body["body"].lower() and "ca.pem" in body["body"]  # the reason, named
    assert body["title"] == "Drift watch: could not tell the drift of site nightly"
    assert len(week.github.open_issues()) == 1


def test_4_back_as_deployed_closes_the_issue_with_a_comment(week: Week) -> None:
    week.simulators[0].call_ok([{"action": "delete-vip", "vip": "HAND-80"}])
    run = week.run()
    assert not run.failed, run.output
    number = week.github.issues[-1]["number"]
    comment, close = week.github.writes()[-2:]
    assert comment[:2] == ("POST", f"/repos/site-owner/site/issues/{number}/comments")
    assert "match the last deploy again" in comment[2]["body"]
    assert close == (
        "PATCH",
        f"/repos/site-owner/site/issues/{number}",
        {"state": "closed", "state_reason": "completed"},
    )
    assert week.github.open_issues() == []


def test_5_a_reviewed_pull_request_is_applied_on_merge_exactly_as_reviewed(week: Week) -> None:
    """The plan-review workflow's two jobs, run as written: the review keeps the plans, the merge
    applies them with `deploy --reviewed`; nothing but the reviewed change reaches the appliance."""
    pools = week.site / "pools.txt"
    pools.write_text(POOLS.replace(" 2100 ", " 1800 "), encoding="utf-8")  # persistence 35 -> 30 min
    sha = "c0ffee0000000000000000000000000000000042"
    week.context.github["event.pull_request.head.sha"] = sha
    env = {
        **_base_env(),
        **github_env(week.site, week.github.url, week.github.repository),
        "PYTHONPATH": str(week.dependencies),
    }

    def installed(env: dict[str, str]) -> None:  # test 1 ran the install steps in this workspace
        assert (week.site / ".venv" / "bin" / "eas-lb").is_file() and (week.site / "node_modules").exists()

    workflow = week.site / ".github" / "workflows" / "plan-review.yml"
    review = run_job(
        workflow, "plan-review", week.site, week.context, env, replace={REVIEW_INSTALL: installed}
    )
    assert not review.failed, review.output
    assert week.context.outputs["review"]["status"] == "0"
    text = (week.site / "review.md").read_text(encoding="utf-8")
    assert "35 → 30 min" in text and "Reviewed plans" in text, text
    manifest = json.loads((week.site / "reviewed-plans" / "manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["stacks"]) == [STACK]

    def downloaded(env: dict[str, str]) -> None:  # the artifact: the folder the review kept
        assert env["REVIEWED"] == f"reviewed-plans-{sha}"
        assert (week.site / "reviewed-plans" / f"{STACK}.tfplan").is_file()

    apply = run_job(
        workflow,
        "apply-reviewed",
        week.site,
        week.context,
        env,
        replace={REVIEW_INSTALL: installed, FIND_PLANS: downloaded},
        stop_after=APPLY,
    )
    assert not apply.failed, apply.output
    assert apply.results[-1].name == APPLY
    assert "no backup: section" in apply.output  # a new site has none: said, and applied without copies
    for simulator in week.simulators:
        config = simulator.call([{"action": "list", "function": "dumpconfig"}])[0]["data"]
        vip = find_virtual(config, "7", "MGMT_HTTP-18080")
        assert vip is not None and str(vip.get("persist_time")) == "30", vip
    assert "no drift" in week.run().step(LOOK).stdout


def test_a_site_on_the_local_backend_stops_at_once_and_says_why(tmp_path: Path) -> None:
    site = _new_site(tmp_path / "local-site")
    with running_fake_github(GITHUB_HOST) as github:
        run = run_job(
            site / ".github" / "workflows" / "drift.yml",
            "drift",
            site,
            Context(
                github={"workspace": str(site), "token": github.token}, secrets={}, variables={}, inputs={}
            ),
            {**_base_env(), **github_env(site, github.url)},
            replace={INSTALL_WHEELS: _installed(site)[INSTALL_WHEELS]},
        )
        assert github.calls == []
    last = run.results[-1]
    assert last.name == "Stop unless the state of the last deploy is shared (backend pg or s3)"
    assert last.returncode != 0
    assert "keeps the state in the local backend" in last.stderr and "kind: pg or s3" in last.stderr
    assert "Traceback" not in last.stderr
