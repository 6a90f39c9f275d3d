"""Drift's word on the heartbeat section: a floating IP added by hand is the appliance reads'
finding alone (the commit's `unmanaged` names it too), and a heartbeat setting changed by hand
gets the WebUI page that sets it back, not a backup restore."""

from __future__ import annotations

from eas_lb.operations.drift.findings import Kind, StackContext, not_managed
from lborg_provider.runtime.reload_plan import outside_edit

CONTEXT = StackContext("site-pair1-lb", None, "eas-lb deploy --site site.yaml --stack site-pair1-lb")


def test_a_floating_ip_in_unmanaged_is_left_to_the_appliance_reads() -> None:
    assert not_managed(CONTEXT, "lb1", "floating IP 127.0.41.99") is None


def test_a_heartbeat_edit_names_the_webui_page_and_no_backup() -> None:
    finding = not_managed(CONTEXT, "lb1", outside_edit("heartbeat"))
    assert finding is not None
    assert (finding.kind, finding.service, finding.subject) == (
        Kind.NOT_MANAGED,
        "heartbeat",
        "appliance settings",
    )
    assert "Cluster Configuration > High-Availability Configuration" in finding.put_back
    assert "restore" not in finding.put_back and "backup" not in finding.put_back
