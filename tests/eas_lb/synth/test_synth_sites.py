"""Synthesized stacks of the example sites: counts, the guide's values, HA ordering, no secrets,
and a snapshot of the whole synth (UPDATE_SNAPSHOTS=1 rewrites it after a deliberate change)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.synth import EXAMPLES, REPO, resources, synth_site

SNAPSHOTS = REPO / "tests" / "eas_lb" / "synth" / "snapshots"


@pytest.fixture(scope="module")
def scenario1() -> dict[str, Any]:
    return synth_site(EXAMPLES / "site-scenario1.yaml")


def test_scenario1_counts_and_guide_values(scenario1: dict[str, Any]) -> None:
    assert sorted(scenario1) == ["scenario1-pair1-lb", "scenario1-pair1-vms"]
    lb = scenario1["scenario1-pair1-lb"]
    l7, l4 = resources(lb, "lborg_layer7_vip"), resources(lb, "lborg_layer4_vip")
    assert (len(l7), len(resources(lb, "lborg_layer7_real_server"))) == (5, 10)
    assert (len(l4), len(resources(lb, "lborg_layer4_real_server"))) == (4, 8)
    by_label = {vip["label"]: vip for vip in l7 + l4}
    https = by_label["MGMT_HTTPS-443"]
    assert {k: https[k] for k in ("ip", "ports", "mode", "scheduler", "persistence", "persist_time")} == {
        "ip": "10.225.37.227",
        "ports": "443",
        "mode": "tcp",
        "scheduler": "roundrobin",
        "persistence": "ip",
        "persist_time": 35,
    }
    assert (https["check_type"], https["check_port"]) == ("connect", 443)
    assert (https["timeout_client"], https["timeout_server"]) == ("900000", "901000")
    assert by_label["MGMT_IMAP-143"]["persistence"] == "none"
    assert by_label["MGMT_MVWEBPROV-8087"]["persist_time"] == 1440
    imap = by_label["SERV_IMAP-143"]
    assert (imap["ip"], imap["forwarding"], imap["scheduler"], imap["persistent"]) == (
        "192.168.85.150",
        "masq",
        "wrr",
        False,
    )
    assert by_label["SERV_HTTP-80"]["persist_time"] == 2100 and by_label["SERV_HTTP-80"]["persistent"] is True
    rips = resources(lb, "lborg_layer4_real_server")
    assert sorted({r["label"] for r in rips}) == ["EAS_SSS-192.168.85.5", "EAS_SSS-192.168.85.61"]


def test_scenario1_ha_pair_gateway_and_commit(scenario1: dict[str, Any]) -> None:
    lb = scenario1["scenario1-pair1-lb"]
    (pairing,) = resources(lb, "lborg_ha_pair")
    assert (pairing["local_ip"], pairing["peer_ip"], pairing["peer_password_env"]) == (
        "10.225.37.241",
        "10.225.37.242",
        "LBORG_PASSWORD",
    )
    assert pairing["provider"] == "lborg.lb1"
    # Only the service gateway is an explicit floating IP: VIPs bring their own address up.
    assert [f["ip"] for f in resources(lb, "lborg_floating_ip")] == ["192.168.85.10"]
    # Every VIP waits for the pairing (the secondary must be empty when paired).
    ha_address = next(iter(lb["resource"]["lborg_ha_pair"]))
    for vip in resources(lb, "lborg_layer7_vip") + resources(lb, "lborg_layer4_vip"):
        assert f"lborg_ha_pair.{ha_address}" in vip["depends_on"]
        assert vip["provider"] == "lborg.lb1"
    commit, on_destroy = commits(lb)
    assert sorted(commit["triggers"]) == ["haproxy", "heartbeat", "ldirectord"]
    # The reload after `terraform destroy`: every VIP and floating IP depends on the on_destroy
    # commit, so it is destroyed after them (and its reload empties the running configuration).
    on_destroy_address = "lborg_commit." + next(
        name for name, item in lb["resource"]["lborg_commit"].items() if item.get("on_destroy") is True
    )
    assert on_destroy["provider"] == "lborg.lb1" and "triggers" not in on_destroy
    for kind in ("lborg_layer7_vip", "lborg_layer4_vip", "lborg_floating_ip"):
        for item in resources(lb, kind):
            assert on_destroy_address in item["depends_on"], item
    on_primary = [
        f"{t}.{name}"
        for t, items in lb["resource"].items()
        for name, item in items.items()
        if t != "lborg_commit" and item["provider"] == "lborg.lb1"
    ]
    assert len(on_primary) == 32
    settings_address = "data.lborg_global_settings." + next(iter(lb["data"]["lborg_global_settings"]))
    assert sorted(commit["depends_on"]) == sorted([*on_primary, settings_address])
    # Per-node settings on both nodes, each through its own provider.
    hostnames = {h["hostname"]: h["provider"] for h in resources(lb, "lborg_hostname")}
    assert hostnames == {"lb1": "lborg.lb1", "lb2": "lborg.lb2"}
    conditions = lb["data"]["lborg_global_settings"]
    (settings,) = conditions.values()
    texts = [c["condition"] for c in settings["lifecycle"]["postcondition"]]
    assert texts == [
        "${self.l7_interval == 3000}",
        "${self.l4_check_interval == 3}",
        "${self.l4_check_timeout == 3}",
        "${self.l4_failure_count == 2}",
    ]


def test_scenario1_vms_and_stack_dependency(scenario1: dict[str, Any]) -> None:
    vms = scenario1["scenario1-pair1-vms"]
    machines = resources(vms, "vsphere_virtual_machine")
    assert len(machines) == 2
    for machine in machines:
        assert (machine["num_cpus"], machine["memory"]) == (8, 16384)
        assert machine["disk"][0]["size"] >= 8
        assert len(machine["network_interface"]) == 2
    assert vms["variable"]["vsphere_password"]["sensitive"] is True


def test_no_secret_values_in_provider_blocks(scenario1: dict[str, Any]) -> None:
    for stack in scenario1.values():
        for provider in stack["provider"].get("lborg", []):
            assert "password" not in provider and "api_key" not in provider
            assert provider["password_env"] == "LBORG_PASSWORD"


def test_scenario2_is_layer7_only() -> None:
    (lb,) = synth_site(EXAMPLES / "site-scenario2.yaml").values()
    assert len(resources(lb, "lborg_layer7_vip")) == 5
    assert not resources(lb, "lborg_layer4_vip") and not resources(lb, "lborg_ha_pair")
    assert not resources(lb, "lborg_floating_ip")
    commit, _ = commits(lb)
    assert sorted(commit["triggers"]) == ["haproxy"]


def test_trigger_digest_changes_only_for_the_changed_service(tmp_path: Path) -> None:
    base = synth_site(EXAMPLES / "site-demo.yaml")["demo-pair1-lb"]
    pools = (EXAMPLES / "pools-demo.txt").read_text(encoding="utf-8").replace("127.0.41.5\n", "127.0.41.6\n")
    (tmp_path / "pools-demo.txt").write_text(pools, encoding="utf-8")
    site = (EXAMPLES / "site-demo.yaml").read_text(encoding="utf-8").replace("../.demo", str(REPO / ".demo"))
    site = site.replace("ova: images/", f"ova: {EXAMPLES}/images/")
    (tmp_path / "site-demo.yaml").write_text(site, encoding="utf-8")
    changed = synth_site(tmp_path / "site-demo.yaml")["demo-pair1-lb"]
    (before, _), (after, _) = commits(base), commits(changed)
    assert before["triggers"]["haproxy"] == after["triggers"]["haproxy"]
    assert before["triggers"]["heartbeat"] == after["triggers"]["heartbeat"]
    assert before["triggers"]["ldirectord"] != after["triggers"]["ldirectord"]


def commits(stack: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The appliance's commit and its on_destroy companion (exactly one of each)."""
    (commit,) = [item for item in resources(stack, "lborg_commit") if item.get("on_destroy") is not True]
    (on_destroy,) = [item for item in resources(stack, "lborg_commit") if item.get("on_destroy") is True]
    return commit, on_destroy


