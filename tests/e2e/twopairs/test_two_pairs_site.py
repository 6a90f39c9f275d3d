"""Scenario 1 on two HA pairs fed by one pools.txt (deployment guide 8.1), on four simulated appliances.

One module, one deployment for every case, in order: the two-pair demo site (moved to 127.27.x)
synthesized and deployed from scratch with the real cdktf CLI and terraform, each pair holding only
its VIPs; verify and a clean drift report, then the fail-over of each pair (each primary stopped in
turn); a pools.txt change with rows in both sections plans changes on both pairs and nothing else;
then the site destroyed and applied again stack by stack with plain `terraform` (the management
pair first), drift clean after it and after a re-apply, a floating IP added by hand reported once;
then the same topology, destroyed and configured again by raw API calls as the guide's WebUI steps
would, adopted: the plans import everything, 0 to add, 0 to destroy.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.pools import Section
from eas_lb.inputs.site import Deployment, PairPlan, load_deployment
from eas_lb.operations.demo import runtime
from eas_lb.operations.demo.layout import DemoLayout, demo_layout
from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import build_review
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.plan_json import parse_plan
from eas_lb.operations.plans.planner import StackDir, plan_stack
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT, cdktf_env, lock_provider, run_cdktf
from lborg_support.waiting import wait_until
from tests.support.handmade import HandRow, RawAppliance, configure_pair_by_hand
from tests.support.terraform import Terraform, changed_attributes

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

EXAMPLES = PROJECT_ROOT / "examples"
SITE = "twopairs"
STACKS = [f"{SITE}-service-lb", f"{SITE}-management-lb"]


@dataclass
class TwoPairSite:
    root: Path
    site: Path
    pools: Path
    output: Path
    layout: DemoLayout
    env: dict[str, str]

    @property
    def deployment(self) -> Deployment:
        return load_deployment(self.site)

    def raw(self, name: str) -> RawAppliance:
        node = next(node for plan in self.deployment.pairs for node in plan.pair.nodes if node.name == name)
        return RawAppliance(node.name, node.endpoint, str(node.ca_file), *self.credentials)

    @property
    def credentials(self) -> tuple[str, str, str]:
        return self.env["LBORG_USERNAME"], self.env["LBORG_PASSWORD"], self.env["LBORG_API_KEY"]


def _moved(text: str) -> str:
    return re.sub(r"\b127\.0\.", "127.27.", text)


def _forget_state() -> None:
    for path in PROJECT_ROOT.glob(f"terraform.{SITE}-*.tfstate*"):
        path.unlink()


def _deploy(site: TwoPairSite) -> None:
    run_cdktf(
        ["deploy", *STACKS, "--auto-approve", "--ignore-missing-stack-dependencies", "--skip-synth"],
        site.env,
        site.output,
    )


def _synth(site: TwoPairSite) -> None:
    run_cdktf(["synth"], site.env, site.output)
    lock_provider(site.output, STACKS)


@pytest.fixture(scope="module")
def two_pairs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoPairSite]:
    if shutil.which("haproxy") is None:
        pytest.fail("haproxy is not installed: run `make setup`")
    root = tmp_path_factory.mktemp("twopairs")
    examples = root / "examples"
    examples.mkdir()
    pools = examples / "pools-demo.txt"
    pools.write_text(_moved((EXAMPLES / "pools-demo.txt").read_text()))
    text = re.sub(
        r"(?m)^name: demo2$", f"name: {SITE}", _moved((EXAMPLES / "site-demo-two-pairs.yaml").read_text())
    )
    site = examples / "site-two-pairs.yaml"
    site.write_text(text)
    layout = demo_layout(load_deployment(site))
    saved = {key: os.environ.get(key) for key in runtime.CREDENTIAL_NAMES}
    for key in runtime.CREDENTIAL_NAMES:
        os.environ.pop(key, None)
    credentials = runtime.demo_credentials(layout)
    os.environ.update(credentials)
    _forget_state()
    try:
        runtime.up(layout)
        deployed = TwoPairSite(root, site, pools, root / "cdktf.out", layout, cdktf_env(site, credentials))
        _synth(deployed)
        _deploy(deployed)
        yield deployed
    finally:
        runtime.down(layout)
        _forget_state()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _verify(
    site: TwoPairSite, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[dict[str, Any]]]:
    capsys.readouterr()
    code = eas_main(["verify", "--site", str(site.site), "--json", *extra])
    rows: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["rows"]
    return code, rows


def _labels(config: dict[str, Any], section: str) -> list[str]:
    virtuals = config.get(section, {}).get("virtual") or []
    return sorted(v["label"] for v in (virtuals if isinstance(virtuals, list) else [virtuals]))


def _floating_ips(config: dict[str, Any]) -> list[str]:
    found = config.get("heartbeat", {}).get("vip") or []
    return sorted(found if isinstance(found, list) else [found])


def _drift(site: TwoPairSite, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    capsys.readouterr()
    code = eas_main(["drift", "--site", str(site.site), "--synth-dir", str(site.output), "--json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, report


def test_each_pair_holds_only_its_vips_and_every_vip_answers(
    two_pairs: TwoPairSite, capsys: pytest.CaptureFixture[str]
) -> None:
    service, management = two_pairs.raw("lb1").dumpconfig(), two_pairs.raw("lb3").dumpconfig()
    assert _labels(service, "haproxy") == [] and len(_labels(service, "ldirectord")) == 4
    assert _labels(management, "ldirectord") == [] and len(_labels(management, "haproxy")) == 5
    assert "127.27.41.10" in _floating_ips(service) and "127.27.41.10" not in _floating_ips(management)
    assert _labels(two_pairs.raw("lb4").dumpconfig(), "haproxy") == _labels(
        management, "haproxy"
    )  # replicated

    code, rows = _verify(two_pairs, capsys)
    assert [row for row in rows if row["outcome"] == "fail"] == [] and code == 0
    connects = [row for row in rows if row["test"] == "connect"]
    assert len(connects) == 9 and all("answered by eas-127.27." in row["detail"] for row in connects)
    checked = {row["subject"] for row in rows if row["test"] == "global checks"}
    assert checked == {"lb1", "lb2", "lb3", "lb4"}, rows

    # Right after a clean `cdktf deploy` of both pairs, drift finds nothing: no heartbeat section
    # "edited outside Terraform" on either pair (the HA pairing is the pair resource's own write).
    drift, report = _drift(two_pairs, capsys)
    assert (drift, report["status"]) == (0, "clean"), report


def test_fail_over_of_each_pair(two_pairs: TwoPairSite, capsys: pytest.CaptureFixture[str]) -> None:
    me = f"{sys.executable} -m eas_lb demo"
    hooks = [
        "--appliance-stop-cmd",
        f"{me} appliance stop {{name}} --site {two_pairs.site}",
        "--appliance-start-cmd",
        f"{me} appliance start {{name}} --site {two_pairs.site}",
    ]
    code, rows = _verify(two_pairs, capsys, "--disruptive", *hooks)
    assert [row for row in rows if row["outcome"] == "fail"] == [] and code == 0
    failover = [row for row in rows if row["test"] == "fail-over"]
    pairs = {row["subject"] for row in failover if row["address"] in ("lb2", "lb4")}
    assert pairs == {"service", "management"}, failover  # each secondary took over its own pair
    assert all(row["outcome"] == "pass" for row in failover)
    gateway = [row["address"] for row in failover if row["subject"] == "service gateway"]
    assert gateway == ["127.27.41.10"], failover  # once: only the service pair has it
    per_vip = {row["subject"] for row in failover} - {"service", "management", "service gateway"}
    assert len(per_vip) == 9, failover  # every VIP answered on the secondary of the pair serving it


def _plans(site: TwoPairSite, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    """Synthesize, then `terraform plan` each lb stack: its JSON plan."""
    _synth(site)
    for key, value in site.env.items():
        monkeypatch.setenv(key, value)
    return {name: plan_stack(StackDir(name, site.output / "stacks" / name)) for name in STACKS}


def _changes(plan: dict[str, Any]) -> set[tuple[str, str]]:
    """(actions, resource type and label) of every resource the plan does not leave alone.

    An imported real server's update that only records the site's drain time is left out: it is a
    Terraform-only setting (no API call, no reload) that no appliance has to import.
    """
    return {
        (
            "+".join(entry["change"]["actions"]),
            f"{entry['type']} {entry['change']['after'].get('label', '')}".strip(),
        )
        for entry in plan["resource_changes"]
        if entry["change"]["actions"] != ["no-op"] and not _records_drain_time_only(entry)
    }


def _records_drain_time_only(entry: dict[str, Any]) -> bool:
    change = entry["change"]
    if change["actions"] != ["update"] or not entry["type"].endswith("_real_server"):
        return False
    return changed_attributes(entry) == {"drain_seconds"}


def test_a_pools_change_in_both_sections_plans_changes_on_both_pairs_and_nothing_else(
    two_pairs: TwoPairSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = two_pairs.pools.read_text()
    changed = original.replace("127.27.30.224 tcp 18087 86400", "127.27.30.224 tcp 18087 3600")
    changed = changed.replace("HTTP-18080 - tcp 18080 2100", "HTTP-18080 - tcp 18080 600")
    assert changed.count("\n") == original.count("\n") and changed != original
    two_pairs.pools.write_text(changed)
    try:
        plans = _plans(two_pairs, monkeypatch)
    finally:
        two_pairs.pools.write_text(original)
    changes = {name: _changes(plan) for name, plan in plans.items()}
    assert changes == {
        f"{SITE}-service-lb": {("update", "lborg_layer4_vip SERV_HTTP-18080"), ("update", "lborg_commit")},
        f"{SITE}-management-lb": {
            ("update", "lborg_layer7_vip MGMT_MVWEBPROV-18087"),
            ("update", "lborg_commit"),
        },
    }
    review = build_review([stack_plan(name, parse_plan(plan, source=name)) for name, plan in plans.items()])
    text = render(review)
    assert (review.counts.add, review.counts.replace, review.counts.destroy) == (0, 0, 0)
    assert f"{SITE}-service-lb" in text and f"{SITE}-management-lb" in text  # the plan review of each pair
    assert "SERV_HTTP-18080" in text and "MGMT_MVWEBPROV-18087" in text


def _stack(site: TwoPairSite, stack: str) -> Terraform:
    """Plain `terraform` in a synthesized stack's folder, as a site's own CI script would run it."""
    return Terraform(site.output / "stacks" / stack, site.env)


def test_applied_stack_by_stack_with_plain_terraform_drift_is_clean_and_a_hand_edit_is_reported_once(
    two_pairs: TwoPairSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """The site destroyed and applied again from empty appliances, each stack with `terraform init`
    and `terraform apply` in its folder, the management pair first (the fixture's `cdktf deploy`
    names the service stack first): drift is clean right after, and after a re-apply that changes
    nothing. A floating IP added by hand on the management pair is one finding, with the WebUI
    step, not a backup restore."""
    for stack in STACKS:  # plain terraform in the other direction too
        _stack(two_pairs, stack).run("destroy", "-auto-approve", "-input=false", "-no-color")
    # The app itself, as a script runs it (`python main.py`, what cdktf.json's `app` names).
    app_env = {**two_pairs.env, "CDKTF_OUTDIR": str(two_pairs.output)}
    subprocess.run([sys.executable, "main.py"], cwd=PROJECT_ROOT, env=app_env, check=True, timeout=300)
    for stack in reversed(STACKS):
        _stack(two_pairs, stack).init()
        _stack(two_pairs, stack).apply()
    code, report = _drift(two_pairs, capsys)
    assert (code, report["status"]) == (0, "clean"), report
    for stack in STACKS:
        _stack(two_pairs, stack).apply()
    code, report = _drift(two_pairs, capsys)
    assert (code, report["status"]) == (0, "clean"), report

    lb3 = two_pairs.raw("lb3")
    lb3.call([{"action": "add-floating-ip", "ip": "127.27.22.98"}])
    try:  # drift compares the pair once the secondary holds the replicated heartbeat section
        lb4 = two_pairs.raw("lb4")
        replicated = wait_until(lambda: "127.27.22.98" in _floating_ips(lb4.dumpconfig()), 20)
        assert replicated, "the management pair did not replicate its heartbeat section"
        code, report = _drift(two_pairs, capsys)
    finally:
        lb3.call([{"action": "delete-floating-ip", "ip": "127.27.22.98"}])
    assert code == 2, report
    found = [(item["appliance"], item["subject"], item["what"]) for item in report["findings"]]
    assert found == [("lb3", "floating IPs", "floating IP 127.27.22.98 on the appliance")], report
    assert "Floating IPs" in report["findings"][0]["put_back"]
    assert "restore" not in report["findings"][0]["put_back"], report


def _eth1(appliance: RawAppliance) -> list[str]:
    found: list[str] = appliance.call([{"action": "address", "function": "get"}])[0]["data"].get("eth1", [])
    return found


#: What a person configuring the site by hand sets on each Layer 7 VIP for the site's 250,000
#: subscribers (docs/site-file.md, "Capacity"): 380,000 connections, and as many persistence
#: entries where the pool has persistence. The guide's WebUI steps leave the appliance's defaults.
SITE_LIMITS = {"maxconn": "380000"}
SITE_TABLE = {"persist_table_size": "380000"}


def _hand_rows(plan: PairPlan) -> list[HandRow]:
    rows = []
    for pool in plan.pools.pools:
        vip = str(pool.pool_ip) if pool.pool_ip is not None else str(plan.service_vips[pool.name])
        servers = tuple(str(server) for server in pool.servers)
        limits = (
            {**SITE_LIMITS, **(SITE_TABLE if pool.sticky else {})}
            if pool.section is Section.MANAGEMENT
            else {}
        )
        rows.append(
            HandRow(pool.section.value, pool.name, vip, pool.port, pool.sticky, servers, edits=limits)
        )
    return rows


def test_the_same_topology_configured_by_hand_adopts_with_nothing_to_add_or_destroy(
    two_pairs: TwoPairSite, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Empty appliances (API v2 cannot break a pair: they stay paired), by the documented command:
    # `eas_lb destroy` of every stack of the site (one cdktf run per stack, see commands/deploy.py).
    capsys.readouterr()
    argv = ["destroy", "--site", str(two_pairs.site), "--no-backup", "--app-dir", str(PROJECT_ROOT)]
    argv += ["--", "--auto-approve", "--skip-synth", "--output", str(two_pairs.output)]
    assert eas_main(argv) == 0, capsys.readouterr()
    said = capsys.readouterr().out
    assert said.index(f"destroy {STACKS[-1]}") < said.index(f"destroy {STACKS[0]}"), said  # last stack first
    _forget_state()
    for plan in two_pairs.deployment.pairs:  # the guide's WebUI steps, pair by pair, by raw API calls
        primary = two_pairs.raw(plan.pair.primary.name)
        assert _labels(primary.dumpconfig(), "haproxy") == _labels(primary.dumpconfig(), "ldirectord") == []
        secondary = two_pairs.raw(plan.pair.secondary.name) if plan.pair.secondary else None
        configure_pair_by_hand(
            primary,
            secondary,
            _hand_rows(plan),
            addresses={  # eth1 of the service pair's appliances, where destroy removed it
                node.name: str(node.service_ip)
                for node in plan.pair.nodes
                if node.service_ip is not None and str(node.service_ip) not in _eth1(two_pairs.raw(node.name))
            },
            pairing=None,
            service_gateway=str(plan.pair.service_gateway) if plan.pair.service_gateway else None,
        )

    capsys.readouterr()
    assert eas_main(["adopt", "--site", str(two_pairs.site)]) == 0
    report = capsys.readouterr().out
    assert report.count("pools: pools.txt matches the appliance") == 2, report  # each pair, its sections
    assert report.count("adds 0, changes 0, replaces 0, destroys 0") == 2, report

    for name, planned in _plans(two_pairs, monkeypatch).items():
        assert _changes(planned) == set(), name  # nothing to add, change, replace or destroy
        changes = planned["resource_changes"]
        not_imported = [e["address"] for e in changes if "importing" not in e["change"]]
        assert not_imported == [], f"{name}: not imported: {not_imported}"
