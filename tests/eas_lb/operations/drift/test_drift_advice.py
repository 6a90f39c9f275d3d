"""Drift's advice never harms: what the next deploy really does, keys of the site file (never an
edit of the EAS's pools.txt), full commands, no delete of what the code declares, and every
failure a user can cause said as "could not tell" with its fix. In-process; the same on a deployed
pair is in test_drift_pair.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import load_deployment
from eas_lb.operations.appliances.reachability import Silent, endpoint_differs, refusal
from eas_lb.operations.drift.appliance_reads import read_appliance
from eas_lb.operations.drift.command import _site_floating_ips
from eas_lb.operations.drift.findings import Finding, Kind, StackContext, from_drift, not_managed
from eas_lb.operations.drift.readiness import (
    ca_problem,
    credentials_problem,
    mirror_problem,
    no_state,
    paired_addresses,
    terraform_failure,
)
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, AttributeChange, PlannedResourceChange
from tests.support.paths import REPO_ROOT

DEMO = load_deployment(REPO_ROOT / "examples" / "site-demo.yaml")
PAIR = DEMO.pairs[0]
DEPLOY = "eas-lb deploy --site site.yaml --stack demo-pair1-lb"
LB1 = PlannedAppliance("lb1", "https://127.0.20.1:9443", "lborg")


def _context(**extra: Any) -> StackContext:
    return StackContext("demo-pair1-lb", PAIR, DEPLOY, "pools-demo.txt", {}, "site.yaml", **extra)


def _server_state(before: str, after: str, vip: str = "SERV_HTTP-18080", ip: str = "127.0.41.61") -> Any:
    values = {"vip": vip, "label": f"EAS_SSS-{ip}", "ip": ip, "port": "18080"}
    return PlannedResourceChange(
        stack="demo-pair1-lb",
        address=f"lborg_layer4_real_server.{ip.replace('.', '_')}",
        resource_type="lborg_layer4_real_server",
        appliance=LB1,
        action=Action.UPDATE,
        before={**values, "state": before},
        after={**values, "state": after},
        attributes=(AttributeChange("state", before, after),),
        replace_because=(),
    )


def test_a_hand_drain_says_the_next_deploy_puts_it_back_online_and_how_to_keep_it_out() -> None:
    [found] = from_drift(_context(), _server_state("online", "drain"))
    assert found.kind is Kind.SERVER_STATE
    assert found.what == (
        "EAS 127.0.41.61 draining on the appliance: it takes no new connections, except its persistent "
        "clients; the next deploy, for any change, puts it back online"
    )
    assert found.put_back == f"`{DEPLOY}`"
    assert found.keep.startswith("site file: maintenance: [{server: 127.0.41.61, state: drain}]")
    assert "leaves it as the appliance has it" not in found.what + found.keep


def test_a_server_the_site_file_keeps_in_maintenance_put_online_by_hand_goes_back_to_maintenance() -> None:
    [found] = from_drift(_context(maintenance={"127.0.41.61": "halt"}), _server_state("halt", "online"))
    assert found.what.endswith(
        "the next deploy, for any change, puts it back in maintenance (halt, as the "
        "site file's maintenance: says)"
    )
    assert found.keep == "site file: remove 127.0.41.61 from maintenance: (it is listed there as halt)"


def _all_findings(context: StackContext) -> list[Finding]:
    """One finding of every kind whose way out names a file: changed, deleted, not managed."""
    vip = {"label": "MGMT_HTTPS-18443", "ip": "127.0.30.227", "ports": "18443", "persist_time": 35}
    changed = PlannedResourceChange(
        "demo-pair1-lb",
        "lborg_layer7_vip.x",
        "lborg_layer7_vip",
        LB1,
        Action.UPDATE,
        vip,
        {**vip, "persist_time": 60, "ports": "18444"},
        (AttributeChange("persist_time", 35, 60), AttributeChange("ports", "18443", "18444")),
        (),
    )
    server = {"vip": "MGMT_HTTPS-18443", "label": "EAS_SSS-127.0.31.231", "ip": "127.0.31.231"}
    deleted = PlannedResourceChange(
        "demo-pair1-lb",
        "lborg_layer7_real_server.x",
        "lborg_layer7_real_server",
        LB1,
        Action.DELETE,
        server,
        {},
        (),
        (),
    )
    found = from_drift(context, changed) + from_drift(context, deleted)
    for entry in (
        "VIP 'MGMT_HTTPS-18443'",
        "VIP 'TEST-80'",
        "real server 'MGMT_HTTPS-18443/EAS_SSS-127.0.31.116'",
        "real server 'MGMT_HTTPS-18443/HAND'",
        "haproxy configuration edited outside Terraform (no managed attribute covers it)",
    ):
        finding = not_managed(context, "lb1", entry)
        assert finding is not None
        found.append(finding)
    return found


def test_a_hand_drain_of_a_named_server_advises_maintenance_by_its_name() -> None:
    [found] = from_drift(_context(names={"127.0.41.61": "eas-61"}), _server_state("online", "drain"))
    assert found.keep.startswith(
        "site file: maintenance: [{server: eas-61, state: drain}] (EAS server eas-61: each of its "
        "addresses, every VIP)"
    ), found.keep


def test_keep_it_names_a_site_file_key_or_says_none_can_never_an_edit_of_pools_txt() -> None:
    for finding in _all_findings(_context()):
        if "pools" in finding.keep:
            assert finding.keep.startswith("not possible in the site file"), finding
        assert "add a row" not in finding.keep and "delete the pool's row" not in finding.keep


def test_no_advice_deletes_what_the_code_declares() -> None:
    by_subject = {(f.subject, f.what): f for f in _all_findings(_context())}
    declared_vip = by_subject[("MGMT_HTTPS-18443", "VIP MGMT_HTTPS-18443 on the appliance")]
    declared_server = by_subject[
        ("MGMT_HTTPS-18443", "server EAS_SSS-127.0.31.116 in MGMT_HTTPS-18443 on the appliance")
    ]
    for finding in (declared_vip, declared_server):
        assert finding.put_back.startswith("do not delete it: the code declares")
        assert "eas-lb adopt --site site.yaml" in finding.put_back
    stranger = by_subject[("TEST-80", "VIP TEST-80 on the appliance")]
    assert "delete it in the WebUI" in stranger.put_back  # not the code's: removing it is a choice


def test_restore_advice_is_a_full_command(tmp_path: Path) -> None:
    copy = tmp_path / "backups" / "lb1" / "lb_config-20261207T120000.xml"
    entry = "haproxy configuration edited outside Terraform (no managed attribute covers it)"
    with_copy = not_managed(_context(backups={"lb1": copy}), "lb1", entry)
    assert with_copy is not None
    assert (
        f"`eas-lb restore --site site.yaml --from {copy} --appliance lb1`, then `{DEPLOY}`"
        in with_copy.put_back
    )
    without = not_managed(_context(), "lb1", entry)
    assert without is not None and "restore" not in without.put_back
    for finding in _all_findings(_context(backups={"lb1": copy})):
        assert "SITE" not in finding.put_back and "FILE" not in finding.put_back


class _Appliance:
    """An appliance with the pair's service gateway and a stranger as floating IPs."""

    def advanced(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return {"interval": "3000"}, {"checkinterval": "3", "checktimeout": "3", "failurecount": "2"}

    def dumpconfig(self) -> dict[str, Any]:
        return {"heartbeat": {"vip": ["127.0.41.10", "127.0.40.150", "127.0.99.9"]}}

    def nodestatus(self) -> dict[str, Any]:
        return {"pending": []}


def test_floating_ips_the_site_file_names_are_never_not_managed() -> None:
    named = _site_floating_ips(PAIR)
    assert {"127.0.41.10", "127.0.40.150", "127.0.30.227"} <= named
    client: Any = _Appliance()
    read = read_appliance("lb1", "s", client, layer7=True, layer4=True, managed_floating_ips=named)
    assert [f.what for f in read.findings] == ["floating IP 127.0.99.9 on the appliance"]
    unknown = read_appliance("lb1", "s", client, layer7=True, layer4=True, managed_floating_ips=None)
    assert unknown.findings == []  # no state read: nothing about floating IPs is judged


def test_every_reason_for_not_refreshing_says_its_fix(tmp_path: Path) -> None:
    assert "`. ./env.sh`" in (mirror_problem({}) or "")
    missing = credentials_problem(DEMO.site, list(PAIR.pair.nodes))
    assert missing is None or "export the appliances' API credentials" in missing
    ca = ca_problem(PAIR.pair, PAIR.pair.primary.model_copy(update={"ca_file": tmp_path / "none.pem"}))
    assert ca is not None and "does not exist (site file, pair pair1, primary.ca_file)" in ca
    stack = tmp_path / "demo-pair1-lb"
    stack.mkdir()
    (stack / "cdk.tf.json").write_text(
        json.dumps(
            {"terraform": {"backend": {"local": {"path": "/srv/site/terraform.demo-pair1-lb.tfstate"}}}}
        )
    )
    said = no_state(stack)
    assert "the local file /srv/site/terraform.demo-pair1-lb.tfstate" in said and "backend: pg or s3" in said
    failure = terraform_failure(
        "stack demo-pair1-lb: 'terraform init' failed (exit 1):\nInitializing the backend...\n"
        "Error: Error refreshing state: 2 problems:\n\n- Unsupported state file format: not JSON.\n",
        stack,
    )
    assert failure.startswith(
        "stack demo-pair1-lb: 'terraform init' failed (exit 1): Error refreshing state: 2 problems: "
        "Unsupported state file format: not JSON. The state (the local file"
    )
    assert "\n" not in failure


def test_an_endpoint_typo_is_named_not_taken_for_an_outage() -> None:
    state = {
        "resources": [
            {
                "type": "lborg_ha_pair",
                "instances": [{"attributes": {"local_ip": "127.0.20.1", "peer_ip": "127.0.20.2"}}],
            }
        ]
    }
    paired = paired_addresses(state)
    typo = PAIR.pair.secondary.model_copy(update={"endpoint": "https://127.0.20.3:9443"})  # type: ignore[union-attr]
    assert endpoint_differs(typo, "secondary", paired) == (
        "its endpoint https://127.0.20.3:9443 is not the address the last deploy paired lb2 at "
        "(127.0.20.2, in the state): check lb2's endpoint in the site file"
    )
    assert endpoint_differs(PAIR.pair.primary, "primary", paired) is None
    assert "management_ip (127.0.20.2, site file)" in (endpoint_differs(typo, "secondary", {}) or "")
    # deploy's refusal says it first, before its advice for a node that is really down
    pair = PAIR.pair.model_copy(update={"secondary": typo})
    message = refusal("deploy", [Silent(pair, typo, "Connection refused")])
    first = (
        "  - first: its endpoint https://127.0.20.3:9443 is not lb2's management_ip (127.0.20.2, site file)"
    )
    assert first in message and message.index(first) < message.index("urgent change while lb2 is out")


def test_a_site_file_drift_cannot_read_still_gives_a_could_not_tell_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text("name: broken\npools: pools.txt\npairs: []\n", encoding="utf-8")
    out = tmp_path / "drift.md"
    assert eas_main(["drift", "--site", str(site), "--json", "--out", str(out)]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["status"] == "unknown" and document["findings"] == []
    assert document["could_not_tell"][0].startswith(f"the site file {site} cannot be used")
    assert "**⚠ Could not tell:** the site file" in out.read_text(encoding="utf-8")


def test_the_issue_of_a_run_that_could_not_tell_says_so_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eas_lb.operations.drift.issue import main as issue_main
    from eas_lb.operations.drift.report import DriftReport, render_json, render_markdown

    reason = "stack demo-pair1-lb was not refreshed: pools.txt changed since the last `cdktf synth`"
    report = DriftReport("demo", ["demo-pair1-lb"], could_not_tell=[reason])
    (tmp_path / "drift.json").write_text(render_json(report), encoding="utf-8")
    (tmp_path / "drift.md").write_text(render_markdown(report), encoding="utf-8")
    arguments = ["--report", str(tmp_path / "drift.json"), "--markdown", str(tmp_path / "drift.md")]
    assert issue_main([*arguments, "--dry-run", "--open-issue", "none"]) == 0
    posted = capsys.readouterr().out
    assert f"**⚠ Could not tell:** {reason}" in posted and "No drift" not in posted
