"""pools.txt parsing: the guide's files, every error at once with line and column, properties."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eas_lb.inputs.pools import PoolsFileError, Section, load_pools, parse_pools
from tests.support.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"


def test_guide_scenario1_file() -> None:
    pools = load_pools(EXAMPLES / "pools-scenario1.txt")
    assert pools.scenario == 1
    assert [p.label for p in pools.management] == [
        "MGMT_HTTP-80",
        "MGMT_HTTPS-443",
        "MGMT_HTTPS-10000",
        "MGMT_IMAP-143",
        "MGMT_MVWEBPROV-8087",
    ]
    assert [p.label for p in pools.service][-1] == "SERV_IMAP-143"
    assert all(p.pool_ip is None for p in pools.service)
    mvwebprov = pools.management[-1]
    assert (mvwebprov.port, mvwebprov.sticky) == (8087, 86400)
    assert [str(s) for s in mvwebprov.servers] == ["10.225.37.231", "10.225.37.116"]


def test_guide_scenario2_file_is_management_only() -> None:
    pools = load_pools(EXAMPLES / "pools-scenario2.txt")
    assert pools.scenario == 2
    assert len(pools.management) == 5 and pools.service == ()


def test_crlf_bom_tabs_case_and_comments_are_accepted() -> None:
    text = (
        "\ufeffpool pool ip proto port sticky server ips\r\n"
        "# management\r\n"
        "# a comment\r\n"
        "\r\n"
        "A\t10.0.0.1  TCP\t80 0 10.0.0.2   10.0.0.3  # trailing\r\n"
        "#SERVICE\r\n"
        "B - tcp 81 5 10.0.1.2\r\n"
    )
    pools = parse_pools(text)
    assert pools.management[0].servers == (ipaddress.ip_address("10.0.0.2"), ipaddress.ip_address("10.0.0.3"))
    assert pools.service[0].section is Section.SERVICE
    assert pools.scenario == 1


def test_ipv6_addresses() -> None:
    pools = parse_pools("# MANAGEMENT\nV6 2001:db8::1 tcp 443 0 2001:db8::10 2001:db8::11\n")
    assert str(pools.management[0].pool_ip) == "2001:db8::1"


def test_every_error_is_reported_with_line_and_column() -> None:
    text = (
        "POOL POOL IP PROTO PORT STICKY SERVER IPS\n"
        "EARLY 10.0.0.1 tcp 80 0 10.0.0.2\n"  # before a section
        "# MANAGEMENT\n"
        "BAD! 10.0.0.300 udp 0 -5 10.0.0.2 10.0.0.2\n"
        "SHORT - tcp 80\n"
        "OK 10.0.0.1 tcp 80 0 10.0.0.2\n"
        "OK 10.0.0.1 tcp 80 0 10.0.0.3\n"
    )
    with pytest.raises(PoolsFileError) as caught:
        parse_pools(text, source="p.txt")
    lines = str(caught.value).splitlines()
    assert lines[0] == (
        "p.txt:2:1: pool row before any section marker; expected a '# MANAGEMENT' or '# SERVICE' line first"
    )
    where = [line.split(": ", 1)[0] for line in lines]
    assert where == [
        "p.txt:2:1",
        "p.txt:4:1",  # name
        "p.txt:4:6",  # IP
        "p.txt:4:17",  # proto
        "p.txt:4:21",  # port
        "p.txt:4:23",  # sticky
        "p.txt:4:35",  # duplicate server
        "p.txt:5:7",  # '-' in management
        "p.txt:5:15",  # missing columns, at the end of the line
        "p.txt:7:1",  # duplicate name (also duplicate ip:port)
        "p.txt:7:1",
    ]
    text_all = str(caught.value)
    assert "expected 'tcp'" in text_all and "from 1 to 65535" in text_all and "listed twice" in text_all


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no pools found"),
        ("# SERVICE\nA - tcp 80 0 10.0.0.1\n", "no '# MANAGEMENT' pools"),
        ("# MANAGEMENT\nA 10.0.0.1 tcp 80 x 10.0.0.1\n", "sticky (seconds) 'x' is not a whole number"),
        ("# MANAGEMENT\nA 10.0.0.1 tcp 70000 0 10.0.0.1\n", "port 70000 is out of range"),
    ],
)
def test_single_errors(text: str, message: str) -> None:
    with pytest.raises(PoolsFileError, match=None) as caught:
        parse_pools(text)
    assert message in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(PoolsFileError) as caught:
        load_pools(tmp_path / "missing.txt")
    assert "cannot read the pools file" in str(caught.value)


names = st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True)
ipv4 = st.integers(min_value=1, max_value=2**32 - 2).map(lambda n: str(ipaddress.IPv4Address(n)))


@given(
    rows=st.lists(
        st.tuples(
            names, ipv4, st.integers(1, 65535), st.integers(0, 10**6), st.lists(ipv4, min_size=1, max_size=6)
        ),
        min_size=1,
        max_size=8,
        unique_by=(lambda r: r[0].upper(), lambda r: (r[1], r[2])),
    )
)
def test_any_valid_row_round_trips(rows: list[tuple[str, str, int, int, list[str]]]) -> None:
    lines = ["POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT"]
    for name, ip, port, sticky, servers in rows:
        unique = list(dict.fromkeys(servers))
        lines.append(f"{name} {ip}\ttcp {port}  {sticky} {' '.join(unique)}")
    pools = parse_pools("\n".join(lines))
    assert len(pools.management) == len(rows)
    for pool, (name, ip, port, sticky, servers) in zip(pools.management, rows, strict=True):
        assert (pool.name, str(pool.pool_ip), pool.port, pool.sticky) == (name, ip, port, sticky)
        assert [str(s) for s in pool.servers] == list(dict.fromkeys(servers))
