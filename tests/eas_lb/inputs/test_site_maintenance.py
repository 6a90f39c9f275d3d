"""The site file's `drain:` and `maintenance:` sections: read, checked against the pools, located."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from eas_lb.guide import maintenance
from eas_lb.guide.mapping import EAS_DRAIN_SECONDS, real_server_state
from eas_lb.inputs.site import SiteFileError, load_deployment
from tests.support.paths import REPO_ROOT

PAIR = """\
pairs:
  - name: p
    primary: {name: lb1, endpoint: "https://127.3.0.1:10443", management_ip: 127.3.0.1/24,
              service_ip: 192.168.85.101/25}
    service_vip: 10.9.0.150
    eas_service_subnet: 192.168.85.0/25
"""


def _site(tmp_path: Path, extra: str) -> Path:
    shutil.copy(REPO_ROOT / "examples" / "pools-scenario1.txt", tmp_path / "pools.txt")
    site = tmp_path / "site.yaml"
    site.write_text("name: s\npools: pools.txt\n" + PAIR + textwrap.dedent(extra), encoding="utf-8")
    return site


def _problems(site: Path) -> list[str]:
    with pytest.raises(SiteFileError) as caught:
        load_deployment(site)
    return [str(problem) for problem in caught.value.problems]


def test_drain_times_per_site_and_per_pool_and_the_eas_default(tmp_path: Path) -> None:
    plain = load_deployment(_site(tmp_path, ""))
    pools = {pool.label: pool for pool in plain.pairs[0].pools.pools}
    assert maintenance.drain_seconds(plain.site, pools["MGMT_HTTP-80"]) == EAS_DRAIN_SECONDS == 300
    tuned = load_deployment(
        _site(tmp_path, "drain:\n  seconds: 60\n  pools: {MGMT_HTTPS-443: 2100, SERV_IMAP-143: 0}\n")
    )
    assert maintenance.drain_seconds(tuned.site, pools["MGMT_HTTP-80"]) == 60
    assert maintenance.drain_seconds(tuned.site, pools["MGMT_HTTPS-443"]) == 2100
    assert maintenance.drain_seconds(tuned.site, pools["SERV_IMAP-143"]) == 0


def test_a_server_in_maintenance_is_drained_or_halted_only_on_the_pools_that_name_it(tmp_path: Path) -> None:
    deployment = load_deployment(
        _site(
            tmp_path,
            "maintenance:\n  - {server: 10.225.37.231, note: upgrade to 9.6}\n"
            "  - {server: 192.168.85.5, state: halt}\n",
        )
    )
    site = deployment.site
    pools = {pool.label: pool for pool in deployment.pairs[0].pools.pools}
    management = maintenance.management_options(site, pools["MGMT_HTTPS-443"], None)
    assert dict(management.server_states) == {"10.225.37.231": "drain"}
    assert real_server_state("10.225.37.231", management) == {"state": "drain", "drain_seconds": 300}
    assert real_server_state("10.225.37.116", management) == {"drain_seconds": 300}  # unset: online
    service = maintenance.service_options(site, pools["SERV_IMAP-143"], None)
    assert dict(service.server_states) == {"192.168.85.5": "halt"}


def test_an_address_no_pool_uses_is_an_error_at_its_line(tmp_path: Path) -> None:
    site = _site(tmp_path, "maintenance:\n  - server: 10.225.37.232\n    state: drain\n")
    (problem,) = _problems(site)
    assert problem.startswith(f"{site}:10:")
    assert "no pool uses EAS server 10.225.37.232" in problem
    assert "10.225.37.231" in problem  # the addresses the pools do name


def test_a_server_listed_twice_and_an_unknown_pool_label_are_errors(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        "drain:\n  pools: {MGMT_HTTP-81: 10}\n"
        "maintenance:\n  - server: 10.225.37.231\n  - server: 10.225.37.231\n    state: halt\n",
    )
    problems = _problems(site)
    assert any(":10:" in p and "MGMT_HTTP-81" in p and "MGMT_HTTP-80" in p for p in problems), problems
    assert any(":13:" in p and "already in maintenance (maintenance[0])" in p for p in problems), problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("maintenance:\n  - {server: 10.225.37.231, state: off}\n", "'drain' or 'halt'"),
        ("drain:\n  seconds: -1\n", "greater than or equal to 0"),
        ("drain:\n  seconds: 86401\n", "less than or equal to 86400"),
        ("maintenance:\n  - {server: eas1}\n", "server"),
    ],
)
def test_bad_values_are_refused_with_their_line(tmp_path: Path, extra: str, expected: str) -> None:
    site = _site(tmp_path, extra)
    problems = _problems(site)
    assert any(expected in p and p.startswith(f"{site}:") for p in problems), problems


EAS_SERVERS = """\
eas_servers:
  - name: eas-3
    addresses: [10.225.37.231, 192.168.85.61]
  - name: eas-4
    addresses: [10.225.37.116, 192.168.85.5]
