"""Every documented value the data plane emulates renders to a configuration HAProxy accepts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from lborg_simulator.config import new_config, set_text
from lborg_simulator.haproxy_process import HaproxyProcess
from lborg_simulator.haproxy_render import render
from lborg_simulator.vip_actions import add_rip, add_vip, edit_vip
from lborg_simulator.vip_fields import L7_CHECK_TYPES, L7_PERSISTENCE

pytestmark = pytest.mark.slow


def test_every_layer7_persistence_mode_and_option_is_valid_haproxy(tmp_path: Path) -> None:
    root = new_config("lb9")
    combos = itertools.product(L7_PERSISTENCE, ("http", "tcp", "other_tcp"))
    send_proxy = itertools.cycle(("none", "v1", "v2", "v2_ssl", "v2_ssn_cn"))
    check_type = itertools.cycle(L7_CHECK_TYPES)
    for number, (persistence, mode) in enumerate(combos):
        label = f"V {number} {persistence}"
        add_vip(
            root,
            {"layer": "7", "vip": label, "ip": "127.1.250.1", "ports": f"{20000 + number}", "mode": mode},
        )
        edit_vip(
            root,
            {
                "vip": label,
                "persistence": persistence,
                "fallback_ip": "127.1.250.9",
                "fallback_port": "20999",
                "xff_ip_pos": "-2",
                "cookiename": "LBSESSION",
                "forward_for": "on",
                "redispatch": "on",
                "force_to_https": "on" if number % 2 else "off",
                "send_proxy": next(send_proxy),
                "check_type": next(check_type),
                "check_request": "status page.html",
                "check_receive": "Service UP",
                "check_host": "eas.example.test",
                "check_username": "monitor",
            },
        )
        add_rip(
            root,
            {
                "vip": label,
                "rip": "Server 1",
                "ip": "127.1.250.2",
                "encrypted": "on" if number % 3 else "off",
            },
        )
        add_rip(root, {"vip": label, "rip": "Server 2", "ip": "127.1.250.3", "port": "8080"})
    text = render(root, {}, active=True, stats_socket="unix@stats.sock", layer="7").text
    HaproxyProcess(tmp_path).check(text)  # raises with HAProxy's message when it rejects the file
    assert "cookie LBSESSION insert indirect nocache" in text
    assert "stick on req.hdr_ip(x-forwarded-for,-2)" in text
    assert "server _fallback 127.1.250.9:20999 backup" in text
    assert "send-proxy-v2-ssl-cn" in text and "ssl verify none" in text
    assert "http-check send meth GET uri /status\\ page.html hdr Host eas.example.test" in text
    assert "http-check expect string Service\\ UP" in text and "check-ssl" in text
    assert "option mysql-check user monitor" in text


def test_layer4_stand_in_with_every_scheduler_and_quiescent_off_is_valid_haproxy(tmp_path: Path) -> None:
    root = new_config("lb9")
    set_text(root, "ldirectord/global/quiescent", "no")
    for number, scheduler in enumerate(("wrr", "wlc", "dh")):
        label = f"SERV {number}"
        add_vip(
            root,
            {
                "layer": "4",
                "vip": label,
                "ip": "127.1.250.1",
                "ports": f"{21000 + number}",
                "forwarding": "masq",
                "protocol": "tcp",
            },
        )
        edit_vip(root, {"vip": label, "scheduler": scheduler, "persistent": "on" if number else "off"})
        add_rip(root, {"vip": label, "rip": "EAS_SSS-1", "ip": "127.1.250.2"})
    text = render(root, {"SERV 1": {"EAS_SSS-1": "halt"}}, True, "unix@stats.sock", layer="4").text
    HaproxyProcess(tmp_path).check(text)
    assert "on-marked-down shutdown-sessions" in text and "disabled" in text
