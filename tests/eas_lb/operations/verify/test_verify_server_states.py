"""verify's `server state` rows: every real server not online is a warning of its own, from the
appliance's configuration and the states its nodestatus reports."""

from __future__ import annotations

from typing import Any

from eas_lb.operations.verify.report import Outcome, Report
from eas_lb.operations.verify.server_states import report_server_states

CONFIG: dict[str, Any] = {
    "haproxy": {
        "virtual": [
            {
                "label": "MGMT_HTTP-80",
                "server": "10.225.37.227",
                "real": [
                    {"label": "EAS_SSS-1", "server": "10.225.37.231"},
                    {"label": "EAS_SSS-2", "server": "10.225.37.116"},
                ],
            }
        ]
    },
    "ldirectord": {
        "virtual": [
            {
                "label": "SERV_HTTP-80",
                "server": "192.168.85.150",
                "real": [{"label": "EAS_SSS-1", "server": "192.168.85.61"}],
            }
        ]
    },
}


def _status(**states: str) -> dict[str, Any]:
    keys = {
        "l7a": ("7", "MGMT_HTTP-80", "EAS_SSS-1"),
        "l7b": ("7", "MGMT_HTTP-80", "EAS_SSS-2"),
        "l4": ("4", "SERV_HTTP-80", "EAS_SSS-1"),
    }
    return {
        "state": "active",
        "real_servers": [
            {"layer": keys[name][0], "vip": keys[name][1], "rip": keys[name][2], "state": state}
            for name, state in states.items()
        ],
    }


def test_a_server_in_maintenance_and_one_drained_by_hand_are_warnings_and_the_run_still_passes() -> None:
    report = Report(site="s")
    report_server_states(
        "lb1", CONFIG, _status(l7a="drain", l7b="online", l4="halt"), report, {"10.225.37.231": "drain"}
    )
    assert [(row.subject, row.address, row.outcome) for row in report.rows] == [
        ("MGMT_HTTP-80", "10.225.37.231", Outcome.WARN),
        ("SERV_HTTP-80", "192.168.85.61", Outcome.WARN),
    ]
    assert (
        report.rows[0].detail
        == "EAS 10.225.37.231 (EAS_SSS-1) is draining on lb1: in maintenance in the site file"
    )
    assert "set outside the site file" in report.rows[1].detail
    assert report.passed
    assert (
        report.verdict()
        == "no check failed, 2 warnings: 0 of 2 checks passed (0 failed, 2 warned, 0 skipped)"
    )


def test_an_appliance_that_reports_no_states_is_a_skip_and_an_unreadable_report_a_failure() -> None:
    silent = Report(site="s")
    report_server_states("lb1", CONFIG, {"state": "active"}, silent, {})
    assert [(row.outcome, row.detail) for row in silent.rows] == [
        (Outcome.SKIP, "lb1 does not report real-server states")
    ]
    broken = Report(site="s")
    report_server_states(
        "lb1",
        CONFIG,
        {"real_servers": [{"layer": "7", "vip": "X", "rip": "Y", "state": "paused"}]},
        broken,
        {},
    )
    assert broken.rows[0].outcome is Outcome.FAIL and "paused" in broken.rows[0].detail


def test_a_named_server_is_spoken_of_by_its_name_and_addresses_on_both_layers() -> None:
    report = Report(site="s")
    title = "eas-3 (10.225.37.231, 192.168.85.61)"
    report_server_states(
        "lb1",
        CONFIG,
        _status(l7a="drain", l7b="online", l4="drain"),
        report,
        {"10.225.37.231": "drain", "192.168.85.61": "drain"},
        {"10.225.37.231": title, "192.168.85.61": title},
    )
    assert [row.detail for row in report.rows] == [
        f"EAS {title}: 10.225.37.231 (EAS_SSS-1) is draining on lb1: in maintenance in the site file",
        f"EAS {title}: 192.168.85.61 (EAS_SSS-1) is draining on lb1: in maintenance in the site file",
    ]
