"""The review's "about N appliance actions": per planned change, the actions the provider sends.

tests/eas_lb/operations/plan_review/test_plan_review_site.py checks one count against what the
simulated appliance counted for the real apply."""

from __future__ import annotations

from typing import Any

from eas_lb.operations.plan_review.action_count import appliance_actions
from eas_lb.operations.plans.appliance_index import PlannedAppliance
from eas_lb.operations.plans.changes import Action, AttributeChange, PlannedResourceChange

LB1 = PlannedAppliance("lb1", "https://127.0.0.1:9443", "lborg.lb1")


def change(kind: str, action: Action, before: dict[str, Any], after: dict[str, Any]) -> PlannedResourceChange:
    names = sorted(set(before) | set(after))
    attributes = tuple(
        AttributeChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )
    return PlannedResourceChange("s", f"{kind}.x", kind, LB1, action, before, after, attributes, ())


def test_a_new_pool_is_an_add_and_an_edit_per_vip_and_an_add_per_real_server() -> None:
    vip = change("lborg_layer7_vip", Action.CREATE, {}, {"label": "MGMT_A"})
    reals = [change("lborg_layer7_real_server", Action.CREATE, {}, {"label": f"R{n}"}) for n in range(3)]
    assert appliance_actions((vip, *reals), reloads=1) == 2 + 3 + 1


def test_a_deleted_real_server_drains_first_unless_halted_or_set_to_zero() -> None:
    def deleted(**before: Any) -> PlannedResourceChange:
        return change("lborg_layer4_real_server", Action.DELETE, {"label": "R", **before}, {})

    assert appliance_actions((deleted(),), reloads=0) == 2
    assert appliance_actions((deleted(drain_seconds=0),), reloads=0) == 1
    assert appliance_actions((deleted(state="halt"),), reloads=0) == 1
    assert appliance_actions((change("lborg_layer4_vip", Action.DELETE, {"label": "V"}, {}),), reloads=0) == 1


def test_a_real_server_deleted_with_its_vip_is_not_drained() -> None:
    def deleted(kind: str, vip: str) -> PlannedResourceChange:
        return change(kind, Action.DELETE, {"label": "R", "vip": vip}, {})

    vip = change("lborg_layer4_vip", Action.DELETE, {"label": "V"}, {})
    assert appliance_actions((deleted("lborg_layer4_real_server", "V"), vip), reloads=0) == 1 + 1
    # Another VIP's server, or a Layer 7 VIP of the same label, still drains.
    assert appliance_actions((deleted("lborg_layer4_real_server", "W"), vip), reloads=0) == 2 + 1
    assert appliance_actions((deleted("lborg_layer7_real_server", "V"), vip), reloads=0) == 2 + 1
    # A replaced VIP is not a delete plan: its server's delete drains; so does a replaced server's.
    replaced = change("lborg_layer4_vip", Action.REPLACE, {"label": "V", "ip": "127.0.0.5"}, {"label": "V"})
    assert appliance_actions((deleted("lborg_layer4_real_server", "V"), replaced), reloads=0) == 2 + 3
    server = change("lborg_layer4_real_server", Action.REPLACE, {"label": "R", "vip": "V"}, {"label": "R"})
    assert appliance_actions((server, vip), reloads=0) == 2 + 1 + 1


def test_an_update_edits_once_and_a_state_change_is_one_action_more() -> None:
    weight = change("lborg_layer7_real_server", Action.UPDATE, {"weight": 100}, {"weight": 50})
    drain = change("lborg_layer7_real_server", Action.UPDATE, {"state": None}, {"state": "drain"})
    both = change("lborg_layer7_real_server", Action.UPDATE, {"weight": 1}, {"weight": 2, "state": "halt"})
    assert [appliance_actions((c,), reloads=0) for c in (weight, drain, both)] == [1, 1, 2]


def test_nothing_to_send_for_what_the_api_cannot_undo_or_a_no_op() -> None:
    changes = (
        change("lborg_ha_pair", Action.DELETE, {"peer_ip": "127.0.0.2"}, {}),
        change("lborg_hostname", Action.DELETE, {"hostname": "lb1"}, {}),
        change("lborg_layer7_vip", Action.NOOP, {"label": "V"}, {"label": "V"}),
        change("vsphere_virtual_machine", Action.CREATE, {}, {"name": "lb1"}),
    )
    assert appliance_actions(changes, reloads=0) == 0


def test_a_replaced_vip_is_deleted_then_added_and_edited() -> None:
    replaced = change("lborg_layer4_vip", Action.REPLACE, {"ip": "127.0.0.5"}, {"ip": "127.0.0.6"})
    assert appliance_actions((replaced,), reloads=1) == 1 + 2 + 1
