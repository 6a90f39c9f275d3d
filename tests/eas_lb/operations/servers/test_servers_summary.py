"""`servers` by default: one line per EAS server, a named one with all its addresses and layers."""

from __future__ import annotations

import shutil
from pathlib import Path

from eas_lb.inputs.site import load_deployment
from eas_lb.operations.appliances.live_servers import LiveServer
from eas_lb.operations.servers.summary import SUMMARY_HEADERS, summarize, summary_rows
from lborg_support.tables import render_table
from tests.support.paths import REPO_ROOT

SITE = """\
name: s
pools: pools.txt
pairs:
  - name: p
    primary: {name: lb1, endpoint: "https://127.3.0.1:10443", management_ip: 127.3.0.1/24,
              service_ip: 192.168.85.101/25}
    service_vip: 10.9.0.150
    eas_service_subnet: 192.168.85.0/25
eas_servers:
  - name: eas-3
    addresses: [10.225.37.231, 192.168.85.61]
maintenance:
  - {server: eas-3, note: upgrade to 9.6}
"""


def _live(appliance: str, address: str, vip: str, state: str, lab: int | None = None) -> LiveServer:
    layer = "7" if vip.startswith("MGMT_") else "4"
    return LiveServer(appliance, layer, vip, f"RIP-{address}", address, state, None, lab)


def test_a_named_server_is_one_line_with_both_layers_and_its_note(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "examples" / "pools-scenario1.txt", tmp_path / "pools.txt")
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    site = load_deployment(tmp_path / "site.yaml").site
    servers = [
        _live(appliance, address, vip, "drain" if address in ("10.225.37.231", "192.168.85.61") else "online")
        for appliance in ("lb1", "lb2")
        for vip, addresses in (
            ("MGMT_HTTP-80", ("10.225.37.231", "10.225.37.116")),
            ("MGMT_HTTPS-443", ("10.225.37.231", "10.225.37.116")),
            ("SERV_IMAP-143", ("192.168.85.61", "192.168.85.5")),
        )
        for address in addresses
    ]
    notes = {"10.225.37.231": "maintenance (drain): upgrade to 9.6", "192.168.85.61": "maintenance (drain)"}
    summaries = summarize(servers, site, notes)
    assert [item.title for item in summaries] == [
        "eas-3 (10.225.37.231, 192.168.85.61)",
        "10.225.37.116",
        "192.168.85.5",
    ]
    rows = summary_rows(summaries)
    assert rows[0] == (
        "eas-3 (10.225.37.231, 192.168.85.61)",
        "2 + 1 VIPs",
        "drain",
        "not reported",
        "maintenance (drain): upgrade to 9.6",
    )
    assert rows[1][1:3] == ("2 VIPs", "online")
    assert summaries[0].as_json() | {"states": None} == {
        "name": "eas-3",
        "addresses": ["10.225.37.231", "192.168.85.61"],
        "layer7_vips": 2,
        "layer4_vips": 1,
        "states": None,
        "connections": None,
        "lab_connections": None,
        "note": "maintenance (drain): upgrade to 9.6",
    }
    assert len(render_table(SUMMARY_HEADERS, rows).splitlines()) == 1 + 3  # a line per EAS server


def test_vips_in_different_states_are_counted_per_state_and_a_lab_count_is_marked(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "examples" / "pools-scenario1.txt", tmp_path / "pools.txt")
    (tmp_path / "site.yaml").write_text(SITE, encoding="utf-8")
    site = load_deployment(tmp_path / "site.yaml").site
    servers = [
        _live("lb1", "10.225.37.231", "MGMT_HTTP-80", "drain", lab=1),
        _live("lb1", "10.225.37.231", "MGMT_HTTPS-443", "drain", lab=0),
        _live("lb1", "192.168.85.61", "SERV_IMAP-143", "online", lab=4),
        _live("lb2", "192.168.85.61", "SERV_IMAP-143", "online"),  # passive: the lab counts nothing
    ]
    (summary,) = summarize(servers, site, {})
    assert summary.state_text == "drain on 2 VIPs, online on 1 VIP"
    assert summary.connections_text == "5 (lab's count; not reported by API v2)"
