"""What `check` catches before anything reaches an appliance: placeholders, CA files, NAT servers
outside the service subnet, addresses given twice; each problem once, located in its file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from eas_lb.inputs.site import SiteFileError, ca_file_fault, load_deployment
from tests.support.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"

#: A valid scenario-1 HA pair for examples/pools-scenario1.txt (servers in 192.168.85.0/25).
PAIR = """\
  - name: p
    primary: {name: lb1, endpoint: "https://127.3.0.1:10443", management_ip: 127.3.0.1/24,
              service_ip: 192.168.85.101/25}
    secondary: {name: lb2, endpoint: "https://127.3.0.2:10443", management_ip: 127.3.0.2/24,
                service_ip: 192.168.85.102/25}
    service_vip: 10.9.0.150
    eas_service_subnet: 192.168.85.0/25
    service_gateway: 192.168.85.10
"""


def _site(tmp_path: Path, body: str, pools: str = "pools-scenario1.txt") -> Path:
    shutil.copy(EXAMPLES / pools, tmp_path / "pools.txt")
    site = tmp_path / "site.yaml"
    site.write_text(textwrap.dedent(body), encoding="utf-8")
    return site


def _problems(site: Path, *, before_use: bool = False) -> list[str]:
    with pytest.raises(SiteFileError) as caught:
        load_deployment(site, before_use=before_use)
    return [str(problem) for problem in caught.value.problems]


def test_the_valid_pair_loads(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR)
    assert len(load_deployment(site, before_use=True).pairs) == 1


def test_todo_placeholders_are_located_only_when_the_files_are_about_to_be_used(tmp_path: Path) -> None:
    body = "name: s\npools: pools.txt\npairs:\n" + PAIR.replace(
        "service_vip: 10.9.0.150", "service_vip: 10.9.0.150  # TODO: VIP of '-' pools"
    )
    site = _site(tmp_path, body)
    load_deployment(site)  # synth of a scaffolded site still works
    (problem,) = _problems(site, before_use=True)
    assert problem.startswith(f"{site}:9:32: placeholder left by new-site (TODO: VIP of '-' pools)")
    assert "'service_vip: 10.9.0.150'" in problem


def test_a_missing_ca_file_is_named_at_its_line(tmp_path: Path) -> None:
    body = "name: s\npools: pools.txt\npairs:\n" + PAIR.replace(
        "management_ip: 127.3.0.2/24,", "management_ip: 127.3.0.2/24, ca_file: ca/missing.pem,"
    )
    site = _site(tmp_path, body)
    (problem,) = _problems(site, before_use=True)
    assert problem.startswith(f"{site}:7:103: pairs[0].secondary.ca_file: {tmp_path / 'ca' / 'missing.pem'}")
    assert "does not exist" in problem
    (tmp_path / "ca").mkdir()
    (tmp_path / "ca" / "missing.pem").write_text("PEM\n", encoding="utf-8")
    load_deployment(site, before_use=True)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_ca_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("PEM\n", encoding="utf-8")
    (tmp_path / "ca.pem").chmod(0)
    body = "name: s\npools: pools.txt\npairs:\n" + PAIR.replace(
        "management_ip: 127.3.0.1/24,", "management_ip: 127.3.0.1/24, ca_file: ca.pem,"
    )
    (problem,) = _problems(_site(tmp_path, body), before_use=True)
    assert "pairs[0].primary.ca_file" in problem and "cannot be read" in problem


def test_one_ca_file_test_for_check_drift_and_the_clients(tmp_path: Path) -> None:
    """Missing and not a PEM certificate; `check` and drift ask without the PEM test (a CA file
    written by hand is theirs to name when missing), the appliance clients with it."""
    pem = tmp_path / "ca.pem"
    assert ca_file_fault(pem) == "missing" and ca_file_fault(tmp_path) == "missing"
    pem.write_text("PEM\n", encoding="utf-8")
    assert ca_file_fault(pem) is None
    assert ca_file_fault(pem, pem=True) == "not PEM"
    pem.write_text("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n", encoding="utf-8")
    assert ca_file_fault(pem, pem=True) is None
    if os.geteuid() != 0:  # root reads every file
        pem.chmod(0)
        assert ca_file_fault(pem, pem=True) == "unreadable"


def test_nat_servers_outside_the_service_subnet_are_located_in_the_pools_file(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR)
    pools = tmp_path / "pools.txt"
    pools.write_text(
        pools.read_text(encoding="utf-8").replace(
            "IMAP-143 - tcp 143 0 192.168.85.61", "IMAP-143 - tcp 143 0 10.1.1.1"
        ),
        encoding="utf-8",
    )
    (problem,) = _problems(site)
    assert problem.startswith(f"{pools}:12:1: SERV_IMAP-143: server 10.1.1.1 outside eas_service_subnet")
    assert f"({site}:10:25)" in problem


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (
            "service_gateway: 192.168.85.10",
            "service_gateway: 192.168.85.101",
            ":11:22: pairs[0].service_gateway: 192.168.85.101 is also the service_ip of lb1",
        ),
        (
            "management_ip: 127.3.0.2/24,",
            "management_ip: 127.3.0.1/24,",
            ":7:80: pairs[0].secondary.management_ip: 127.3.0.1 is also the management_ip of lb1",
        ),
        (
            "service_vip: 10.9.0.150",
            "service_vip: 127.3.0.2",
            ":9:18: pairs[0].service_vip: VIP 127.3.0.2 (SERV_HTTP-80, SERV_HTTPS-443, SERV_HTTPS-10000, "
            "SERV_IMAP-143) is also the management_ip of lb2",
        ),
        (
            "service_vip: 10.9.0.150",
            "service_vip: 192.168.85.10",
            ":9:18: pairs[0].service_vip: VIP 192.168.85.10 (SERV_HTTP-80, SERV_HTTPS-443, SERV_HTTPS-10000, "
            "SERV_IMAP-143) is also the service_gateway of p",
        ),
    ],
)
def test_an_address_given_to_two_things_is_refused(
    tmp_path: Path, before: str, after: str, expected: str
) -> None:
    assert before in PAIR
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR.replace(before, after))
    found = _problems(site)
    assert any(expected in problem for problem in found), found


def test_a_service_vip_on_a_management_vip_is_reported_once(tmp_path: Path) -> None:
    site = _site(
        tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR.replace("10.9.0.150", "10.225.37.227")
    )
    found = _problems(site)
    assert [problem.split(": ", 2)[-1] for problem in found] == [
        f"service VIP 10.225.37.227:{port} is already used by MGMT_{name}-{port}"
        for name, port in (("HTTP", 80), ("HTTPS", 443), ("HTTPS", 10000))
    ]


def test_two_service_pools_on_one_vip_and_port_are_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR)
    pools = tmp_path / "pools.txt"
    text = pools.read_text(encoding="utf-8").replace("IMAP-143 - tcp 143", "IMAP-143 - tcp 80")
    pools.write_text(text, encoding="utf-8")
    found = _problems(site)
    assert f"{pools}:12:1: SERV_IMAP-143: VIP 10.9.0.150:80 is also the VIP of SERV_HTTP-80" in found, found


#: The Layer 7 pair of a two-pair site (guide 8.1): management network only, no service keys.
MANAGEMENT_PAIR = """\
  - name: q
    serves: management
    primary: {name: lb3, endpoint: "https://127.3.0.3:10443", management_ip: 127.3.0.3/24}
    secondary: {name: lb4, endpoint: "https://127.3.0.4:10443", management_ip: 127.3.0.4/24}
