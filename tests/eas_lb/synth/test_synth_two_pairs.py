"""Scenario 1 on two HA pairs (guide 8.1), one pools.txt: each stack holds only its pair's part.

The Layer 4 pair (`serves: service`) gets the service VIPs, the service gateway, eth1 and eth2;
the Layer 7 pair (`serves: management`) gets the management VIPs on eth0 alone. Both VM stacks are
sized by the guide; only the service pair's VMs have service and external NICs.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.synth import EXAMPLES, resources, synth_site


@pytest.fixture(scope="module")
def stacks() -> dict[str, Any]:
    return synth_site(EXAMPLES / "site-scenario1-two-pairs.yaml")


def _labels(stack: dict[str, Any]) -> list[str]:
    return sorted(
        v["label"] for kind in ("lborg_layer7_vip", "lborg_layer4_vip") for v in resources(stack, kind)
    )


def test_a_stack_per_pair_each_with_only_its_own_vips(stacks: dict[str, Any]) -> None:
    assert sorted(stacks) == [
        "scenario1x2-management-lb",
        "scenario1x2-management-vms",
        "scenario1x2-service-lb",
        "scenario1x2-service-vms",
    ]
    service, management = stacks["scenario1x2-service-lb"], stacks["scenario1x2-management-lb"]
    assert _labels(service) == ["SERV_HTTP-80", "SERV_HTTPS-10000", "SERV_HTTPS-443", "SERV_IMAP-143"]
    assert _labels(management) == [
        "MGMT_HTTP-80",
        "MGMT_HTTPS-10000",
        "MGMT_HTTPS-443",
        "MGMT_IMAP-143",
        "MGMT_MVWEBPROV-8087",
    ]
    assert {v["provider"] for v in resources(service, "lborg_layer4_vip")} == {"lborg.lb1"}
    assert {v["provider"] for v in resources(management, "lborg_layer7_vip")} == {"lborg.lb3"}


def test_the_service_network_belongs_to_the_service_pair(stacks: dict[str, Any]) -> None:
    service, management = stacks["scenario1x2-service-lb"], stacks["scenario1x2-management-lb"]
    assert [f["ip"] for f in resources(service, "lborg_floating_ip")] == ["192.168.85.10"]
    assert resources(management, "lborg_floating_ip") == []
    assert sorted((a["provider"], a["interface"]) for a in resources(service, "lborg_interface_address")) == [
        ("lborg.lb1", "eth1"),
        ("lborg.lb1", "eth2"),
        ("lborg.lb2", "eth1"),
        ("lborg.lb2", "eth2"),
    ]
    assert resources(management, "lborg_interface_address") == []
    assert service["output"]["floating_ips"]["value"] == ["192.168.85.10", "192.168.85.150"]
    assert management["output"]["floating_ips"]["value"] == [
        "10.225.37.223",
        "10.225.37.224",
        "10.225.37.227",
    ]


def test_each_pair_checks_the_global_settings_of_its_own_layer(stacks: dict[str, Any]) -> None:
    def conditions(stack: dict[str, Any]) -> str:
        (settings,) = stack["data"]["lborg_global_settings"].values()
        return " ".join(c["condition"] for c in settings["lifecycle"]["postcondition"])

    service, management = (
        conditions(stacks["scenario1x2-service-lb"]),
        conditions(stacks["scenario1x2-management-lb"]),
    )
    assert "l4_check_interval" in service and "l7_interval" not in service
    assert "l7_interval" in management and "l4_" not in management


def test_both_pairs_vms_are_sized_and_only_the_service_pair_has_service_and_external_nics(
    stacks: dict[str, Any],
) -> None:
    for pair, networks in (("service", 3), ("management", 1)):
        vms = resources(stacks[f"scenario1x2-{pair}-vms"], "vsphere_virtual_machine")
        assert len(vms) == 2
        assert {(vm["num_cpus"], vm["memory"]) for vm in vms} == {(8, 16384)}
        assert {len(vm["network_interface"]) for vm in vms} == {networks}
    looked_up = {
        pair: sorted(n["name"] for n in stacks[f"scenario1x2-{pair}-vms"]["data"]["vsphere_network"].values())
        for pair in ("service", "management")
    }
    assert looked_up == {
        "service": ["EAS-External", "EAS-Management", "EAS-Service"],
        "management": ["EAS-Management"],
    }
