"""Real-server states and drains without a network: what a `nodestatus` payload reports, what a
read records, and the drain schedule a commit waits on (its file survives the provider process)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lborg_provider.model.server_states import (
    DEFAULT_DRAIN_SECONDS,
    UnreadableStates,
    reported_states,
    state_to_record,
)
from lborg_provider.runtime.drains import DrainInterrupted, DrainSchedule, drain_seconds


def test_states_are_read_from_the_real_servers_list_and_nothing_else() -> None:
    status = {
        "role": "master",
        "real_servers": [
            {"layer": "7", "vip": "MGMT_A", "rip": "EAS-1", "state": "drain"},
            {"layer": 4, "vip": "SERV_B", "rip": "EAS-1", "state": "online"},
        ],
    }
    assert reported_states(status) == {("7", "MGMT_A", "EAS-1"): "drain", ("4", "SERV_B", "EAS-1"): "online"}
    # One item as an object (XML-to-JSON), and an empty list: read, not guessed.
    assert reported_states({"real_servers": {"layer": "4", "vip": "V", "rip": "R", "state": "halt"}}) == {
        ("4", "V", "R"): "halt"
    }
    assert reported_states({"real_servers": ""}) == {}
    # No list at all: the appliance reports no states (None), which is not "all online".
    assert reported_states({"role": "master", "vips": []}) is None


@pytest.mark.parametrize(
    "item",
    [
        {"layer": "7", "vip": "V", "rip": "R", "state": "maint"},
        {"layer": "5", "vip": "V", "rip": "R", "state": "drain"},
        {"layer": "7", "vip": "", "rip": "R", "state": "drain"},
        "V/R drain",
    ],
)
def test_a_list_that_cannot_be_read_is_an_error(item: object) -> None:
    with pytest.raises(UnreadableStates):
        reported_states({"real_servers": [item]})


def test_a_read_records_the_reported_state_and_keeps_unset_for_online() -> None:
    assert state_to_record(None, "online") is None
    assert state_to_record("online", "online") == "online"
    assert state_to_record(None, "drain") == "drain"
    assert state_to_record("drain", "online") == "online"  # drift: planned back to drain
    assert state_to_record("halt", None) == "halt"  # not reported: what was last written
    assert state_to_record(None, None) is None


def test_drain_seconds_default_and_zero() -> None:
    assert drain_seconds(None) == DEFAULT_DRAIN_SECONDS
    assert drain_seconds(0) == 0
    assert drain_seconds(2.5) == 2.5


def _config(*reals: str) -> dict[str, object]:
    return {"ldirectord": {"virtual": [{"label": "SERV_A", "real": [{"label": r} for r in reals]}]}}


def test_the_schedule_survives_the_process_and_waits_only_for_servers_the_reload_removes(
    tmp_path: Path,
) -> None:
    schedule = DrainSchedule("https://127.0.0.1:9443/api/v2/", tmp_path)
    schedule.started("4", "SERV_A", "EAS-2", 0.6)
    schedule.started("4", "SERV_GONE", "EAS-2", 60)  # its VIP is removed too: nothing to wait for
    # Another process (the next apply) sees what this one recorded.
    later = DrainSchedule("https://127.0.0.1:9443/api/v2/", tmp_path)
    assert [d.key for d in later.recorded(["ldirectord"])] == ["4:SERV_A/EAS-2", "4:SERV_GONE/EAS-2"]
    assert later.recorded(["haproxy"]) == []
    waiting = later.to_wait_for(_config("EAS-1"), ["ldirectord"])
    assert [d.key for d in waiting] == ["4:SERV_A/EAS-2"]
    assert later.to_wait_for(_config("EAS-1", "EAS-2"), ["ldirectord"]) == []  # back in the config
    started = time.monotonic()
    later.wait("lb1", waiting, lambda: False)
    assert 0.3 < time.monotonic() - started < 2
    later.reloaded(["ldirectord"])
    assert DrainSchedule("https://127.0.0.1:9443/api/v2/", tmp_path).recorded(["ldirectord"]) == []


def test_a_stop_ends_the_wait_and_keeps_the_drain_for_the_next_apply(tmp_path: Path) -> None:
    schedule = DrainSchedule("https://127.0.0.1:9443/api/v2/", tmp_path)
    drain = schedule.started("7", "MGMT_A", "EAS-2", 30)
    with pytest.raises(DrainInterrupted, match=r"'MGMT_A/EAS-2' \(30 s left\)"):
        schedule.wait("lb1", [drain], lambda: True)
    assert [
        d.key for d in DrainSchedule("https://127.0.0.1:9443/api/v2/", tmp_path).recorded(["haproxy"])
    ] == ["7:MGMT_A/EAS-2"]
