"""What the vendor documents and matters for traffic, through the simulator's real HAProxy.

A Layer 7 real server without a port serves on the port the client used (the VIP's port), the
help's `80:443` port form binds every port, labels with spaces work end to end (also for drain
and halt with `services` all), and the fallback server takes over when the real servers are down.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from lborg_simulator.eas_servers import EasServerGroup, eas_servers, parse_identity
from lborg_simulator.testing import SimulatorProcess
from lborg_support.waiting import wait_until

pytestmark = pytest.mark.slow

VIP = "127.10.11.10"
SERVER = "127.10.12.21"
FALLBACK = "127.10.12.99"
CHECKED = "127.10.12.22"


def identity_within(port: int, expected: str, seconds: float = 15.0) -> None:
    seen: list[str] = [""]

    def answered() -> bool:
        seen[0] = identity(port)
        return seen[0] == expected

    assert wait_until(answered, seconds, interval=0.2) is not None, (
        f"VIP port {port}: still {seen[0]}, expected {expected}"
    )


def identity(port: int) -> str:
    """Connect to the VIP, send nothing, return the answering server's `addr` (ip:port)."""
    with socket.create_connection((VIP, port), timeout=10) as conn:
        chunks = []
        while chunk := conn.recv(4096):
            chunks.append(chunk)
    return parse_identity(b"".join(chunks).decode()).get("addr", "")


@pytest.fixture(scope="module")
def servers() -> Iterator[EasServerGroup]:
    specs = [
        ("a-12180", SERVER, 12180),
        ("a-12181", SERVER, 12181),
        ("b-12280", CHECKED, 12280),
        ("fallback", FALLBACK, 12199),
    ]
    with eas_servers(specs) as group:
        yield group


def test_layer7_vip_as_the_vendor_documents_it_carries_traffic(
    appliance: SimulatorProcess, servers: EasServerGroup
) -> None:
    appliance.call_ok(
        [
            {
                "action": "add-vip",
                "layer": "7",
                "vip": "Web Servers",
                "ip": VIP,
                "ports": "12180:12181",
                "mode": "tcp",
            },
            {
                "action": "edit-vip",
                "vip": "Web Servers",
                "fallback_ip": FALLBACK,
                "fallback_port": "12199",
                "persistence": "none",  # else the client stays on the fallback server
            },
            {"action": "add-rip", "vip": "Web Servers", "rip": "Server A", "ip": SERVER, "weight": "100"},
            {"action": "reload-haproxy"},
        ]
    )
    assert identity(12180) == f"{SERVER}:12180"
    assert identity(12181) == f"{SERVER}:12181"

    appliance.call_ok([{"action": "halt", "vip": "Web Servers", "rip": "Server A", "services": "all"}])
    assert identity(12180) == f"{FALLBACK}:12199"
    appliance.call_ok([{"action": "online", "vip": "Web Servers", "rip": "Server A", "services": "all"}])
    identity_within(12180, f"{SERVER}:12180")
    appliance.call_ok([{"action": "drain", "vip": "Web Servers", "rip": "Server A", "services": "all"}])
    status = appliance.call([{"action": "nodestatus"}])[0]["data"]["vips"]
    web = next(vip for vip in status if vip["label"] == "Web Servers")
    assert web["bound"] and web["reals"][0]["used"]


def test_negotiate_http_check_decides_which_server_serves(
    appliance: SimulatorProcess, servers: EasServerGroup
) -> None:
    """The real server answers the check page with its identity; a check expecting other text
    marks it down and the fallback server takes the traffic."""
    appliance.call_ok(
        [
            {"action": "add-vip", "layer": "7", "vip": "Checked", "ip": VIP, "ports": "12280", "mode": "tcp"},
            {
                "action": "edit-vip",
                "vip": "Checked",
                "persistence": "none",
                "fallback_ip": FALLBACK,
                "fallback_port": "12199",
                "check_type": "negotiate_http",
                "check_request": "health.html",
                "check_receive": "EAS-SIM",
            },
            {"action": "add-rip", "vip": "Checked", "rip": "Checked 1", "ip": CHECKED, "port": "12280"},
            {"action": "reload-haproxy"},
        ]
    )
    time.sleep(1.5)  # five check intervals: a failing check (fall 3) would have marked it down
    assert identity(12280) == f"{CHECKED}:12280"
    appliance.call_ok(
        [{"action": "edit-vip", "vip": "Checked", "check_receive": "NOT THERE"}, {"action": "reload-haproxy"}]
    )
    identity_within(12280, f"{FALLBACK}:12199")
