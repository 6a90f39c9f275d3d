"""The labels a site deployed with position labels keeps: from its Terraform state to the record."""

from __future__ import annotations

from typing import Any

import pytest

from eas_lb.guide.adoption import AdoptedPool, AdoptionRecord, PairAdoption
from eas_lb.guide.kept_labels import KeptLabelsError, deployed_labels, labels_to_keep, with_kept_labels
from eas_lb.inputs.pools import Section, parse_pools

POOLS = parse_pools(
    "POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n"
    "HTTPS-443 10.225.37.227 tcp 443 0 10.225.37.62 10.225.37.116\n"
    "IMAP-143 10.225.37.223 tcp 143 0 10.225.37.61 10.225.37.116\n"
    "\n# SERVICE\n"
    "HTTP-80 - tcp 80 2100 192.168.85.61 192.168.85.5\n"
)


def _real(kind: str, name: str, vip: str, label: str, ip: str) -> dict[str, Any]:
    attributes = {"vip": vip, "label": label, "ip": ip, "port": 443, "id": f"{vip}/{label}"}
    return {"mode": "managed", "type": kind, "name": name, "instances": [{"attributes": attributes}]}


STATE = {
    "version": 4,
    "resources": [
        _real("lborg_layer7_real_server", "a", "MGMT_HTTPS-443", "EAS_SSS-1", "10.225.37.61"),
        _real("lborg_layer7_real_server", "b", "MGMT_HTTPS-443", "EAS_SSS-2", "10.225.37.62"),
        _real("lborg_layer7_real_server", "c", "MGMT_HTTPS-443", "EAS_SSS-10.225.37.116", "10.225.37.116"),
        _real("lborg_layer7_real_server", "d", "MGMT_IMAP-143", "EAS_SSS-1", "10.225.37.61"),
        _real("lborg_layer4_real_server", "e", "SERV_HTTP-80", "EAS_SSS-1", "192.168.85.61"),
        _real("lborg_layer7_real_server", "f", "MGMT_GONE-8080", "EAS_SSS-1", "10.225.37.61"),
        {
            "mode": "managed",
            "type": "lborg_layer7_vip",
            "name": "v",
            "instances": [{"attributes": {"label": "x"}}],
        },
        {"mode": "data", "type": "lborg_layer7_real_server", "name": "r", "instances": []},
    ],
}


def test_the_state_says_which_label_each_address_has_on_each_vip() -> None:
    deployed = deployed_labels(STATE)
    assert deployed[(Section.MANAGEMENT, "MGMT_HTTPS-443")] == {
        "10.225.37.61": "EAS_SSS-1",
        "10.225.37.62": "EAS_SSS-2",
        "10.225.37.116": "EAS_SSS-10.225.37.116",
    }
    assert deployed[(Section.SERVICE, "SERV_HTTP-80")] == {"192.168.85.61": "EAS_SSS-1"}
    assert deployed_labels({}) == {}


def test_only_labels_that_are_not_the_address_ones_of_pools_still_served_are_kept() -> None:
    kept = labels_to_keep(deployed_labels(STATE), POOLS.pools, None)
    # .61 left HTTPS-443 since the last deploy: its label is kept anyway (harmless), .116 has its
    # address label, and the pool GONE-8080 is no longer in pools.txt.
    assert kept == {
        (Section.MANAGEMENT, "HTTPS-443"): {"10.225.37.61": "EAS_SSS-1", "10.225.37.62": "EAS_SSS-2"},
        (Section.MANAGEMENT, "IMAP-143"): {"10.225.37.61": "EAS_SSS-1"},
        (Section.SERVICE, "HTTP-80"): {"192.168.85.61": "EAS_SSS-1"},
    }
    adopted = PairAdoption(pools=[AdoptedPool(section=Section.MANAGEMENT, name="IMAP-143", vip_label="Mail")])
    assert (Section.MANAGEMENT, "IMAP-143") not in labels_to_keep(
        deployed_labels(STATE), POOLS.pools, adopted
    )


def test_one_address_with_two_labels_on_one_vip_is_refused() -> None:
    state = {
        "resources": [
            _real("lborg_layer4_real_server", "a", "SERV_HTTP-80", "EAS_SSS-1", "192.168.85.61"),
            _real("lborg_layer4_real_server", "b", "SERV_HTTP-80", "EAS_SSS-2", "192.168.85.61"),
        ]
    }
    with pytest.raises(KeptLabelsError, match=r"server 192\.168\.85\.61 of VIP SERV_HTTP-80 twice"):
        deployed_labels(state)


def test_kept_labels_merge_into_the_record_and_a_second_run_adds_nothing() -> None:
    adopted = AdoptedPool(
        section=Section.MANAGEMENT,
        name="IMAP-143",
        vip_label="Mail",
        server_labels={"10.225.37.116": "mail-b"},
    )
    record = AdoptionRecord(site="s", pairs={"pair1": PairAdoption(pools=[adopted])})
    kept = {
        (Section.MANAGEMENT, "IMAP-143"): {"10.225.37.61": "EAS_SSS-1"},
        (Section.SERVICE, "HTTP-80"): {"192.168.85.61": "EAS_SSS-1"},
    }
    updated, added = with_kept_labels(record, "pair1", kept)
    assert added == 2
    pools = {(entry.section, entry.name): entry for entry in updated.pairs["pair1"].pools}
    assert pools[(Section.MANAGEMENT, "IMAP-143")].vip_label == "Mail"
    assert pools[(Section.MANAGEMENT, "IMAP-143")].server_labels == {
        "10.225.37.116": "mail-b",
        "10.225.37.61": "EAS_SSS-1",
    }
    assert pools[(Section.SERVICE, "HTTP-80")].server_labels == {"192.168.85.61": "EAS_SSS-1"}
    again, added_again = with_kept_labels(updated, "pair1", kept)
    assert added_again == 0 and again == updated
    other, _ = with_kept_labels(record, "pair2", kept)
    assert set(other.pairs) == {"pair1", "pair2"} and other.pairs["pair1"] == record.pairs["pair1"]
