"""Plan review of EAS servers: maintenance, back online, removal after a drain, hand-made drains,
and what each reload does to established sessions. Plans are built in Terraform's JSON format
(`tests.support.plan_builders`) with the real servers' `state` and `drain_seconds`."""

from __future__ import annotations

from typing import Any

from eas_lb.operations.plan_review.reload_effects import EFFECTS
from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import Review, build_review
from eas_lb.operations.plan_review.risks import RiskKind
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.plan_json import parse_plan
from tests.support.plan_builders import change, l7_rip, l7_vip, plan

MGMT = ("MGMT_HTTP-80", "MGMT_HTTPS-443")


def _l4_vip(label: str, **overrides: Any) -> dict[str, Any]:
    values = {"id": label, "label": label, "ip": "192.168.85.150", "ports": "80", "protocol": "tcp"}
    return {**values, "forwarding": "masq", "scheduler": "wrr", "persistent": False, **overrides}


def _l4_rip(vip: str, label: str, ip: str, **overrides: Any) -> dict[str, Any]:
    values = {"id": f"{vip}/{label}", "vip": vip, "label": label, "ip": ip, "port": 80, "weight": 100}
    return {**values, "minconns": 0, "maxconns": 0, **overrides}


def _rip(layer: str, vip: str, ip: str, **values: Any) -> dict[str, Any]:
    label = f"EAS_SSS-{ip}"
    built = l7_rip(vip, label, ip, **values) if layer == "7" else _l4_rip(vip, label, ip, **values)
    return {"state": "online", "drain_seconds": 300, **built}


def _name(vip: str, ip: str) -> str:
    return f"{vip.lower().replace('-', '_')}_eas_{ip.replace('.', '_')}"


def _state_change(layer: str, vip: str, ip: str, before: str, after: str) -> dict[str, Any]:
    kind = f"lborg_layer{layer}_real_server"
    return change(
        f"{kind}.{_name(vip, ip)}",
        ["update"],
        _rip(layer, vip, ip, state=before),
        _rip(layer, vip, ip, state=after),
    )


def _vip_noop(vip: str, **values: Any) -> dict[str, Any]:
    layer7 = vip.startswith("MGMT")
    body = l7_vip(vip, **values) if layer7 else _l4_vip(vip, **values)
    kind = "lborg_layer7_vip" if layer7 else "lborg_layer4_vip"
    return change(f"{kind}.{vip.lower().replace('-', '_')}", ["no-op"], body, body)


def _commit(before: dict[str, str], after: dict[str, str]) -> dict[str, Any]:
    return change(
        "lborg_commit.lb1",
        ["update"],
        {"id": "commit", "triggers": before},
        {"id": "commit", "triggers": after},
    )


def review_of(document: dict[str, Any]) -> Review:
    return build_review([stack_plan("site-pair1-lb", parse_plan(document, source="test"))])


def test_a_server_put_in_maintenance_is_one_line_per_eas_server_and_no_risk() -> None:
    changes = [_state_change("7", vip, "10.225.37.231", "online", "drain") for vip in MGMT]
    changes.append(_state_change("4", "SERV_HTTP-80", "10.225.37.231", "online", "drain"))
    review = review_of(plan(changes))
    text = render(review)
    assert (
        "- EAS 10.225.37.231 in maintenance (drain) on 2 + 1 VIPs "
        "(MGMT_HTTP-80, MGMT_HTTPS-443, SERV_HTTP-80)" in text
    )
    assert "- EAS 10.225.37.231 in maintenance (drain) in MGMT_HTTPS-443" in text
    assert not review.risks
    assert "**Risk:** no interrupting change found." in text
    assert review.reload_count == 0  # a drain is a runtime action: nothing to reload


def test_a_named_server_is_one_line_with_its_name_and_addresses_over_both_layers() -> None:
    changes = [_state_change("7", vip, "10.225.37.231", "online", "drain") for vip in MGMT]
    changes.append(_state_change("4", "SERV_HTTP-80", "192.168.85.61", "online", "drain"))
    changes.append(_state_change("4", "SERV_HTTP-80", "192.168.85.5", "online", "halt"))
    title = "eas-3 (10.225.37.231, 192.168.85.61)"
    names = {"10.225.37.231": title, "192.168.85.61": title}
    stacks = [stack_plan("site-pair1-lb", parse_plan(plan(changes), source="test"))]
    text = render(build_review(stacks, names=names))
    assert (
        f"- EAS {title} in maintenance (drain) on 2 + 1 VIPs (MGMT_HTTP-80, MGMT_HTTPS-443, SERV_HTTP-80)"
        in text
    ), text
    assert "- EAS 192.168.85.5 in maintenance (halt) on 1 VIP (SERV_HTTP-80)" in text  # not named: by address
    assert "EAS 10.225.37.231 in maintenance (drain) on" not in text  # one line for the server, not two
    back = [_state_change("7", "MGMT_HTTP-80", "10.225.37.231", "drain", "online")]
    back.append(_state_change("4", "SERV_HTTP-80", "192.168.85.61", "drain", "online"))
    stacks = [stack_plan("site-pair1-lb", parse_plan(plan(back), source="test"))]
    assert f"- EAS {title} back online on 1 + 1 VIPs (MGMT_HTTP-80, SERV_HTTP-80)" in render(
        build_review(stacks, names=names)
    )


