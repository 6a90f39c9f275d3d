"""`lborg_commit`'s `unmanaged` for the heartbeat section, decided on configurations written by hand.

The heartbeat section holds the pairing (`ucast_ip`, the `lborg_ha_pair` resource), the UDP port
(no resource) and one `vip` per floating IP (the service gateway's is a resource; a VIP's own
address the appliance brings up itself). A floating IP added by hand is named on its own, once,
not as an edit of the whole section; a changed UDP port is an edit no managed attribute covers.
The pairing is `lborg_ha_pair`'s: a commit that recorded the section before the pairing (or, as
commits did before, with it) sees no edit and plans no reload for it.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from lborg_provider.runtime.drains import DrainSchedule
from lborg_provider.runtime.plan_ledger import PlanLedger, fip_key, vip_key
from lborg_provider.runtime.reload_plan import (
    outside_edit,
    service_digests,
    services_to_reload,
    unmanaged_now,
)

SERVICES = ["haproxy", "heartbeat"]
DEPLOYED: dict[str, Any] = {
    "heartbeat": {"udpport": "6694", "ucast_ip": {"master": "127.0.0.1", "slave": "127.0.0.2"}},
    "haproxy": {"virtual": [{"label": "MGMT_HTTP", "server": "127.0.30.1", "ports": "80", "real": []}]},
}


class Appliance:
    """What `unmanaged_now` reads: the configuration, the plan ledger, drains left by an apply."""

    def __init__(self, config: dict[str, Any], journal: Path) -> None:
        self._config = config
        self.ledger = PlanLedger()
        self.ledger.read(vip_key("7", "MGMT_HTTP"), changed=False)  # a refresh read the VIP
        self.written_services: set[str] = set()
        self.drains = DrainSchedule("https://127.0.0.1:9443", journal)

    def config(self) -> dict[str, Any]:
        return self._config


def _edited(**heartbeat: Any) -> dict[str, Any]:
    config = copy.deepcopy(DEPLOYED)
    config["heartbeat"].update(heartbeat)
    return config


def _unmanaged(
    config: dict[str, Any], tmp_path: Path, *, deployed: dict[str, Any] = DEPLOYED, recorded: Any = None
) -> list[str]:
    digests = service_digests(deployed) if recorded is None else recorded
    found = unmanaged_now(Appliance(config, tmp_path), SERVICES, digests, [])
    assert found is not None
    return found


def _unpaired() -> dict[str, Any]:
    config = copy.deepcopy(DEPLOYED)
    del config["heartbeat"]["ucast_ip"]
    return config


def test_a_clean_pair_has_nothing_unmanaged(tmp_path: Path) -> None:
    assert _unmanaged(copy.deepcopy(DEPLOYED), tmp_path) == []


def test_a_floating_ip_added_by_hand_is_named_once_not_as_a_heartbeat_edit(tmp_path: Path) -> None:
    assert _unmanaged(_edited(vip=["127.0.41.99"]), tmp_path) == ["floating IP 127.0.41.99"]


def test_a_floating_ip_added_beside_a_managed_one_is_named_alone(tmp_path: Path) -> None:
    deployed = _edited(vip=["127.0.41.10"])
    appliance = Appliance(_edited(vip=["127.0.41.10", "127.0.41.99"]), tmp_path)
    appliance.ledger.read(fip_key("127.0.41.10"), changed=False)  # the service gateway's resource
    found = unmanaged_now(appliance, SERVICES, service_digests(deployed), [])
    assert found == ["floating IP 127.0.41.99"]


def test_a_vip_address_among_the_floating_ips_is_the_appliance_s_own(tmp_path: Path) -> None:
    """A VIP brings its own address up as a floating IP (docs/appliance-api.md)."""
    deployed = _edited(vip=["127.0.30.1"])
    assert _unmanaged(copy.deepcopy(deployed), tmp_path, deployed=deployed) == []


def test_a_changed_udp_port_is_an_edit_no_managed_attribute_covers(tmp_path: Path) -> None:
    assert _unmanaged(_edited(udpport="6695"), tmp_path) == [outside_edit("heartbeat")]


def test_a_changed_udp_port_and_a_floating_ip_are_both_named(tmp_path: Path) -> None:
    found = _unmanaged(_edited(udpport="6695", vip="127.0.41.99"), tmp_path)
    assert sorted(found) == sorted(["floating IP 127.0.41.99", outside_edit("heartbeat")])


def test_a_pairing_made_after_the_commit_recorded_the_section_is_no_edit(tmp_path: Path) -> None:
    """Terraform may pair the appliances after a commit recorded its digests: no entry, no reload."""
    recorded = service_digests(_unpaired())
    paired = copy.deepcopy(DEPLOYED)
    assert _unmanaged(paired, tmp_path, recorded=recorded) == []
    assert services_to_reload(Appliance(paired, tmp_path), recorded, SERVICES) == set()


def test_digests_a_commit_recorded_with_the_pairing_still_match(tmp_path: Path) -> None:
    """States written before the pairing was left out hold the whole section's digest."""
    whole = hashlib.sha256(
        json.dumps(DEPLOYED["heartbeat"], sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()[:32]
    recorded = {**service_digests(DEPLOYED), "heartbeat": whole}
    assert _unmanaged(copy.deepcopy(DEPLOYED), tmp_path, recorded=recorded) == []
    assert services_to_reload(Appliance(copy.deepcopy(DEPLOYED), tmp_path), recorded, SERVICES) == set()
    assert _unmanaged(_edited(udpport="6695"), tmp_path, recorded=recorded) == [outside_edit("heartbeat")]


def test_a_udp_port_changed_after_a_later_pairing_is_still_an_edit(tmp_path: Path) -> None:
    recorded = service_digests(_unpaired())
    assert _unmanaged(_edited(udpport="6695"), tmp_path, recorded=recorded) == [outside_edit("heartbeat")]
    found = _unmanaged(_edited(vip=["127.0.41.99"]), tmp_path, recorded=recorded)
    assert found == ["floating IP 127.0.41.99"]