"""


def test_a_named_server_goes_into_maintenance_with_every_address_on_every_vip(tmp_path: Path) -> None:
    deployment = load_deployment(
        _site(tmp_path, EAS_SERVERS + "maintenance:\n  - server: eas-3\n    state: drain\n")
    )
    site = deployment.site
    assert maintenance.server_states(site) == {"10.225.37.231": "drain", "192.168.85.61": "drain"}
    by_label = {pool.label: pool for pool in deployment.pairs[0].pools.pools}
    for label, pool in by_label.items():
        options = (
            maintenance.management_options(site, pool, None)
            if label.startswith("MGMT_")
            else maintenance.service_options(site, pool, None)
        )
        wanted = "10.225.37.231" if label.startswith("MGMT_") else "192.168.85.61"
        assert dict(options.server_states) == {wanted: "drain"}, label
    assert site.eas_server_of("192.168.85.61") is not None
    assert site.eas_server_of("192.168.85.61").title == "eas-3 (10.225.37.231, 192.168.85.61)"  # type: ignore[union-attr]
    assert deployment.warnings == ()  # the whole server: nothing to warn about


def test_maintenance_by_one_address_of_a_named_server_warns_and_keeps_its_meaning(tmp_path: Path) -> None:
    site_file = _site(tmp_path, EAS_SERVERS + "maintenance:\n  - server: 10.225.37.231\n")
    deployment = load_deployment(site_file)
    assert maintenance.server_states(deployment.site) == {"10.225.37.231": "drain"}  # as written
    (warning,) = deployment.warnings
    assert warning.startswith(f"{site_file}:15: warning: maintenance[0].server: ")
    assert "10.225.37.231 is one address of EAS server eas-3 (10.225.37.231, 192.168.85.61)" in warning
    assert "192.168.85.61 stays in service" in warning and "write server: eas-3" in warning


def test_a_scenario_1_site_without_names_is_told_maintenance_by_address_covers_one_layer(
    tmp_path: Path,
) -> None:
    quiet = load_deployment(_site(tmp_path, ""))
    (general,) = quiet.warnings
    assert "has no eas_servers:, so maintenance by address covers one layer only" in general
    listed = load_deployment(_site(tmp_path, "maintenance:\n  - server: 10.225.37.231\n"))
    (warning,) = listed.warnings
    assert "covers one layer only: 10.225.37.231 is in '# MANAGEMENT' (Layer 7) pools only" in warning
    assert "'# SERVICE' (Layer 4) pools stays in service" in warning


def test_a_scenario_2_site_gets_no_layer_warning(tmp_path: Path) -> None:
    shutil.copy(REPO_ROOT / "examples" / "pools-scenario2.txt", tmp_path / "pools.txt")
    site = tmp_path / "site.yaml"
    site.write_text(
        "name: s\npools: pools.txt\npairs:\n  - name: p\n    primary: {name: lb1, endpoint: "
        '"https://127.3.0.1:10443", management_ip: 127.3.0.1/24}\n'
        "maintenance:\n  - server: 10.225.37.231\n",
        encoding="utf-8",
    )
    assert load_deployment(site).warnings == ()


def test_names_are_checked_against_eas_servers_and_the_pools(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        EAS_SERVERS
        + "  - name: eas-3\n    addresses: [10.225.37.116, 10.225.37.99]\n"
        + "maintenance:\n  - server: eas-9\n  - server: eas-4\n  - server: 192.168.85.5\n",
    )
    problems = _problems(site)
    assert any(":14:" in p and "'eas-3' is already named (eas_servers[0])" in p for p in problems), problems
    assert any(
        ":15:" in p and "10.225.37.116 is also an address of EAS server 'eas-4'" in p for p in problems
    ), problems
    assert any(
        ":17:" in p and "no EAS server is named 'eas-9' in eas_servers: (known names: eas-3, eas-4)" in p
        for p in problems
    ), problems
    assert any(
        ":19:" in p and "EAS server 192.168.85.5 is already in maintenance (maintenance[1])" in p
        for p in problems
    ), problems


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("eas_servers:\n  - {name: 10.1.2.3, addresses: [10.225.37.231]}\n", "is not an EAS server name"),
        ("eas_servers:\n  - {name: eas-3, addresses: []}\n", "at least 1 item"),
        ("eas_servers:\n  - {name: eas-3, addresses: [10.225.37.231, 10.225.37.231]}\n", "listed twice"),
        ("eas_servers:\n  - {name: eas-3, addresses: [eas3.example.net]}\n", "IPv4 or IPv6 address"),
        ("maintenance:\n  - {server: 'eas 3'}\n", "neither an address (10.225.37.231) nor an EAS server"),
    ],
)
def test_bad_names_and_addresses_are_refused_with_their_line(
    tmp_path: Path, extra: str, expected: str
) -> None:
    site = _site(tmp_path, extra)
    problems = _problems(site)
    assert any(expected in p and p.startswith(f"{site}:") for p in problems), problems


def test_an_address_in_eas_servers_that_no_pool_uses_is_a_warning(tmp_path: Path) -> None:
    site = _site(tmp_path, "eas_servers:\n  - {name: eas-3, addresses: [10.225.37.231, 192.168.85.62]}\n")
    (warning,) = load_deployment(site).warnings
    assert "eas_servers[0].addresses[1]: no pool uses 192.168.85.62 (EAS server eas-3)" in warning


def test_check_prints_the_warnings_and_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eas_lb.cli import main as eas_main

    site = _site(tmp_path, EAS_SERVERS + "maintenance:\n  - server: 192.168.85.61\n")
    assert eas_main(["check", "--site", str(site)]) == 0
    printed = capsys.readouterr().err
    assert f"{site}:15: warning: maintenance[0].server: 192.168.85.61 is one address of EAS server" in printed
    assert eas_main(["check", "--site", str(site), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [w.split(": warning: ")[1][:24] for w in shown["site_warnings"]] == ["maintenance[0].server: 1"]
