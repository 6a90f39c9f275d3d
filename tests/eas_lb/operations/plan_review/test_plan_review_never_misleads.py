"""Plan review never misleads: a hand edit is said to go live only by a plan that reloads its
service; EAS servers added are listed, and an added address no other pool uses is flagged; a
Layer 4 removal counts as interrupting in the headline. On hand-written plans in Terraform's
documented format; the removal risks are in test_plan_review_maintenance.py.
"""

from __future__ import annotations

from typing import Any

from eas_lb.operations.plan_review.render import render
from eas_lb.operations.plan_review.review import Review, build_review
from eas_lb.operations.plan_review.risks import RiskKind
from eas_lb.operations.plans.changes import stack_plan
from eas_lb.operations.plans.plan_json import parse_plan
from lborg_provider.runtime.plan_ledger import ObjectKey
from lborg_provider.runtime.reload_plan import unset_edit
from tests.support.plan_builders import change, l7_rip, l7_vip, plan

#: What the provider keeps in `unmanaged` once a hand edit of an attribute the code leaves unset
#: was made live by a reload: it stays there until the configuration next writes to that service.
HAND_EDIT = unset_edit(ObjectKey("vip", "7", "MGMT_HTTP-18080"), "persistence", "none", "ip")


def review_of(document: dict[str, Any]) -> Review:
    return build_review([stack_plan("site-pair1-lb", parse_plan(document, source="test"))])


def _commit(before: dict[str, str], after: dict[str, str]) -> dict[str, Any]:
    """The appliance's commit as the provider plans it: triggers per service, digests unknown."""
    state = {"id": "commit", "on_destroy": None, "reloads": ["haproxy"], "unmanaged": [HAND_EDIT]}
    planned = {**state, "triggers": after, "reloads": None, "config_digests": None}
    return change(
        "lborg_commit.lb1",
        ["update"],
        {
            **state,
            "triggers": before,
            "config_digests": {"haproxy": "h", "ldirectord": "l", "heartbeat": "b"},
        },
        planned,
        after_unknown={"reloads": True, "config_digests": True},
    )


def test_a_live_hand_edit_is_no_warning_in_a_plan_that_does_not_reload_its_service() -> None:
    assert HAND_EDIT.endswith("so the haproxy reload makes it live")
    only_layer4 = review_of(
        plan([_commit({"haproxy": "a", "ldirectord": "b"}, {"haproxy": "a", "ldirectord": "c"})])
    )
    assert [item.services for item in only_layer4.reloads] == [("ldirectord",)]
    assert only_layer4.risks == ()
    assert "haproxy reload makes it live" not in render(only_layer4)
    layer7 = review_of(
        plan([_commit({"haproxy": "a", "ldirectord": "b"}, {"haproxy": "x", "ldirectord": "b"})])
    )
    assert [(risk.kind, risk.subject) for risk in layer7.risks] == [(RiskKind.OUTSIDE, HAND_EDIT)]


def _server(vip: str, ip: str, action: str) -> dict[str, Any]:
    values = {"state": "online", "drain_seconds": 300, **l7_rip(vip, f"EAS_SSS-{ip}", ip)}
    before, after = (None, values) if action == "create" else (values, values)
    name = f"{vip}_{ip}".lower().replace(".", "_").replace("-", "_")
    return change(f"lborg_layer7_real_server.{name}", [action], before, after)


def test_the_eas_servers_summary_lists_additions_and_flags_an_address_no_other_pool_uses() -> None:
    document = plan(
        [
            change(f"lborg_layer7_vip.{name}", ["no-op"], l7_vip(name), l7_vip(name))
            for name in ("MGMT_HTTPS-443", "MGMT_IMAP-143", "MGMT_HTTP-80")
        ]
        + [
            _server("MGMT_HTTPS-443", "10.225.37.61", "no-op"),
            _server("MGMT_IMAP-143", "10.225.37.61", "no-op"),
            _server("MGMT_HTTP-80", "10.225.37.61", "create"),  # a known server, one more pool
            _server("MGMT_IMAP-143", "10.225.37.16", "create"),  # a typo of .61: no other pool has it
            _server("MGMT_HTTPS-443", "10.225.37.62", "create"),  # a new server, on two pools at once
            _server("MGMT_IMAP-143", "10.225.37.62", "create"),
        ]
    )
    text = render(review_of(document))
    summary = text.split("### EAS servers\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert summary == [
        "- EAS 10.225.37.16 added to MGMT_IMAP-143 ⚠ no other pool uses 10.225.37.16: check that it is "
        "not a typo of a real server's address",
        "- EAS 10.225.37.61 added to MGMT_HTTP-80",
        "- EAS 10.225.37.62 added to MGMT_HTTPS-443, MGMT_IMAP-143",
    ]
