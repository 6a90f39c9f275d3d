"""Drift of every kind made by raw API calls: the plan shows each managed one (and names the
unmanaged VIP a reload would make live), one apply repairs them, and the next plan is empty.

Kinds: a VIP deleted (with its real servers), a real server deleted, a VIP's persistence, ports,
health check, persistent flag and scheduler changed, a Layer 7 and a Layer 4 real server's weight
changed, and a VIP added by hand. `plan -refresh-only
-detailed-exitcode` exits 0 before the drift, 2 with it, and 0 after the repair.
"""

from __future__ import annotations

import pytest

from lborg_provider.model.config_view import find_virtual
from tests.reliability.rel_checks import convergence_problems
from tests.reliability.rel_harness import Deployment
from tests.support.terraform import dumpconfig

pytestmark = [pytest.mark.reliability, pytest.mark.slow]

L7 = "lborg_layer7_vip.vip"
L4 = "lborg_layer4_vip.vip"
R7 = "lborg_layer7_real_server.rip"
R4 = "lborg_layer4_real_server.rip"


def _refresh_only(d: Deployment) -> int:
    args = ("plan", "-refresh-only", "-detailed-exitcode", "-input=false", "-no-color")
    return d.tf.run(*args, ok=(0, 1, 2)).returncode


def test_drift_of_every_kind_is_planned_and_repaired(deployment: Deployment) -> None:
    d = deployment
    assert not d.converge(1)
    # Every problem is collected and reported at the end, so one miss does not hide the others.
    problems: list[str] = []
    if _refresh_only(d) != 0:
        problems.append("refresh-only plan exits 2 (drift) right after an apply")

    handmade = {
        "action": "add-vip",
        "layer": "7",
        "vip": "HANDMADE_1",
        "ip": f"{d.site.subnet}.200",
        "ports": "20500",
        "mode": "tcp",
    }
    d.sim.call_ok(
        [
            {"action": "delete-vip", "vip": "REL7_01"},
            {"action": "delete-rip", "vip": "REL4_13", "rip": "EAS_2"},
            {"action": "edit-vip", "vip": "REL7_02", "persistence": "none"},
            {"action": "edit-vip", "vip": "REL4_14", "ports": "20999"},
            {"action": "edit-vip", "vip": "REL7_03", "check_type": "negotiate_http"},
            {"action": "edit-vip", "vip": "REL4_15", "check_type": "ping"},
            {"action": "edit-vip", "vip": "REL4_16", "persistent": "off"},
            {"action": "edit-vip", "vip": "REL7_05", "scheduler": "leastconn"},
            {"action": "edit-rip", "vip": "REL7_04", "rip": "EAS_1", "weight": "50"},
            {"action": "edit-rip", "vip": "REL4_17", "rip": "EAS_1", "weight": "10"},
            handmade,
        ]
    )
    before = find_virtual(dumpconfig(d.sim), "7", "HANDMADE_1")
    if _refresh_only(d) != 2:
        problems.append("refresh-only plan does not report the drift")

    planned = d.tf.run("plan", "-input=false", "-no-color", "-out=drift.tfplan")
    changes = d.tf.planned_changes_from("drift.tfplan")
    expected = {
        f'{L7}["REL7_01"]': ["create"],
        **{f'{R7}["REL7_01/EAS_{n}"]': ["create"] for n in (1, 2, 3)},
        f'{R4}["REL4_13/EAS_2"]': ["create"],
        f'{L7}["REL7_02"]': ["update"],
        f'{L4}["REL4_14"]': ["update"],
        f'{L7}["REL7_03"]': ["update"],
        f'{L4}["REL4_15"]': ["update"],
        f'{L4}["REL4_16"]': ["update"],
        f'{L7}["REL7_05"]': ["update"],
        f'{R7}["REL7_04/EAS_1"]': ["update"],
        f'{R4}["REL4_17/EAS_1"]': ["update"],
        "lborg_commit.this": ["update"],
    }
    missed = sorted(address for address in expected if address not in changes)
    if missed:
        problems.append(f"drift not planned: {missed}")
    recreated = {a: changes[a] for a, actions in expected.items() if actions == ["create"] and a in changes}
    if any(actions != ["create"] for actions in recreated.values()):
        problems.append(f"deleted objects not planned as creates: {recreated}")
    unexpected = sorted(set(changes) - set(expected))
    if unexpected:
        problems.append(f"changes nobody asked for: {unexpected}")
    shown = planned.stdout + planned.stderr
    if "HANDMADE_1" not in shown:
        problems.append("the plan does not name HANDMADE_1, the VIP made by hand that a reload makes live")

    d.tf.run("apply", "-input=false", "-no-color", "drift.tfplan")
    problems += convergence_problems(d.tf, [d.sim], d.site)
    if find_virtual(dumpconfig(d.sim), "7", "HANDMADE_1") != before:
        problems.append("the VIP made by hand was changed or removed")
    if _refresh_only(d) != 0:
        problems.append("refresh-only plan exits 2 (drift) after the repair")
    assert not problems, f"planned: {changes}\n" + "\n".join(problems)
