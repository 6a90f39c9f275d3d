"""Sizing and the pools row → resource attribute mapping (the guide's values)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eas_lb.guide.mapping import (
    ManagementPoolOptions,
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
    assert [r["label"] for r in rips] == [f"EAS_SSS-{n}" for n in range(1, len(pool.servers) + 1)]
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
        assert (attrs["maxconn"], attrs["persist_table_size"]) == (40000, 10240)
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
