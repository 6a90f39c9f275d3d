"""Destroy plans: the servicer answers Terraform's delete plans with a null state and the resource's
private data, and a real server's delete skips its drain only when the plan it carries deleted its
VIP too. The whole path with real terraform is in test_provider_drain_removal.py."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from tf.gen import tfplugin_pb2 as pb
from tf.utils import read_dynamic_value, to_dynamic_value

from lborg_provider.provider import LborgProviderPlugin
from lborg_provider.runtime import destroy_plans
from lborg_provider.runtime.connection import ApplianceConnection
from lborg_provider.runtime.destroy_plans import DestroyPlans
from lborg_provider.runtime.plugin_protocol import is_null, servicer_class
from lborg_provider.runtime.settings import ApplianceSettings

ENDPOINT = "https://127.0.0.1:9443/api/v2/"


def _plugin(journal: Path, monkeypatch: pytest.MonkeyPatch) -> LborgProviderPlugin:
    """A provider configured for an appliance it never calls (planning a delete reads nothing)."""
    monkeypatch.setenv("LBORG_JOURNAL_DIR", str(journal))
    plugin = LborgProviderPlugin()
    settings = ApplianceSettings(ENDPOINT, "u", "p", "k", None, True, "lb1", 5.0)
    plugin.data.configured(ApplianceConnection(settings))
    return plugin


def _plan_destroy(servicer: Any, type_name: str, prior: dict[str, Any]) -> Any:
    return servicer.PlanResourceChange(
        pb.PlanResourceChange.Request(
            type_name=type_name,
            prior_state=to_dynamic_value(prior),
            proposed_new_state=to_dynamic_value(None),
            config=to_dynamic_value(None),
        ),
        None,
    )


REAL = {"id": "WEB/EAS-A", "vip": "WEB", "label": "EAS-A", "ip": "127.0.0.21", "port": 80}


def test_the_schema_announces_destroy_plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    servicer = servicer_class()(_plugin(tmp_path, monkeypatch))
    response = servicer.GetProviderSchema(pb.GetProviderSchema.Request(), None)
    assert response.server_capabilities.plan_destroy
    assert "lborg_layer7_real_server" in response.resource_schemas


def test_a_plan_that_deletes_the_vip_too_spares_its_servers_the_drain(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plugin = _plugin(tmp_path, monkeypatch)
    endpoint = plugin.data.connection().client.endpoint
    planner = servicer_class()(plugin)
    # Terraform plans the servers' deletes first, then the VIP's.
    kept = _plan_destroy(planner, "lborg_layer7_real_server", {**REAL, "vip": "API", "id": "API/EAS-A"})
    gone = _plan_destroy(planner, "lborg_layer7_real_server", REAL)
    vip = _plan_destroy(planner, "lborg_layer7_vip", {"id": "WEB", "label": "WEB", "ip": "127.0.0.10"})
    for response in (kept, gone, vip):
        assert not response.diagnostics
        assert read_dynamic_value(response.planned_state) is None
    assert gone.planned_private and vip.planned_private == b""

    # The apply is another process: it knows only the file and each delete's private data.
    applier = DestroyPlans(endpoint, tmp_path)
    assert applier.deletes_vip(gone.planned_private, "7", "WEB")
    assert not applier.deletes_vip(kept.planned_private, "7", "API")  # its VIP stays: it drains
    assert not applier.deletes_vip(gone.planned_private, "4", "WEB")  # another layer's VIP
    assert not applier.deletes_vip(b"", "7", "WEB")  # a plan made without private data
    # Another plan (a drift check that deleted WEB but was never applied) vouches for nothing else.
    other = DestroyPlans(endpoint, tmp_path)
    other.vip_deleted("7", "API")
    assert not DestroyPlans(endpoint, tmp_path).deletes_vip(kept.planned_private, "7", "API")


def test_an_old_or_unwritable_record_means_a_drain(tmp_path: Path) -> None:
    planner = DestroyPlans(ENDPOINT, tmp_path)
    planner.vip_deleted("4", "SIP")
    assert DestroyPlans(ENDPOINT, tmp_path).deletes_vip(planner.private_data(), "4", "SIP")
    recorded = json.loads(planner.path.read_text())
    recorded[planner.token]["at"] = time.time() - destroy_plans.MAX_AGE_SECONDS - 60
    planner.path.write_text(json.dumps(recorded))
    assert not DestroyPlans(ENDPOINT, tmp_path).deletes_vip(planner.private_data(), "4", "SIP")

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    nowhere = DestroyPlans(ENDPOINT, blocked)
    nowhere.vip_deleted("4", "SIP")  # nothing recorded, and no error: its servers simply drain
    assert not DestroyPlans(ENDPOINT, blocked).deletes_vip(nowhere.private_data(), "4", "SIP")


def test_a_null_state_is_told_from_its_bytes_in_either_encoding() -> None:
    """A plan goes to `tf` undecoded unless it is a destroy; Terraform sends MessagePack, and the
    protocol allows JSON."""
    assert is_null(pb.DynamicValue(msgpack=b"\xc0"))  # what Terraform sends for null
    assert is_null(to_dynamic_value(None))  # what `tf` writes: nothing
    assert is_null(pb.DynamicValue(json=b"null")) and is_null(pb.DynamicValue())
    assert not is_null(to_dynamic_value(REAL))
    assert not is_null(pb.DynamicValue(json=json.dumps(REAL).encode()))
    assert not is_null(to_dynamic_value({}))