def _normalized(stacks: dict[str, dict[str, Any]]) -> str:
    return json.dumps(stacks, indent=1, sort_keys=True).replace(str(REPO), "<repo>") + "\n"


@pytest.mark.parametrize("name", ["site-scenario1", "site-scenario2", "site-demo"])
def test_snapshot_of_full_synth(name: str) -> None:
    text = _normalized(synth_site(EXAMPLES / f"{name}.yaml"))
    snapshot = SNAPSHOTS / f"{name}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(parents=True, exist_ok=True)
        snapshot.write_text(text, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot {snapshot.name}; run with UPDATE_SNAPSHOTS=1 once and review it"
    assert text == snapshot.read_text(encoding="utf-8"), "synth changed; review and UPDATE_SNAPSHOTS=1"


def test_scenario1_lists_every_address_that_follows_the_active_node(scenario1: dict[str, Any]) -> None:
    lb = scenario1["scenario1-pair1-lb"]
    assert lb["output"]["floating_ips"]["value"] == [
        "10.225.37.223",
        "10.225.37.224",
        "10.225.37.227",
        "192.168.85.10",
        "192.168.85.150",
    ]
    # only the gateway is a resource of its own: the VIPs bring their addresses up themselves
    assert [f["ip"] for f in resources(lb, "lborg_floating_ip")] == ["192.168.85.10"]


def test_a_single_appliance_has_no_floating_addresses() -> None:
    lb = synth_site(EXAMPLES / "site-scenario2.yaml")["scenario2-single-lb"]
    assert "floating_ips" not in lb.get("output", {})
