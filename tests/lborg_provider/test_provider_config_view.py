"""Lookups in a shared `list dumpconfig` payload: indexed per payload, never stale."""

from __future__ import annotations

from typing import Any

from lborg_provider.model.config_view import find_real, find_virtual


def _payload(labels: list[str]) -> dict[str, Any]:
    return {"haproxy": {"virtual": [{"label": label, "real": {"label": "RS-1"}} for label in labels]}}


def test_a_new_payload_is_never_answered_from_the_previous_ones_index() -> None:
    first = _payload(["A", "B"])
    assert find_virtual(first, "7", "B") == {"label": "B", "real": {"label": "RS-1"}}
    second = _payload(["A"])
    assert find_virtual(second, "7", "B") is None
    assert find_virtual(first, "7", "B") is not None
    assert find_real(find_virtual(second, "7", "A") or {}, "RS-1") == {"label": "RS-1"}


def test_one_child_as_an_object_empty_sections_and_duplicate_labels() -> None:
    assert find_virtual({"haproxy": {"virtual": {"label": "ONE"}}}, "7", "ONE") == {"label": "ONE"}
    assert find_virtual({"haproxy": {"virtual": ""}}, "7", "ONE") is None
    assert find_virtual({}, "4", "ONE") is None
    twice = {"ldirectord": {"virtual": [{"label": "X", "n": 1}, {"label": "X", "n": 2}]}}
    assert find_virtual(twice, "4", "X") == {"label": "X", "n": 1}
