"""The site file's `drain:` and `maintenance:` in the synthesized stacks (guide example addresses:
synth only, nothing is deployed)."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.support.synth import EXAMPLES, resources, synth_site


def test_a_server_in_maintenance_is_drained_on_every_vip_of_both_layers_with_the_pools_drain_times(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site.yaml"
    shutil.copy(EXAMPLES / "pools-scenario1.txt", tmp_path / "pools-scenario1.txt")
    text = (EXAMPLES / "site-scenario1.yaml").read_text(encoding="utf-8")
    site.write_text(
        text
        + "drain:\n  seconds: 120\n  pools: {MGMT_HTTPS-443: 2100}\n"
        + "maintenance:\n  - {server: 10.225.37.231}\n  - {server: 192.168.85.5, state: halt}\n",
        encoding="utf-8",
    )
    (stack,) = [body for name, body in synth_site(site).items() if name.endswith("-lb")]
    servers = resources(stack, "lborg_layer7_real_server") + resources(stack, "lborg_layer4_real_server")
    states = {(server["vip"], server["ip"]): server.get("state", "online") for server in servers}
    assert {vip for (vip, ip), state in states.items() if state == "drain"} == {
        "MGMT_HTTP-80",
        "MGMT_HTTPS-443",
        "MGMT_HTTPS-10000",
        "MGMT_IMAP-143",
        "MGMT_MVWEBPROV-8087",
    }
    assert all(ip == "10.225.37.231" for (vip, ip), state in states.items() if state == "drain")
    assert {vip for (vip, ip), state in states.items() if state == "halt"} == {
        "SERV_HTTP-80",
        "SERV_HTTPS-443",
        "SERV_HTTPS-10000",
        "SERV_IMAP-143",
    }
    assert sum(1 for state in states.values() if state == "online") == len(states) - 9
    drains = {server["vip"]: server["drain_seconds"] for server in servers}
    assert (
        drains["MGMT_HTTPS-443"] == 2100 and drains["MGMT_HTTP-80"] == 120 and drains["SERV_IMAP-143"] == 120
    )
