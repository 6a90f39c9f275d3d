"""A new user loads the deployment guide's example pools: kept, reported, never bound or contacted."""

from __future__ import annotations

import math
from typing import Any

import pytest

from lborg_simulator.testing import SimulatorProcess
from tests.support.simulator_api import data, nodestatus

pytestmark = pytest.mark.slow

# The guide's example pools.txt (scenario 1) and a service VIP address from its example site.
GUIDE_POOLS = """\
POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116
HTTPS-443 10.225.37.227 tcp 443 2100 10.225.37.231 10.225.37.116
HTTPS-10000 10.225.37.227 tcp 10000 2100 10.225.37.231 10.225.37.116
IMAP-143 10.225.37.223 tcp 143 0 10.225.37.231 10.225.37.116
MVWEBPROV-8087 10.225.37.224 tcp 8087 86400 10.225.37.231 10.225.37.116

# SERVICE
HTTP-80 - tcp 80 2100 192.168.85.61 192.168.85.5
HTTPS-443 - tcp 443 2100 192.168.85.61 192.168.85.5
HTTPS-10000 - tcp 10000 2100 192.168.85.61 192.168.85.5
IMAP-143 - tcp 143 0 192.168.85.61 192.168.85.5
"""
SERVICE_VIP = "192.168.85.20"


def guide_actions() -> list[dict[str, Any]]:
    """The guide's settings for each pool, as a provider would send them."""
    actions: list[dict[str, Any]] = []
    section = "MANAGEMENT"
    for line in GUIDE_POOLS.splitlines()[1:]:
        if line.startswith("#"):
            section = line.strip("# ").upper()
            continue
        if not line.strip():
            continue
        name, pool_ip, _proto, port, sticky_text, *servers = line.split()
        sticky = int(sticky_text)
        if section == "MANAGEMENT":
            label = f"MGMT_{name}"
            actions.append(
                {"action": "add-vip", "layer": "7", "vip": label, "ip": pool_ip, "ports": port, "mode": "tcp"}
            )
            edit = {"action": "edit-vip", "vip": label, "check_type": "connect", "check_port": port}
            edit |= {"timeout_client": "900000", "timeout_server": "901000"}
            edit |= (
                {"persistence": "ip", "persist_time": str(math.ceil(sticky / 60))}
                if sticky
                else {"persistence": "none"}
            )
        else:
            label = f"SERV_{name}"
            actions.append(
                {"action": "add-vip", "layer": "4", "vip": label, "ip": SERVICE_VIP, "ports": port}
                | {"forwarding": "masq", "protocol": "tcp"}
            )
            edit = {"action": "edit-vip", "vip": label, "scheduler": "wrr", "check_type": "connect"}
            edit |= {"persistent": "on", "persist_time": str(sticky)} if sticky else {"persistent": "off"}
        actions.append(edit)
        for index, server in enumerate(servers, start=1):
            rip: dict[str, Any] = {"action": "add-rip", "vip": label, "rip": f"EAS_SSS-{index}", "ip": server}
            if section == "MANAGEMENT":
                rip["port"] = port
            actions.append(rip)
    return [*actions, {"action": "reload-haproxy"}, {"action": "reload-ldirectord"}]


def test_guide_example_is_loaded_but_not_bound(sim: SimulatorProcess) -> None:
    results = sim.call(guide_actions())
    assert [r for r in results if r["status"] != "success"] == []
    vips = nodestatus(sim)["vips"]
    assert len(vips) == 9
    assert {vip["status"] for vip in vips} == {"not bound: non-loopback address"}
    assert not any(real["used"] for vip in vips for real in vip["reals"])
    haproxy_cfg = sim.state_dir / "haproxy" / "haproxy.cfg"
    text = haproxy_cfg.read_text() if haproxy_cfg.exists() else ""
    assert "listen " not in text and "10.225." not in text and "192.168." not in text
    mgmt = data(sim, {"action": "list", "function": "virtual", "layer": "7", "vip": "MGMT_HTTP-80"})[
        "virtual"
    ][0]
    assert (mgmt["persist_time"], mgmt["timeout_server"], mgmt["check"]["port"]) == ("35", "901000", "80")
    serv = data(sim, {"action": "list", "function": "virtual", "layer": "4", "vip": "SERV_IMAP-143"})[
        "virtual"
    ][0]
    assert (serv["persistent"], serv["scheduler"], serv["server"]) == ("off", "wrr", SERVICE_VIP)
