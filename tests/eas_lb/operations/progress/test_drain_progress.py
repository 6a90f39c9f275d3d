"""What a deploy and `servers --wait-drained` say while real servers drain (in process, no network).

The drains a plan starts, said before the apply with their time and end; the provider's drain
records read while Terraform runs, each EAS server said once with its VIPs, then the time left; the
countdown as a line per minute in a log and as a live line on a terminal.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from eas_lb.operations.appliances.live_servers import LiveServer
from eas_lb.operations.commands.drain_progress import DeployDrains, server_of
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, AttributeChange, PlannedResourceChange
from eas_lb.operations.plans.drain_notices import drain_notices, planned_drains
from eas_lb.operations.servers.command import _drain_notices
from eas_lb.operations.servers.drained import DrainWatch
from lborg_provider.client.endpoint import normalize_endpoint
from lborg_provider.runtime.create_journal import ENV_DIR
from lborg_provider.runtime.drains import DrainSchedule
from lborg_support.countdown import Countdown, clock_time, duration

LB1 = PlannedAppliance("lb1", "https://127.0.0.1:9443", "lborg.lb1")
L7, L4 = "lborg_layer7_real_server", "lborg_layer4_real_server"


def change(kind: str, action: Action, before: dict[str, Any], after: dict[str, Any]) -> PlannedResourceChange:
    attributes = tuple(
        AttributeChange(name, before.get(name), after.get(name))
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    )
    address = f"{kind}.{before.get('vip') or after.get('vip')}_{before.get('ip') or after.get('ip')}"
    return PlannedResourceChange("s", address, kind, LB1, action, before, after, attributes, ())


def real(vip: str, ip: str, **more: Any) -> dict[str, Any]:
    return {"vip": vip, "ip": ip, "label": f"EAS_SSS-{ip}", **more}


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_plan_says_who_drains_where_for_how_long_removed_or_in_maintenance() -> None:
    changes = [
        change(L7, Action.DELETE, real("MGMT_A", "10.0.0.5", drain_seconds=300), {}),
        change(L4, Action.DELETE, real("SERV_B", "10.0.0.5", drain_seconds=300), {}),
        change(L4, Action.DELETE, real("SERV_B", "10.0.0.9", state="halt"), {}),  # nothing to drain
        change(
            L7,
            Action.UPDATE,
            real("MGMT_A", "10.0.0.7", state="online", drain_seconds=120),
            real("MGMT_A", "10.0.0.7", state="drain", drain_seconds=120),
        ),
        change(
            L7,
            Action.UPDATE,
            real("MGMT_C", "10.0.0.8", state="drain"),
            real("MGMT_C", "10.0.0.8", state="online"),
        ),
    ]
    notices = drain_notices(changes)
    start = 1_800_000_000.0
    said = [notice.sentence(start) for notice in notices]
    assert said == [
        f"EAS 10.0.0.5 leaves 2 VIPs (MGMT_A, SERV_B) on lb1 after a 300 s drain, until about "
        f"{clock_time(start + 300)}: the deploy waits for it, then reloads",
        f"EAS 10.0.0.7 drains on 1 VIP (MGMT_A) on lb1 for 120 s, until about {clock_time(start + 120)}: "
        "wait for it with `eas-lb servers --wait-drained` before the upgrade",
    ]


def test_a_server_whose_vip_goes_too_is_not_said_to_drain() -> None:
    changes = [
        change("lborg_layer7_vip", Action.DELETE, {"label": "MGMT_A"}, {}),
        change(L7, Action.DELETE, real("MGMT_A", "10.0.0.5"), {}),
    ]
    assert drain_notices(changes) == []


def test_a_log_gets_a_line_when_the_wait_starts_and_then_one_a_minute() -> None:
    clock, out = Clock(), io.StringIO()
    with Countdown(out, terminal=False, clock=clock) as countdown:
        countdown.set("waiting for the drain of EAS 10.0.0.5", clock.now + 300)
        countdown.tick()
        clock.now += 59
        countdown.tick()
        clock.now += 1
        countdown.tick()
    lines = out.getvalue().splitlines()
    assert lines == [
        f"==> waiting for the drain of EAS 10.0.0.5: 5 min 0 s left, until {clock_time(clock.now + 240)}",
        f"==> waiting for the drain of EAS 10.0.0.5: 4 min 0 s left, until {clock_time(clock.now + 240)}",
    ]
    assert duration(0.2) == "1 s" and duration(0) == "0 s" and duration(61) == "1 min 1 s"


def test_a_terminal_gets_a_live_line_and_relayed_lines_above_it() -> None:
    out, clock = io.StringIO(), Clock()
    with Countdown(out, terminal=True, clock=clock) as countdown:
        countdown.set("waiting for the drain of EAS 10.0.0.5", clock.now + 90)
        countdown.say("lborg_commit.lb1: Still modifying... [10s elapsed]")
        time.sleep(0.7)  # rich redraws the line twice a second
    text = out.getvalue()
    assert "lborg_commit.lb1: Still modifying... [10s elapsed]" in text
    until = clock_time(clock.now + 90)
    assert f"waiting for the drain of EAS 10.0.0.5: 1 min 30 s left, until {until}" in text
    assert "\x1b[" in text  # drawn in place, not printed line by line


def test_the_deploy_says_each_drain_the_provider_records_once_then_counts_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DIR, str(tmp_path))
    endpoint = "https://127.0.0.1:9443"
    schedule = DrainSchedule(normalize_endpoint(endpoint), tmp_path)
    out, clock = io.StringIO(), Clock(time.time() - 10)
    countdown = Countdown(out, terminal=False, clock=clock)
    drains = DeployDrains({"lb1": endpoint}, countdown, clock=clock)
    drains.tick()
    assert out.getvalue() == ""  # nothing drains: nothing said
    schedule.started("7", "MGMT_A", "EAS_SSS-10.0.0.5", 300)
    clock.now = schedule.started("4", "SERV_B", "EAS_SSS-10.0.0.5", 300).until - 300
    drains.tick()
    clock.now += 1
    drains.tick()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert lines[0].startswith("==> EAS 10.0.0.5 drains on 2 VIPs (MGMT_A, SERV_B) on lb1 for 5 min 0 s")
    assert "the deploy waits for it, then reloads" in lines[0]
    assert lines[1].startswith("==> waiting for the drain of EAS 10.0.0.5 before the reload: 5 min 0 s left")
    schedule.reloaded(["haproxy", "ldirectord"])
    clock.now += 1
    drains.tick()
    assert countdown.what is None
    assert server_of("EAS_SSS-1") == "real server EAS_SSS-1"


def test_wait_drained_says_which_server_drains_where_and_until_when_at_the_latest() -> None:
    watch = DrainWatch(lambda label: 300 if label.startswith("MGMT") else 60, {})
    servers = [
        LiveServer("lb1", "7", "MGMT_A", "EAS_SSS-10.0.0.5", "10.0.0.5", "drain", None),
        LiveServer("lb1", "7", "MGMT_B", "EAS_SSS-10.0.0.5", "10.0.0.5", "drain", None),
        LiveServer("lb1", "4", "SERV_C", "EAS_SSS-10.0.0.6", "10.0.0.6", "drain", None),
        LiveServer("lb1", "4", "SERV_C", "EAS_SSS-10.0.0.7", "10.0.0.7", "online", None),
    ]
    now = 1_800_000_000.0
    assert _drain_notices(servers, watch, now) == [
        f"EAS 10.0.0.5 drains on 2 VIPs (MGMT_A, MGMT_B) on lb1 for 300 s, until {clock_time(now + 300)} at "
        "the latest (counted from now: the appliance does not say when a drain began)",
        f"EAS 10.0.0.6 drains on 1 VIP (SERV_C) on lb1 for 60 s, until {clock_time(now + 60)} at the latest "
        "(counted from now: the appliance does not say when a drain began)",
    ]


def _state_resource(kind: str, name: str, attributes: dict[str, Any]) -> dict[str, Any]:
    provider = 'provider["registry.terraform.io/local/lborg"].lb1'
    instances = [{"attributes": attributes}]
    return {"mode": "managed", "type": kind, "name": name, "provider": provider, "instances": instances}


def test_a_plain_deploy_says_the_drains_from_the_state_and_the_synthesized_stack() -> None:
    """Before `cdktf deploy` plans: a server removed (its VIP stays), one put in maintenance, one
    whose VIP goes too (no drain), one already drained (nothing new)."""
    state = {
        "resources": [
            _state_resource("lborg_layer7_vip", "a", {"label": "MGMT_A"}),
            _state_resource("lborg_layer7_vip", "gone", {"label": "MGMT_GONE"}),
            _state_resource(L7, "r1", real("MGMT_A", "10.0.0.5", state="online", drain_seconds=8)),
            _state_resource(L7, "r2", real("MGMT_A", "10.0.0.6", state="online", drain_seconds=8)),
            _state_resource(L7, "r3", real("MGMT_GONE", "10.0.0.6", state="online", drain_seconds=8)),
            _state_resource(L4, "r4", real("SERV_B", "10.0.0.7", state="drain", drain_seconds=8)),
        ]
    }
    config = {
        "resource": {
            "lborg_layer7_vip": {"a": {"label": "MGMT_A", "provider": "lborg.lb1"}},
            "lborg_layer4_vip": {"b": {"label": "SERV_B", "provider": "lborg.lb1"}},
            L7: {"r2": real("MGMT_A", "10.0.0.6", state="drain", drain_seconds=8, provider="lborg.lb1")},
            L4: {"r4": real("SERV_B", "10.0.0.7", state="drain", drain_seconds=8, provider="lborg.lb1")},
        }
    }
    notices = planned_drains("s", state, config)
    assert [(n.address, n.appliance, n.vips, n.seconds, n.removal) for n in notices] == [
        ("10.0.0.5", "lb1", ("MGMT_A",), 8, True),
        ("10.0.0.6", "lb1", ("MGMT_A",), 8, False),
    ]
