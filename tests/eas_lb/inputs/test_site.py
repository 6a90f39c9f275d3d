"""Site files: the examples load, paths resolve against the site file, errors name line and field."""

from __future__ import annotations

import ipaddress
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eas_lb.inputs.site import SiteFileError, load_deployment, load_site
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
EXAMPLES = REPO / "examples"


def test_demo_site_plan() -> None:
    deployment = load_deployment(EXAMPLES / "site-demo.yaml")
    (plan,) = deployment.pairs
    assert plan.scenario == 1
    assert plan.pair.primary.endpoint == "https://127.0.20.1:9443"
    assert plan.pair.secondary is not None and str(plan.pair.secondary.management_ip) == "127.0.20.2/24"
    assert set(plan.service_vips.values()) == {ipaddress.ip_address("127.0.40.150")}
    assert plan.pair.primary.ca_file == (REPO / ".demo" / "ca" / "ca.pem").resolve()
    assert deployment.site.credentials.password_env == "LBORG_PASSWORD"


def test_scenario2_site() -> None:
    deployment = load_deployment(EXAMPLES / "site-scenario2.yaml")
    assert [plan.scenario for plan in deployment.pairs] == [2]
    assert deployment.site.hypervisor is None


def _write(tmp_path: Path, body: str, pools: str = "pools-scenario1.txt") -> Path:
    shutil.copy(EXAMPLES / pools, tmp_path / pools)
    site = tmp_path / "site.yaml"
    site.write_text(textwrap.dedent(body), encoding="utf-8")
    return site


HA_NODES = """\
    primary: {name: lb1, endpoint: "https://127.3.0.1:10443", management_ip: 127.3.0.1/24,
              service_ip: 127.3.1.1/24}
    secondary: {name: lb2, endpoint: "https://127.3.0.2:10443", management_ip: 127.3.0.2/24}
"""


def test_scenario1_without_service_network_and_vip_inside_subnet(tmp_path: Path) -> None:
    site = _write(
        tmp_path,
        "name: s\npools: pools-scenario1.txt\npairs:\n  - name: p\n"
        + HA_NODES
        + "    service_vip: 192.168.85.20\n    eas_service_subnet: 192.168.85.0/25\n",
    )
    with pytest.raises(SiteFileError) as caught:
        load_deployment(site)
    text = str(caught.value)
    assert "has no service network" in text
    assert "needs service_gateway" in text
    assert f"{site}:8:18: pairs[0].service_vip: service VIP 192.168.85.20 (SERV_HTTP-80" in text
    assert "NAT mode needs a VIP outside it" in text


def test_schema_errors_carry_line_column_and_field(tmp_path: Path) -> None:
    site = _write(
        tmp_path,
        """\
        name: bad site
        pools: pools-scenario1.txt
        credentials:
          password: hunter2
        pairs:
          - name: p
            primary:
              name: lb1
              endpoint: http://127.3.0.1
              management_ip: 127.3.0.300/24
              sevice_ip: 127.3.1.1/24
        """,
    )
    with pytest.raises(SiteFileError) as caught:
        load_site(site)
    lines = str(caught.value).splitlines()
    assert [line.split(": ", 2)[:2] for line in lines] == [
        [f"{site}:1:7", "name"],
        [f"{site}:4:3", "credentials"],
        [f"{site}:9:17", "pairs[0].primary.endpoint"],
        [f"{site}:10:22", "pairs[0].primary.management_ip"],
        [f"{site}:11:18", "pairs[0].primary.sevice_ip"],
    ]
    assert "hunter2" not in str(caught.value)  # a secret given by mistake is never echoed
    assert "password_env" in lines[1]


def test_scenario_mismatch_and_unknown_service_vip(tmp_path: Path) -> None:
    site = _write(
        tmp_path,
        "name: s\npools: pools-scenario2.txt\nscenario: 1\npairs:\n  - name: p\n"
        "    primary: {name: lb1, endpoint: 'https://127.3.0.1:10443', management_ip: 127.3.0.1/24}\n",
        pools="pools-scenario2.txt",
    )
    with pytest.raises(SiteFileError, match="scenario 1 does not match"):
        load_deployment(site)


def test_invalid_yaml(tmp_path: Path) -> None:
    site = tmp_path / "s.yaml"
    site.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(SiteFileError, match=r"s\.yaml:2:1: not valid YAML"):
        load_site(site)


def test_check_cli_lists_errors_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "pools.txt"
    bad.write_text("# MANAGEMENT\nA 10.0.0.300 udp 80 0 10.0.0.1\nB - tcp 0 0\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "eas_lb", "check", str(bad)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:2:3: pool IP '10.0.0.300'" in result.stderr
    assert f"{bad}:2:14: protocol 'udp'" in result.stderr
    assert f"{bad}:3:3: pool IP '-' is only allowed" in result.stderr
    assert "5 problems found" in result.stderr


def test_check_cli_prints_table_with_site_vips(tmp_path: Path) -> None:
    # The demo writes its CA when it starts; `check` refuses a CA file that is not there yet.
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLES / "site-demo.yaml", tmp_path / "examples" / "site-demo.yaml")
    (tmp_path / ".demo" / "ca").mkdir(parents=True)
    (tmp_path / ".demo" / "ca" / "ca.pem").write_text("not used by check\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "eas_lb",
            "check",
            str(EXAMPLES / "pools-demo.txt"),
            "--site",
            str(tmp_path / "examples" / "site-demo.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0].split() == ["SECTION", "LABEL", "VIP", "PORT", "PERSISTENCE", "SERVERS"]
    assert rows[1].split()[:6] == ["MANAGEMENT", "MGMT_HTTP-18080", "127.0.30.227", "18080", "source", "IP"]
    assert rows[-2].split()[:4] == ["SERVICE", "SERV_IMAP-10143", "127.0.40.150", "10143"]
    assert rows[-1] == "scenario 1: 5 management, 4 service pools"


def test_cli_commands_not_installed_give_a_sentence(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from eas_lb import cli

    monkeypatch.setattr(
        cli, "COMMANDS", (cli.Command("ghost", "eas_lb.no_such_module", "x", "eas-lb ghost"),)
    )
    assert cli.main(["ghost"]) == 1
    assert "not installed" in capsys.readouterr().err