def test_back_online_names_the_state_it_leaves() -> None:
    changes = [_state_change("7", vip, "10.225.37.231", "halt", "online") for vip in MGMT]
    text = render(review_of(plan(changes)))
    assert "- EAS 10.225.37.231 back online on 2 VIPs (MGMT_HTTP-80, MGMT_HTTPS-443)" in text
    assert "- EAS 10.225.37.231 back online in MGMT_HTTP-80 (was halt)" in text


def test_a_halt_on_layer_4_is_a_risk_and_on_layer_7_is_not() -> None:
    review = review_of(
        plan(
            [
                _state_change("7", "MGMT_HTTP-80", "10.225.37.231", "online", "halt"),
                _state_change("4", "SERV_HTTP-80", "192.168.85.61", "online", "halt"),
            ]
        )
    )
    assert [(risk.kind, risk.subject) for risk in review.risks] == [
        (RiskKind.INTERRUPTION, "EAS 192.168.85.61 in SERV_HTTP-80")
    ]
    assert "halted: IPVS drops its established connections" in render(review)


def test_a_removal_after_a_drain_says_how_long_and_is_no_risk() -> None:
    before = _rip("7", "MGMT_HTTPS-443", "10.225.37.116", drain_seconds=300)
    removal = change(
        f"lborg_layer7_real_server.{_name('MGMT_HTTPS-443', '10.225.37.116')}", ["delete"], before, None
    )
    review = review_of(
        plan([_vip_noop("MGMT_HTTPS-443"), removal, _commit({"haproxy": "a"}, {"haproxy": "b"})])
    )
    text = render(review)
    assert text.count("- EAS 10.225.37.116 removed from MGMT_HTTPS-443 after a 300 s drain\n") == 1
    assert "- EAS 10.225.37.116 removed from MGMT_HTTPS-443\n" in text  # the pool's own line
    assert not review.risks


def test_a_removal_without_a_drain_is_a_risk_on_every_pool() -> None:
    def removal(layer: str, vip: str, ip: str) -> dict[str, Any]:
        before = _rip(layer, vip, ip, drain_seconds=0)
        return change(f"lborg_layer{layer}_real_server.{_name(vip, ip)}", ["delete"], before, None)

    document = plan(
        [
            _vip_noop("MGMT_HTTPS-443"),  # sticky (source IP, 35 min)
            _vip_noop("MGMT_IMAP-143", persistence="none"),
            _vip_noop("SERV_IMAP-143"),  # Layer 4, not sticky
            removal("7", "MGMT_HTTPS-443", "10.225.37.116"),
            removal("7", "MGMT_IMAP-143", "10.225.37.116"),
            removal("4", "SERV_IMAP-143", "192.168.85.5"),
        ]
    )
    review = review_of(document)
    assert {(risk.subject, risk.reason) for risk in review.risks} == {
        (
            "EAS 10.225.37.116 in MGMT_HTTPS-443",
            "removed without a drain: its sticky clients are moved at once (set drain: in the site file)",
        ),
        (
            "EAS 10.225.37.116 in MGMT_IMAP-143",
            "removed without a drain: nothing waits for its established connections to end (set drain: in "
            "the site file)",
        ),
        (
            "EAS 192.168.85.5 in SERV_IMAP-143",
            "removed without a drain: IPVS drops its established connections (set drain: in the site file)",
        ),
    }
    assert {risk.kind for risk in review.risks} == {RiskKind.INTERRUPTION}
    text = render(review)
    assert "**Risk:** ⚠ 3 traffic interruptions" in text
    assert "- EAS 10.225.37.116 removed from MGMT_HTTPS-443, MGMT_IMAP-143 at once, without a drain" in text


def test_the_servers_of_a_deleted_pool_are_not_flagged_one_by_one() -> None:
    vip = l7_vip("MGMT_HTTPS-443")
    document = plan(
        [
            change("lborg_layer7_vip.mgmt_https_443", ["delete"], vip, None),
            change(
                "lborg_layer7_real_server.x",
                ["delete"],
                _rip("7", "MGMT_HTTPS-443", "10.225.37.116", drain_seconds=0),
                None,
            ),
        ]
    )
    review = review_of(document)
    assert [risk.reason for risk in review.risks] == ["VIP deleted"]
    assert "### EAS servers" not in render(review)