"""
SERVICE_PAIR = PAIR.replace("  - name: p\n", "  - name: p\n    serves: service\n")


def test_a_pools_file_shared_by_two_pairs_reports_its_problem_once(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + SERVICE_PAIR + MANAGEMENT_PAIR)
    load_deployment(site)
    (tmp_path / "pools.txt").write_text("# nothing here\n", encoding="utf-8")
    found = _problems(site)
    assert len(found) == 1, found


def test_two_pairs_split_one_pools_file_each_bringing_up_only_its_vips(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + SERVICE_PAIR + MANAGEMENT_PAIR)
    service, management = load_deployment(site, before_use=True).pairs
    assert [pool.label for pool in service.pools.pools] == [
        "SERV_HTTP-80",
        "SERV_HTTPS-443",
        "SERV_HTTPS-10000",
        "SERV_IMAP-143",
    ]
    assert (service.scenario, management.scenario) == (1, 2)
    assert management.pools.management[0].label == "MGMT_HTTP-80"
    assert management.pools.service == () and management.service_vips == {}


def test_two_pairs_serving_the_same_sections_are_refused_at_the_serves_line(tmp_path: Path) -> None:
    second = MANAGEMENT_PAIR.replace("    serves: management\n", "")
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR + second)
    (problem,) = _problems(site)
    assert problem.startswith(f"{site}:12:5: pairs[1].serves: pair 'q' and pair 'p' (pairs[0]) both serve ")
    assert "'# MANAGEMENT' and '# SERVICE'" in problem
    assert "write 'serves: service' on pair 'p' and 'serves: management' on pair 'q'" in problem

    site = _site(
        tmp_path,
        "name: s\npools: pools.txt\npairs:\n"
        + SERVICE_PAIR
        + MANAGEMENT_PAIR.replace("serves: management", "serves: service"),
    )
    found = _problems(site)
    assert any(
        p.startswith(
            f"{site}:14:13: pairs[1].serves: pair 'q' and pair 'p' (pairs[0]) both serve '# SERVICE'"
        )
        for p in found
    ), found
    assert any("pairs[0].serves: '# MANAGEMENT' of" in p and "is served by no pair" in p for p in found), (
        found
    )


def test_a_pair_serving_management_only_has_no_service_network(tmp_path: Path) -> None:
    first = SERVICE_PAIR.replace("serves: service", "serves: management")
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + first)
    found = _problems(site)
    located = sorted(p.split(": ", 2)[1] for p in found)
    assert located == [
        "pairs[0].eas_service_subnet",
        "pairs[0].primary.service_ip",
        "pairs[0].secondary.service_ip",
        "pairs[0].serves",  # and '# SERVICE' is then served by no pair
        "pairs[0].service_gateway",
        "pairs[0].service_vip",
    ], found
    assert any("service_gateway belongs to the pair serving '# SERVICE'; move it there" in p for p in found)


def test_a_pair_serving_service_of_a_management_only_file_is_refused(tmp_path: Path) -> None:
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + SERVICE_PAIR, pools="pools-scenario2.txt")
    nothing, unserved = _problems(site)
    assert "pairs[0].serves: this pair serves '# SERVICE' only" in nothing
    assert "no '# SERVICE' section" in nothing
    assert "'# MANAGEMENT' of" in unserved and "is served by no pair" in unserved


def test_two_pairs_with_their_own_pools_files_cannot_share_a_vip_address(tmp_path: Path) -> None:
    second = MANAGEMENT_PAIR.replace("    serves: management\n", "    pools: other.txt\n")
    site = _site(tmp_path, "name: s\npools: pools.txt\npairs:\n" + PAIR + second)
    shutil.copy(EXAMPLES / "pools-scenario2.txt", tmp_path / "other.txt")
    found = _problems(site)
    assert any(
        p.startswith(
            f"{tmp_path / 'other.txt'}:3:1: VIP 10.225.37.227 (MGMT_HTTP-80) is also a VIP of pair 'p'"
        )
        for p in found
    ), found


def _scaffold(tmp_path: Path) -> Path:
    site_dir = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "eas_lb", "new-site", str(site_dir), "--scenario", "1"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return site_dir


def test_check_in_a_fresh_site_directory_finds_site_yaml_and_lists_every_placeholder_once(
    tmp_path: Path,
) -> None:
    site_dir = _scaffold(tmp_path)
    environment = {key: value for key, value in os.environ.items() if key != "EAS_SITE"}
    result = subprocess.run(
        [sys.executable, "-m", "eas_lb", "check"],
        cwd=site_dir,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert len(lines) == len(set(lines))
    assert lines[0].startswith(
        f"{site_dir / 'pools.txt'}:1:1: still the placeholder pools.txt written by new-site"
    )
    placeholders = [line for line in lines if "placeholder left by new-site (TODO" in line]
    assert len(placeholders) == (site_dir / "site.yaml").read_text(encoding="utf-8").count("# TODO")
    assert all(line.startswith("site.yaml:") for line in placeholders)
    assert any("pairs[0].primary.ca_file" in line and "does not exist" in line for line in lines)
    assert lines[-1] == f"{len(lines) - 1} problems found"
