"""Sizing and the pools row → resource attribute mapping (the guide's values)."""

from __future__ import annotations

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eas_lb.guide.mapping import (
    ManagementPoolOptions,
    in_server_order,
    layer7_persist_minutes,
    management_vip,
    real_servers,
    service_vip,
)
from eas_lb.guide.sizing import SizingError, VmSize, vm_size
from eas_lb.inputs.pools import Pool, Section


def test_guide_size_and_image_disk_floor() -> None:
    assert vm_size(250_000) == VmSize(8, 16384, 20)
    assert vm_size(1, image_disk_gb=4) == VmSize(8, 16384, 8)


def test_above_guide_is_refused_unless_explicit() -> None:
    with pytest.raises(SizingError, match="Metaswitch"):
        vm_size(250_001)
    assert vm_size(500_000, explicit=VmSize(16, 32768, 10)) == VmSize(16, 32768, 20)


def test_persist_minutes_round_up_with_warning() -> None:
    assert layer7_persist_minutes(2100) == (35, None)
    minutes, warning = layer7_persist_minutes(61)
    assert minutes == 2 and warning is not None and "rounded up" in warning


addresses = st.integers(min_value=1, max_value=2**32 - 2).map(ipaddress.IPv4Address)
pools = st.builds(
    lambda name, ip, port, sticky, servers, section: Pool(
        section=section,
        name=name,
        pool_ip=ip if section is Section.MANAGEMENT else None,
        port=port,
        sticky=sticky,
        servers=tuple(servers),
    ),
    st.from_regex(r"[A-Za-z0-9_-]{1,10}", fullmatch=True),
    addresses,
    st.integers(1, 65535),
    st.integers(0, 10**6),
    st.lists(addresses, min_size=1, max_size=8, unique=True),
    st.sampled_from(list(Section)),
)


@given(pool=pools, vip=addresses)
def test_every_row_gives_one_vip_and_one_rip_per_server_with_guide_values(
    pool: Pool, vip: ipaddress.IPv4Address
) -> None:
    rips = real_servers(pool)
    # A real server is its address: the label says which EAS server it is, whatever its place.
    assert [r["label"] for r in rips] == [f"EAS_SSS-{s}" for s in pool.servers]
    assert [r["ip"] for r in rips] == [str(s) for s in pool.servers]
    assert all(r["port"] == pool.port and r["vip"] == pool.label and r["weight"] == 100 for r in rips)
    # Every value is set, the appliance's defaults too: an unset one would hide a change by hand.
    assert all((r["minconns"], r["maxconns"]) == (0, 0) for r in rips)
    if pool.section is Section.MANAGEMENT:
        attrs = management_vip(pool)
        assert attrs["label"] == f"MGMT_{pool.name}" and attrs["ip"] == str(pool.pool_ip)
        assert (attrs["mode"], attrs["scheduler"], attrs["check_type"]) == ("tcp", "roundrobin", "connect")
        assert attrs["ports"] == str(pool.port) and attrs["check_port"] == pool.port
        assert (attrs["timeout_client"], attrs["timeout_server"]) == ("900000", "901000")
        # Sized for the guide's 250,000 subscribers: 380,000 connections; a table only with persistence.
        assert (attrs["maxconn"], attrs["persist_table_size"]) == (380_000, 380_000 if pool.sticky else 10240)
        if pool.sticky == 0:
            assert attrs["persistence"] == "none" and attrs["persist_time"] == 30
        else:
            assert attrs["persistence"] == "ip"
            assert attrs["persist_time"] * 60 >= pool.sticky > (attrs["persist_time"] - 1) * 60
    else:
        l4 = service_vip(pool, vip)
        assert l4["label"] == f"SERV_{pool.name}" and l4["ip"] == str(vip)
        assert (l4["forwarding"], l4["scheduler"], l4["protocol"], l4["check_type"]) == (
            "masq",
            "wrr",
            "tcp",
            "connect",
        )
        assert l4["persistent"] is (pool.sticky > 0)
        assert l4["persist_time"] == (pool.sticky or 300)


def test_options_override_guide_values() -> None:
    pool = Pool(
        section=Section.MANAGEMENT,
        name="X",
        pool_ip=ipaddress.ip_address("10.0.0.1"),
        port=80,
        sticky=0,
        servers=(ipaddress.ip_address("10.0.0.2"),),
    )
    assert management_vip(pool, ManagementPoolOptions(scheduler="leastconn"))["scheduler"] == "leastconn"
    with pytest.raises(ValueError, match="SERVICE"):
        service_vip(pool, ipaddress.ip_address("10.0.0.9"))


@given(pool=pools, data=st.data())
def test_a_reordered_row_gives_the_same_real_servers_in_server_order(pool: Pool, data: st.DataObject) -> None:
    shuffled = pool.model_copy(update={"servers": tuple(data.draw(st.permutations(pool.servers)))})
    assert in_server_order(real_servers(shuffled)) == in_server_order(real_servers(pool))


def test_server_order_keeps_the_row_order_of_position_labels_and_sorts_addresses_by_octet() -> None:
    servers = ("10.0.0.9", "10.0.0.10", "10.0.0.2", "9.1.1.1", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6")
    pool = Pool(
        section=Section.SERVICE,
        name="X",
        pool_ip=None,
        port=80,
        sticky=0,
        servers=tuple(ipaddress.ip_address(ip) for ip in (*servers, "10.0.0.7", "10.0.0.8", "10.0.0.1")),
    )
    # Labels by position, as earlier versions gave them: sorted as numbers, they are the row again
    # (EAS_SSS-10 after EAS_SSS-9), so the commit's digest of a site that keeps them does not move.
    kept = {str(ip): f"EAS_SSS-{n}" for n, ip in enumerate(pool.servers, 1)}
    assert [r["ip"] for r in in_server_order(real_servers(pool, labels=kept))] == [
        str(ip) for ip in pool.servers
    ]
    by_address = [r["ip"] for r in in_server_order(real_servers(pool))]
    assert by_address == ["9.1.1.1", *(f"10.0.0.{n}" for n in range(1, 11))]


def test_a_kept_label_that_another_server_derives_is_refused() -> None:
    pool = Pool(
        section=Section.MANAGEMENT,
        name="X",
        pool_ip=ipaddress.ip_address("10.0.0.1"),
        port=80,
        sticky=0,
        servers=(ipaddress.ip_address("10.0.0.2"), ipaddress.ip_address("10.0.0.3")),
    )
    labels = real_servers(pool, labels={"10.0.0.2": "EAS_SSS-1", "10.0.0.3": "web"})
    assert [r["label"] for r in labels] == ["EAS_SSS-1", "web"]
    with pytest.raises(
        ValueError, match=re.escape("10.0.0.2 and 10.0.0.3 would both be real server 'EAS_SSS-10.0.0.3'")
    ):
        real_servers(pool, labels={"10.0.0.2": "EAS_SSS-10.0.0.3"})


def test_address_labels_are_valid_appliance_labels_for_any_address() -> None:
    label_rule = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._: -]{0,63}$")  # docs/appliance-api.md
    for address in ("10.225.37.61", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", "::ffff:255.255.255.255"):
        pool = Pool(
            section=Section.SERVICE,
            name="X",
            pool_ip=None,
            port=80,
            sticky=0,
            servers=(ipaddress.ip_address(address),),
        )
        assert label_rule.match(real_servers(pool)[0]["label"])