def test_a_drain_made_by_hand_is_shown_and_its_undoing_is_a_risk() -> None:
    drifted = change(
        f"lborg_layer7_real_server.{_name('MGMT_HTTP-80', '10.225.37.231')}",
        ["update"],
        _rip("7", "MGMT_HTTP-80", "10.225.37.231", state="online"),
        _rip("7", "MGMT_HTTP-80", "10.225.37.231", state="drain"),
    )
    undo = _state_change("7", "MGMT_HTTP-80", "10.225.37.231", "drain", "online")
    review = review_of(plan([undo], drift=[drifted]))
    assert [(risk.kind, risk.reason) for risk in review.risks] == [
        (RiskKind.OUTSIDE, "set to drain outside Terraform; this apply puts it back to online")
    ]
    text = render(review)
    assert "- EAS 10.225.37.231 was set to drain on MGMT_HTTP-80 outside Terraform" in text
    assert "list the server under maintenance: in the site file" in text


def test_a_hand_made_drain_the_site_file_also_asks_for_is_not_undone() -> None:
    drifted = change(
        "lborg_layer7_real_server.x",
        ["update"],
        _rip("7", "MGMT_HTTP-80", "10.225.37.231", state="online"),
        _rip("7", "MGMT_HTTP-80", "10.225.37.231", state="drain"),
    )
    review = review_of(plan([], drift=[drifted]))
    assert not review.risks
    assert "was set to drain" not in render(review)


def test_every_reload_says_what_it_does_to_established_sessions() -> None:
    commit = _commit({"haproxy": "a", "ldirectord": "b"}, {"haproxy": "c", "ldirectord": "d"})
    text = render(review_of(plan([commit])))
    assert "Reloads: haproxy, ldirectord\n\n" in text
    assert f"- {EFFECTS['haproxy']}\n- {EFFECTS['ldirectord']}\n" in text
    assert "Layer 4 untouched" in EFFECTS["haproxy"] and "Layer 7 untouched" in EFFECTS["ldirectord"]


def test_an_unset_drain_time_is_the_providers_default_and_a_halted_server_has_none_to_run() -> None:
    unset = _rip("4", "SERV_IMAP-143", "192.168.85.5")
    del unset["drain_seconds"]  # a state written before drains existed reads the same as unset
    halted = _rip("4", "SERV_IMAP-143", "192.168.85.61", state="halt", drain_seconds=300)
    review = review_of(
        plan(
            [
                _vip_noop("SERV_IMAP-143"),
                change("lborg_layer4_real_server.a", ["delete"], unset, None),
                change("lborg_layer4_real_server.b", ["delete"], halted, None),
            ]
        )
    )
    text = render(review)
    assert (
        "- EAS 192.168.85.5 removed from SERV_IMAP-143 after a 30 s drain (Layer 4: the connections "
        "still open then are cut)" in text
    )
    assert "- EAS 192.168.85.61 removed from SERV_IMAP-143 (it was halted: nothing to drain)" in text
    # The halted server was out of service already; the drained one loses what is still open then.
    assert [(risk.kind, risk.subject, risk.reason) for risk in review.risks] == [
        (
            RiskKind.INTERRUPTION,
            "EAS 192.168.85.5 in SERV_IMAP-143",
            "removed after a 30 s drain: IPVS then drops the connections still open to it (Layer 4 keeps "
            "none of a deleted real server's)",
        )
    ]


def test_a_state_or_drain_time_alone_reloads_nothing_even_when_the_commit_changes() -> None:
    commit = change(
        "lborg_commit.lb1",
        ["update"],
        {"id": "commit", "triggers": {"haproxy": "a", "ldirectord": "b"}},
        {"id": "commit", "triggers": {"haproxy": "c", "ldirectord": "b"}},
    )
    before = _rip("4", "SERV_HTTP-80", "192.168.85.61", drain_seconds=None)
    after = _rip("4", "SERV_HTTP-80", "192.168.85.61", drain_seconds=300)
    drain_time = change("lborg_layer4_real_server.x", ["update"], before, after)
    halted = _state_change("4", "SERV_HTTP-80", "192.168.85.5", "online", "halt")
    review = review_of(plan([commit, drain_time, halted]))
    assert [item.services for item in review.reloads] == [("haproxy",)]
    assert "drain time before a removal (unset) → 300 s" in render(review)


def test_a_server_deleted_and_created_again_is_no_removal() -> None:
    old = {**_rip("7", "MGMT_HTTP-80", "10.225.37.61", drain_seconds=0), "label": "EAS_SSS-1"}
    new = _rip("7", "MGMT_HTTP-80", "10.225.37.61")
    review = review_of(
        plan(
            [
                _vip_noop("MGMT_HTTP-80"),
                change("lborg_layer7_real_server.eas_sss_1", ["delete"], old, None),
                change("lborg_layer7_real_server.eas_10_225_37_61", ["create"], None, new),
            ]
        )
    )
    assert [risk.reason.split(":")[0] for risk in review.risks] == [
        "deleted as EAS_SSS-1 and created again as EAS_SSS-10.225.37.61"
    ]
    assert "### EAS servers" not in render(review)
