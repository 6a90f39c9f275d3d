"""The kernel-NAT Layer 4 rules, rendered from a running configuration (in-process, no root)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from lborg_simulator import config as cfg
from lborg_simulator.nat_rules import NatReal, in_table, nat_vips, render_rules, table_weight
from lborg_simulator.vip_actions import add_rip, add_vip


def _running() -> ET.Element:
    root = cfg.new_config("lb1")
    add_vip(
        root,
        {
            "layer": "4",
            "vip": "SERV",
            "ip": "127.0.40.150",
            "ports": "10143",
            "forwarding": "masq",
            "protocol": "tcp",
            "persistent": "on",
            "persist_time": "2100",
            "scheduler": "wrr",
        },
    )
    for index, ip in enumerate(("127.0.41.61", "127.0.41.5"), 1):
        add_rip(root, {"vip": "SERV", "rip": f"EAS_SSS-{index}", "ip": ip})
    return root


def test_weighted_round_robin_persistence_and_refusal_are_rendered() -> None:
    vips, statuses = nat_vips(_running(), {}, active=True)
    assert statuses[0].bound and len(vips[0].reals) == 2
    script, sets = render_rules("t", vips, {"SERV": 1}, {}, quiescent=True)
    assert "dnat to numgen inc mod 2 map { 0 : 127.0.41.61, 1 : 127.0.41.5 }" in script
    assert sets == {"p1_127_0_41_61", "p1_127_0_41_5"}
    assert "timeout 2100s" in script and "ip saddr @p1_127_0_41_61 dnat to 127.0.41.61" in script
    assert "add rule ip t refuse ip daddr 127.0.40.150 tcp dport { 10143 } reject" in script


def test_drain_keeps_persistent_clients_and_halt_takes_the_server_out() -> None:
    vips, _ = nat_vips(_running(), {"SERV": {"EAS_SSS-1": "drain", "EAS_SSS-2": "halt"}}, active=True)
    script, sets = render_rules("t", vips, {"SERV": 1}, {}, quiescent=True)
    assert "numgen" not in script, "no server takes new connections"
    assert sets == {"p1_127_0_41_61"}, "the drained server still takes its persistent clients"


def test_failed_checks_follow_quiescent_and_a_passive_node_serves_nothing() -> None:
    real = NatReal("EAS_SSS-1", "127.0.41.61", 10143, 100, "online")
    assert in_table(real, healthy=False, quiescent=True) and table_weight(real, healthy=False) == 0
    assert not in_table(real, healthy=False, quiescent=False)
    vips, statuses = nat_vips(_running(), {}, active=False)
    assert vips == [] and statuses[0].reason == "not bound: passive node"
