"""Commands on a site of two HA pairs fed by one pools.txt (guide 8.1), in process, no network:
`check` shows each pair's part; `fetch-pools` names the pair each change goes to."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.site import load_site
from eas_lb.inputs.site_ssh import EasServers
from eas_lb.operations.commands import fetch_pools
from eas_lb.operations.ssh.pools_fetch import FetchedCopy, FetchOutcome
from tests.support.paths import REPO_ROOT

EXAMPLES = REPO_ROOT / "examples"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copy(EXAMPLES / "site-scenario1-two-pairs.yaml", tmp_path / "site.yaml")
    shutil.copy(EXAMPLES / "pools-scenario1.txt", tmp_path / "pools-scenario1.txt")
    (tmp_path / "ca").mkdir()
    (tmp_path / "ca" / "lb-ca.pem").write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    return tmp_path / "site.yaml"


def test_check_prints_a_table_per_pair_with_only_its_section(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert eas_main(["check", "--site", str(site)]) == 0
    out = capsys.readouterr().out
    service, management = out.split(", pair management (serves: management):\n")
    assert service.splitlines()[0].endswith(", pair service (serves: service):")
    assert "SERV_HTTP-80" in service and "MGMT_" not in service
    assert "MGMT_HTTP-80" in management and "SERV_" not in management
    assert "this pair: 0 management, 4 service pools" in service
    assert "this pair: 5 management, 0 service pools" in management


def test_fetch_pools_names_the_pair_each_change_goes_to(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = site.parent / "pools-scenario1.txt"
    fetched = local.read_bytes().replace(
        b"IMAP-143 10.225.37.223 tcp 143 0", b"IMAP-143 10.225.37.223 tcp 143 60"
    )
    fetched = fetched.replace(
        b"IMAP-143 - tcp 143 0 192.168.85.61", b"IMAP-143 - tcp 143 0 192.168.85.62 192.168.85.61"
    )
    outcome = FetchOutcome(copies=[FetchedCopy("eas1", fetched)])
    args = SimpleNamespace(json=False, write=False, require_all=False)
    eas = EasServers(hosts=("eas1",), key_file=site.parent / "key", known_hosts=site.parent / "known_hosts")
    pairs = fetch_pools._serving_pairs(load_site(site))
    assert fetch_pools._report(args, eas, local, outcome, pairs) == fetch_pools.EXIT_DIFFERS
    lines = capsys.readouterr().out.splitlines()
    assert "  MGMT_IMAP-143: not sticky -> sticky 60 s (pair management)" in lines, lines
    assert "  SERV_IMAP-143: server 192.168.85.62 added (pair service)" in lines, lines

    args.json = True
    assert fetch_pools._report(args, eas, local, outcome, pairs) == fetch_pools.EXIT_DIFFERS
    report = json.loads(capsys.readouterr().out)
    assert {(change["pool"], change["pair"]) for change in report["changes"]} == {
        ("MGMT_IMAP-143", "management"),
        ("SERV_IMAP-143", "service"),
    }


def test_deploy_and_backup_cover_the_four_appliances_of_both_pairs(site: Path) -> None:
    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.commands.deploy import _stacks
    from eas_lb.operations.ssh.backups import site_nodes

    deployment = load_deployment(site)
    stacks, appliances = _stacks(deployment, [])
    assert stacks == ["scenario1x2-service-lb", "scenario1x2-management-lb"]
    assert appliances == ["lb1", "lb2", "lb3", "lb4"]  # deploy's backups: every appliance it configures
    assert _stacks(deployment, ["scenario1x2-management-lb"])[1] == ["lb3", "lb4"]
    assert [node.name for node in site_nodes(deployment.site)] == ["lb1", "lb2", "lb3", "lb4"]  # backup
