"""Unit tests of the plan review on small hand-written plans (Terraform's documented format)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.plan_review.render import MARKER, render
from eas_lb.operations.plan_review.review import Gate, Review, build_review, gate_failures
from eas_lb.operations.plan_review.risks import RiskKind
from eas_lb.operations.plans.changes import SENSITIVE, UNKNOWN, Action, mask, stack_plan
from eas_lb.operations.plans.plan_json import PlanFormatError, load_plan, parse_plan
from eas_lb.operations.plans.reloads import reloads
from tests.support.plan_builders import change, l7_rip, l7_vip, plan


def review_of(document: dict[str, Any], name: str = "site-pair1-lb") -> Review:
    return build_review([stack_plan(name, parse_plan(document, source="test"))])


def test_mask_replaces_sensitive_and_unknown_parts_by_shape() -> None:
    value = {"a": "secret", "b": ["x", "y"], "c": {"d": 1}, "e": None}
    masked = mask(value, {"a": True, "b": [False, True]}, {"e": True})
    assert masked == {"a": SENSITIVE, "b": ["x", SENSITIVE], "c": {"d": 1}, "e": UNKNOWN}
    assert mask("whole", True) is SENSITIVE


def test_persistence_change_reads_in_minutes_and_is_a_risk() -> None:
    document = plan(
        [
            change(
                "lborg_layer7_vip.mgmt_https_443",
                ["update"],
                l7_vip("MGMT_HTTPS-443"),
                l7_vip("MGMT_HTTPS-443", persist_time=40),
            )
        ]
    )
    review = review_of(document)
    text = render(review)
    assert "persistence 35 → 40 min" in text
    assert "`MGMT_HTTPS-443`" in text
    assert [risk.kind for risk in review.risks] == [RiskKind.PERSISTENCE]
    assert review.counts.change == 1 and review.counts.total == 1


def test_removed_server_is_worded_in_pool_terms() -> None:
    rip = l7_rip("MGMT_HTTPS-443", "EAS_SSS-2", "10.225.37.116")
    review = review_of(plan([change("lborg_layer7_real_server.rip2", ["delete"], rip, None)]))
    # A label kept from the days of position labels is named, so it can be found in the WebUI.
    assert "EAS 10.225.37.116 removed from MGMT_HTTPS-443 (label EAS_SSS-2)" in render(review)
    assert review.counts.destroy == 1
    assert review.risks == ()


def test_one_address_deleted_and_created_again_on_one_vip_is_an_interruption() -> None:
    # What a site deployed with position labels plans before its labels are kept.
    old = l7_rip("MGMT_HTTPS-443", "EAS_SSS-1", "10.225.37.61")
    new = l7_rip("MGMT_HTTPS-443", "EAS_SSS-10.225.37.61", "10.225.37.61")
    other = l7_rip("MGMT_HTTPS-443", "EAS_SSS-10.225.37.62", "10.225.37.62")
    review = review_of(
        plan(
            [
                change("lborg_layer7_real_server.old", ["delete"], old, None),
                change("lborg_layer7_real_server.new", ["create"], None, new),
                change("lborg_layer7_real_server.other", ["create"], None, other),
            ]
        )
    )
    assert [(risk.kind, risk.subject) for risk in review.risks] == [
        (RiskKind.INTERRUPTION, "EAS 10.225.37.61 in MGMT_HTTPS-443")
    ]
    assert "eas-lb migrate-labels" in review.risks[0].reason
    assert "EAS 10.225.37.62 added to MGMT_HTTPS-443 (port 443)" in render(review)


def test_label_change_is_a_replacement_with_its_reason_and_an_interruption() -> None:
    document = plan(
        [
            change(
                "lborg_layer7_vip.pool",
                ["delete", "create"],
                l7_vip("MGMT_HTTP-80"),
                l7_vip("MGMT_WEB-80", id=None),
                after_unknown={"id": True},
                replace_paths=[["label"]],
            )
        ]
    )
    review = review_of(document)
    text = render(review)
    assert "label MGMT_HTTP-80 → MGMT_WEB-80" in text
    assert "because label" in text
    assert [risk.kind for risk in review.risks] == [RiskKind.INTERRUPTION]
    assert gate_failures(review, {Gate.REPLACE}) and not gate_failures(review, {Gate.DESTROY, Gate.DRIFT})


def test_sensitive_values_never_reach_the_markdown_but_their_change_does() -> None:
    before = {
        "id": "127.4.0.2",
        "local_ip": "127.4.0.1",
        "peer_ip": "127.4.0.2",
        "peer_password": "hunter2-old",
    }
    after = {**before, "peer_password": "hunter2-new"}
    document = plan(
        [
            change(
                "lborg_ha_pair.pair",
                ["update"],
                before,
                after,
                before_sensitive={"peer_password": True},
                after_sensitive={"peer_password": True},
            )
        ]
    )
    review = review_of(document)
    text = render(review)
    assert "hunter2" not in text
    assert "peer_password: (sensitive) → (sensitive)" in text
    assert [risk.kind for risk in review.risks] == [RiskKind.FAILOVER]


def test_commit_reloads_count_only_changed_trigger_keys() -> None:
    before = {
        "id": "commit",
        "triggers": {"haproxy": "a1", "ldirectord": "b1", "heartbeat": "c1"},
        "reloads": [],
    }
    after = {**before, "triggers": {"haproxy": "a2", "ldirectord": "b1", "heartbeat": "c1"}}
    document = plan([change("lborg_commit.lb1", ["update"], before, after, after_unknown={"reloads": True})])
    review = review_of(document)
    assert [(item.appliance, item.services) for item in reloads(list(review.changes))] == [
        ("lb1", ("haproxy",))
    ]
    assert review.reload_count == 1
    assert "Reloads: haproxy" in render(review)


def test_commit_create_reloads_every_named_service() -> None:
    after = {"triggers": {"ldirectord": "b", "haproxy": "a"}}
    document = plan([change("lborg_commit.lb1", ["create"], None, after, after_unknown={"id": True})])
    assert review_of(document).reload_count == 2


def test_drift_is_listed_separately_and_trips_the_drift_gate() -> None:
    rip = l7_rip("MGMT_HTTPS-443", "EAS_SSS-1", "10.225.37.231")
    drifted = change("lborg_layer7_real_server.rip1", ["delete"], rip, None)
    document = plan([change("lborg_layer7_real_server.rip1", ["create"], None, rip)], drift=[drifted])
    review = review_of(document)
    text = render(review)
    assert "### Drift found during refresh" in text
    drift_part = text.split("### Drift found during refresh", 1)[1]
    pool = drift_part.split("**`MGMT_HTTPS-443`**", 1)[1]
    assert "EAS 10.225.37.231 (label EAS_SSS-1) missing on the appliance" in pool
    assert gate_failures(review, {Gate.DRIFT})


def test_no_changes_says_so_and_counts_zero() -> None:
    review = review_of(plan([change("lborg_layer7_vip.a", ["no-op"], l7_vip("MGMT_A"), l7_vip("MGMT_A"))]))
    text = render(review)
    assert text.startswith(MARKER)
    assert "No changes" in text
    assert "0 to add, 0 to change, 0 to replace, 0 to destroy" in text
    assert "Risk:** no interrupting change found" in text


def test_ordering_is_stable_whatever_the_input_order() -> None:
    entries = [
        change(
            f"lborg_layer7_real_server.r{n}",
            ["create"],
            None,
            l7_rip(f"MGMT_P{n % 3}", f"EAS_SSS-{n}", f"10.0.0.{n}"),
        )
        for n in range(9)
    ]
    forward = render(review_of(plan(entries)))
    backward = render(review_of(plan(list(reversed(entries)))))
    assert forward == backward
    assert forward.index("`MGMT_P0`") < forward.index("`MGMT_P1`") < forward.index("`MGMT_P2`")


def test_appliance_is_named_from_its_provider_block() -> None:
    document = plan([change("lborg_floating_ip.gw", ["create"], None, {"ip": "127.4.0.10"})])
    text = render(review_of(document))
    assert "#### lb1 (https://127.4.0.1:10443) · stack `site-pair1-lb`" in text
    assert "floating IP 127.4.0.10 added" in text


def test_max_chars_shortens_the_raw_section_only() -> None:
    entries = [
        change(
            f"lborg_layer7_real_server.r{n}",
            ["create"],
            None,
            l7_rip(f"MGMT_P{n % 10}", f"EAS_SSS-{n}", f"10.0.0.{n // 10}"),
        )
        for n in range(200)
    ]
    review = review_of(plan(entries))
    full = render(review)
    short = render(review, max_chars=20000)
    assert len(full) > 20000 >= len(short)
    assert "raw changes truncated" in short
    assert short.split("<details>", 1)[0] == full.split("<details>", 1)[0]


def test_unknown_action_list_is_a_clear_error() -> None:
    document = plan([change("lborg_floating_ip.gw", ["explode"], None, {"ip": "127.4.0.10"})])
    with pytest.raises(PlanFormatError, match=r"lborg_floating_ip.gw: unknown action list \['explode'\]"):
        review_of(document)


def test_not_a_plan_names_the_file(tmp_path: Path) -> None:
    binary = tmp_path / "plan.out"
    binary.write_bytes(b"PK\x03\x04 binary plan")
    with pytest.raises(PlanFormatError, match="not JSON"):
        load_plan(binary)
    other = tmp_path / "state.json"
    other.write_text(json.dumps({"version": 4}))
    with pytest.raises(PlanFormatError, match=r"state.json: not a Terraform JSON plan"):
        load_plan(other)


def test_actions_map_to_one_review_action_each() -> None:
    doc = plan(
        [
            change(
                "lborg_floating_ip.a", ["create", "delete"], {"ip": "1"}, {"ip": "2"}, replace_paths=[["ip"]]
            ),
            change("lborg_floating_ip.b", ["forget"], {"ip": "3"}, None),
        ]
    )
    actions = [item.action for item in review_of(doc).changes]
    assert actions == [Action.REPLACE, Action.FORGET]


def test_commit_update_for_drift_repair_counts_the_unknown_digests() -> None:
    triggers = {"haproxy": "a1", "ldirectord": "b1", "heartbeat": "c1"}
    digests = {"haproxy": "x", "ldirectord": "y", "heartbeat": "z"}
    before = {"id": "commit", "triggers": triggers, "reloads": [], "config_digests": digests}
    after = {
        **before,
        "config_digests": {"haproxy": None, "ldirectord": "y", "heartbeat": "z"},
        "reloads": None,
    }
    unknown = {"reloads": True, "config_digests": {"haproxy": True}}
    review = review_of(plan([change("lborg_commit.lb1", ["update"], before, after, after_unknown=unknown)]))
    assert [(item.services, item.repairs) for item in review.reloads] == [(("haproxy",), ("haproxy",))]
    assert "Reloads: haproxy (to repair drift)" in render(review)


def _commit_drift_repair(drift: list[dict[str, Any]]) -> Review:
    """A commit update planned only because the appliance drifted (whole digest map unknown)."""
    triggers = {"haproxy": "a1", "ldirectord": "b1", "heartbeat": "c1"}
    before = {"id": "commit", "triggers": triggers, "reloads": [], "config_digests": {"haproxy": "x"}}
    after = {"id": "commit", "triggers": triggers, "reloads": None, "config_digests": None}
    unknown = {"reloads": True, "config_digests": True}
    commit = change("lborg_commit.lb1", ["update"], before, after, after_unknown=unknown)
    return review_of(plan([commit], drift=drift))


def test_whole_unknown_digests_take_the_drifted_services_from_the_refresh() -> None:
    rip = {"id": "SERV_A/EAS_SSS-1", "vip": "SERV_A", "label": "EAS_SSS-1", "ip": "10.0.0.1", "port": 80}
    review = _commit_drift_repair([change("lborg_layer4_real_server.r", ["delete"], rip, None)])
    assert [(item.services, item.repairs) for item in review.reloads] == [(("ldirectord",), ("ldirectord",))]


def test_whole_unknown_digests_without_attributed_drift_count_every_managed_service() -> None:
    review = _commit_drift_repair([])
    assert review.reload_count == 3
    assert "Reloads: haproxy, ldirectord, heartbeat (to repair drift)" in render(review)


def test_max_chars_cuts_a_huge_review_after_headline_and_risks() -> None:
    entries = []
    for pool in range(300):
        before, after = l7_vip(f"MGMT_P{pool}"), l7_vip(f"MGMT_P{pool}", persist_time=40)
        entries.append(change(f"lborg_layer7_vip.p{pool}", ["update"], before, after))
    review = review_of(plan(entries))
    short = render(review, max_chars=20000)
    assert len(short) <= 20000
    assert short.startswith(MARKER) and "**Risk:** ⚠ 300 persistence changes" in short
    assert "more lines and the raw changes are not shown" in short
    assert "<details>" not in short


def test_layer4_persistence_reads_in_seconds_and_on_off() -> None:
    before: dict[str, Any] = {"id": "SERV_A", "label": "SERV_A", "ip": "127.4.14.150", "ports": "18080"}
    before |= {"forwarding": "masq", "persistent": True, "persist_time": 2100, "check_type": "connect"}
    after = {**before, "persistent": False, "persist_time": 300, "check_type": "negotiate"}
    review = review_of(plan([change("lborg_layer4_vip.serv_a", ["update"], before, after)]))
    text = render(review)
    assert "- persistence on → off" in text
    assert "- persistence 2100 → 300 s" in text
    assert "- health check connect → negotiate" in text
    assert {risk.kind for risk in review.risks} == {RiskKind.PERSISTENCE, RiskKind.HEALTH_CHECK}


def test_imported_objects_are_adopted_not_added_and_an_off_guide_value_reads_as_a_change() -> None:
    vip = l7_vip("MGMT_HTTPS-443")
    rip = l7_rip("MGMT_HTTPS-443", "EAS_SSS-1", "10.225.37.231")
    entries = [
        change("lborg_layer7_vip.https", ["update"], {**vip, "timeout_client": "600000"}, vip),
        change("lborg_layer7_real_server.rip1", ["no-op"], rip, rip),
        change(
            "lborg_hostname.lb1",
            ["no-op"],
            {"id": "hostname", "hostname": "lb1"},
            {"id": "hostname", "hostname": "lb1"},
        ),
        change(
            "lborg_floating_ip.gw",
            ["no-op"],
            {"id": "10.0.0.1", "ip": "10.0.0.1"},
            {"id": "10.0.0.1", "ip": "10.0.0.1"},
        ),
        change("lborg_layer7_vip.other", ["no-op"], l7_vip("MGMT_X"), l7_vip("MGMT_X")),  # in state already
    ]
    for entry in entries[:4]:
        entry["change"]["importing"] = {"id": entry["change"]["before"]["id"]}
    review = review_of(plan(entries))
    text = render(review)
    assert review.counts.adopt == 4 and review.counts.add == 0 and review.counts.change == 1
    assert "**4 adopted, 0 to add, 1 to change, 0 to replace, 0 to destroy**" in text
    assert "adopted: layer 7 VIP 10.225.37.227:443" in text
    assert "client timeout 600000 → 900000 ms" in text
    assert "EAS 10.225.37.231 adopted in MGMT_HTTPS-443 (port 443, label EAS_SSS-1)" in text
    assert "hostname lb1 adopted" in text and "floating IP 10.0.0.1 adopted" in text
    assert "MGMT_X" not in text  # a no-op that is not imported is not news
    assert " added" not in text and review.risks == ()


def _depends_on_commit(unmanaged: list[str], action: str = "update") -> dict[str, Any]:
    """A commit without triggers (depends_on alone) planning an update, as the provider plans it."""
    before = {
        "id": "commit",
        "triggers": None,
        "on_destroy": None,
        "reloads": [],
        "config_digests": {"haproxy": "x", "ldirectord": "y", "heartbeat": "z"},
        "unmanaged": unmanaged,
    }
    after = {**before, "reloads": None, "config_digests": None}
    unknown = {"reloads": True, "config_digests": True}
    return change("lborg_commit.lb1", [action], before, after, after_unknown=unknown)


def test_a_reload_that_activates_changes_made_outside_terraform_is_a_risk() -> None:
    commit = _depends_on_commit(["VIP 'TEST-80'", "real server 'MGMT_HTTPS-443/HAND'"])
    review = review_of(plan([commit]))
    assert [(risk.kind, risk.subject, risk.appliance) for risk in review.risks] == [
        (RiskKind.OUTSIDE, "VIP 'TEST-80'", "lb1"),
        (RiskKind.OUTSIDE, "real server 'MGMT_HTTPS-443/HAND'", "lb1"),
    ]
    text = render(review)
    assert "2 outside changes" in text
    assert (
        "- ⚠ outside change: `VIP 'TEST-80'` on lb1 (site-pair1-lb): "
        "reload will activate changes made outside Terraform"
    ) in text


def test_unmanaged_objects_without_a_reload_are_no_risk() -> None:
    before = _depends_on_commit(["VIP 'TEST-80'"])["change"]["before"]
    unchanged = change("lborg_commit.lb1", ["no-op"], before, before)
    assert review_of(plan([unchanged])).risks == ()


def test_depends_on_alone_reloads_the_services_the_planned_changes_write_to() -> None:
    vip_before, vip_after = l7_vip("MGMT_HTTPS-443"), l7_vip("MGMT_HTTPS-443", persist_time=40)
    vip = change("lborg_layer7_vip.mgmt", ["update"], vip_before, vip_after)
    review = review_of(plan([vip, _depends_on_commit([])]))
    assert [(item.services, item.repairs) for item in review.reloads] == [(("haproxy",), ())]


def test_the_on_destroy_commit_reloads_only_when_destroyed() -> None:
    state: dict[str, Any] = {
        "id": "commit",
        "triggers": None,
        "on_destroy": True,
        "reloads": [],
        "config_digests": {},
    }
    created = change("lborg_commit.lb1_on_destroy", ["create"], None, state)
    assert review_of(plan([created])).reload_count == 0
    destroyed = change("lborg_commit.lb1_on_destroy", ["delete"], state, None)
    assert [item.services for item in review_of(plan([destroyed])).reloads] == [
        ("haproxy", "ldirectord", "heartbeat")
    ]


def test_a_capacity_change_is_flagged_in_place_with_what_it_does_to_sessions() -> None:
    # A site deployed with the appliance's defaults, planned after its limits follow subscribers.
    document = plan(
        [
            change(
                "lborg_layer7_vip.mgmt_https_443",
                ["update"],
                l7_vip("MGMT_HTTPS-443"),
                l7_vip("MGMT_HTTPS-443", maxconn=380000, persist_table_size=380000),
            ),
            change(
                "lborg_layer7_vip.mgmt_imap_143",
                ["update"],
                l7_vip("MGMT_IMAP-143", persistence="none", persist_time=30, persist_table_size=20000),
                l7_vip(
                    "MGMT_IMAP-143",
                    persistence="none",
                    persist_time=30,
                    persist_table_size=10240,
                    maxconn=20000,
                ),
            ),
        ]
    )
    review = review_of(document)
    text = render(review)
    assert [risk.kind for risk in review.risks] == [RiskKind.CAPACITY, RiskKind.CAPACITY]
    assert "**Risk:** ⚠ 2 capacity changes" in text
    grown = next(risk.reason for risk in review.risks if risk.subject == "MGMT_HTTPS-443")
    assert grown.startswith(
        "max connections 40000 → 380000, persistence table size 10240 → 380000: "
        "updated in place, in effect from the HAProxy reload; established sessions are kept; "
        "sticky clients keep their server "
        "where the appliance hands the table to the new process"
    )
    assert "evicts" not in grown
    shrunk = next(risk.reason for risk in review.risks if risk.subject == "MGMT_IMAP-143")
    assert "beyond 20000 connections at once, new ones wait until one ends" in shrunk
    assert "the persistence table is unused (no persistence on this VIP)" in shrunk


def test_a_smaller_persistence_table_says_it_evicts_the_oldest_clients() -> None:
    document = plan(
        [
            change(
                "lborg_layer7_vip.mgmt_https_443",
                ["update"],
                l7_vip("MGMT_HTTPS-443", persist_table_size=380000),
                l7_vip("MGMT_HTTPS-443", persist_table_size=10240),
            )
        ]
    )
    (risk,) = review_of(document).risks
    assert risk.kind is RiskKind.CAPACITY
    assert (
        "the smaller table holds fewer clients: when it is full HAProxy evicts the oldest entries"
        in risk.reason
    )


def test_a_new_vip_with_its_limits_is_no_capacity_change() -> None:
    document = plan([change("lborg_layer7_vip.mgmt_https_443", ["create"], None, l7_vip("MGMT_HTTPS-443"))])
    assert [risk.kind for risk in review_of(document).risks] == []
