"""The SSH features' pure parts: pools differences, the site sections, copies on disk, masking."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eas_lb.inputs.pools import parse_pools
from eas_lb.inputs.pools_diff import diff_pools
from eas_lb.inputs.site import SiteFileError, load_site
from eas_lb.inputs.site_ssh import APPLIANCE_CONFIG_PATH, GUIDE_POOLS_PATH, Backup, split_host
from eas_lb.operations.ssh.backups import (
    BackupError,
    appliance_access,
    check_configuration,
    copies,
    store_copy,
)
from eas_lb.operations.ssh.restore import MASK, mask_secrets, plan_restore

BASE = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116
IMAP-143 10.225.37.223 tcp 143 0 10.225.37.231 10.225.37.116
# SERVICE
HTTP-80 - tcp 80 2100 192.168.85.61 192.168.85.5
"""


def _kinds(old: str, new: str) -> list[tuple[str, str]]:
    return [(c.kind, c.label) for c in diff_pools(parse_pools(old), parse_pools(new))]


def test_pool_differences_ignore_order_comments_and_spacing() -> None:
    shuffled = (
        "# comment\nPOOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n"
        "IMAP-143  10.225.37.223 tcp 143 0 10.225.37.116 10.225.37.231\n"
        "HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116\n"
        "# SERVICE\nHTTP-80 - tcp 80 2100 192.168.85.5 192.168.85.61\n"
    )
    assert _kinds(BASE, shuffled) == []


def test_each_kind_of_pool_change_is_named() -> None:
    new = (
        BASE.replace("10.225.37.227 tcp 80 2100", "10.225.37.228 tcp 8080 0")
        .replace("IMAP-143 10.225.37.223 tcp 143 0 10.225.37.231 10.225.37.116\n", "")
        .replace("192.168.85.61 192.168.85.5", "192.168.85.61 192.168.85.6")
        + "HTTPS-443 - tcp 443 2100 192.168.85.61\n"
    )
    assert _kinds(BASE, new) == [
        ("address-changed", "MGMT_HTTP-80"),
        ("port-changed", "MGMT_HTTP-80"),
        ("sticky-changed", "MGMT_HTTP-80"),
        ("server-added", "SERV_HTTP-80"),
        ("server-removed", "SERV_HTTP-80"),
        ("pool-added", "SERV_HTTPS-443"),
        ("pool-removed", "MGMT_IMAP-143"),
    ]
    texts = [str(c) for c in diff_pools(parse_pools(BASE), parse_pools(new))]
    assert "MGMT_HTTP-80: sticky 2100 s -> not sticky" in texts
    assert "SERV_HTTPS-443: pool added (service VIP port 443, sticky 2100 s, servers 192.168.85.61)" in texts


def test_without_a_current_file_every_pool_is_added() -> None:
    assert {kind for kind, _ in _kinds_from_none()} == {"pool-added"}


def _kinds_from_none() -> list[tuple[str, str]]:
    return [(c.kind, c.label) for c in diff_pools(None, parse_pools(BASE))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10.0.0.1", ("10.0.0.1", 22)),
        ("eas1.example.net:2200", ("eas1.example.net", 2200)),
        ("[2001:db8::1]", ("2001:db8::1", 22)),
        ("[2001:db8::1]:2022", ("2001:db8::1", 2022)),
        ("2001:db8::1", ("2001:db8::1", 22)),
    ],
)
def test_hosts_are_written_as_ssh_users_write_them(text: str, expected: tuple[str, int]) -> None:
    assert split_host(text, 22) == expected


def _site(tmp_path: Path, extra: str) -> Path:
    site = tmp_path / "site.yaml"
    site.write_text(
        "name: s\npools: pools.txt\npairs:\n  - name: p1\n    primary: {name: lb1, "
        "endpoint: 'https://10.0.0.1:9443', management_ip: 10.0.0.1/24}\n"
        "    secondary: {name: lb2, endpoint: 'https://10.0.0.2:9443', management_ip: 10.0.0.2/24}\n" + extra
    )
    return site


def test_site_sections_have_the_guides_defaults_and_paths_relative_to_the_site(tmp_path: Path) -> None:
    site = load_site(
        _site(
            tmp_path,
            "eas: {hosts: [10.0.1.1, '10.0.1.2:2022'], key_file: ssh/eas, known_hosts: ssh/kh}\n"
            "backup: {key_file: ssh/lb, known_hosts: ssh/kh}\n",
        )
    )
    assert site.eas is not None and site.backup is not None
    assert site.eas.path == GUIDE_POOLS_PATH and site.eas.user == "defcraft" and site.eas.port == 22
    assert site.eas.endpoints() == [("10.0.1.1", "10.0.1.1", 22), ("10.0.1.2:2022", "10.0.1.2", 2022)]
    assert site.eas.key_file == tmp_path / "ssh" / "eas"
    assert site.backup.user == "root" and site.backup.config_path == APPLIANCE_CONFIG_PATH
    assert site.backup.directory == tmp_path / "backups"


@pytest.mark.parametrize("key", ["password", "key_passphrase", "private_key"])
def test_a_secret_in_the_site_file_is_refused_without_echoing_it(tmp_path: Path, key: str) -> None:
    path = _site(tmp_path, f"backup: {{key_file: k, known_hosts: kh, {key}: hunter2-value}}\n")
    with pytest.raises(SiteFileError) as error:
        load_site(path)
    assert "would put a secret in the site file" in str(error.value)
    assert "hunter2-value" not in str(error.value)


def test_bad_ssh_settings_are_located_in_the_site_file(tmp_path: Path) -> None:
    path = _site(tmp_path, "eas:\n  hosts: ['10.0.1.1:http']\n  key_file: k\n  known_hosts: kh\n")
    with pytest.raises(SiteFileError) as error:
        load_site(path)
    assert "site.yaml:8:" in str(error.value) and "port after ':'" in str(error.value)


def test_appliances_are_reached_at_their_api_host_unless_the_site_says_otherwise(tmp_path: Path) -> None:
    site = load_site(
        _site(
            tmp_path,
            "backup:\n  key_file: k\n  known_hosts: kh\n  port: 2200\n"
            "  appliances: {lb2: {host: 10.9.9.2, config_path: /srv/lb.xml}}\n",
        )
    )
    assert site.backup is not None
    first, second = appliance_access(site, site.backup)
    assert (first.target.host, first.target.port, first.config_path) == (
        "10.0.0.1",
        2200,
        APPLIANCE_CONFIG_PATH,
    )
    assert (second.target.host, second.config_path) == ("10.9.9.2", "/srv/lb.xml")
    assert str(first.target) == "root@[10.0.0.1]:2200"
    with pytest.raises(BackupError, match="no appliance 'lb9'"):
        appliance_access(site, site.backup, ["lb9"])


def test_backup_exceptions_must_name_appliances_of_the_site(tmp_path: Path) -> None:
    site = load_site(
        _site(tmp_path, "backup: {key_file: k, known_hosts: kh, appliances: {lb3: {port: 22}}}\n")
    )
    assert site.backup is not None
    with pytest.raises(BackupError, match="lb3, not an appliance of this site"):
        appliance_access(site, site.backup)


def _backup(tmp_path: Path, keep: int) -> Backup:
    return Backup(
        key_file=tmp_path / "k", known_hosts=tmp_path / "kh", directory=tmp_path / "copies", keep=keep
    )


def test_copies_are_owner_only_timestamped_deduplicated_and_pruned(tmp_path: Path) -> None:
    backup = _backup(tmp_path, keep=2)
    first = store_copy(backup, "lb1", b"<config>1</config>", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert first.written and first.path.name == "lb_config-20260102T030405Z.xml"
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(first.path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.directory.stat().st_mode) == 0o700
    same = store_copy(backup, "lb1", b"<config>1</config>")
    assert not same.written and same.path == first.path
    second = store_copy(backup, "lb1", b"<config>2</config>", datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert second.path.name == "lb_config-20260102T030405Z-2.xml"  # same second: never overwritten
    third = store_copy(backup, "lb1", b"<config>3</config>", datetime(2026, 1, 3, tzinfo=UTC))
    assert third.pruned == (first.path,)
    assert copies(backup.directory, "lb1") == [second.path, third.path]
    assert [p.name for p in backup.directory.rglob(".*")] == [".gitignore"]  # no partial files left
    assert (backup.directory / ".gitignore").read_text().splitlines()[-1] == "*"


def test_only_an_appliance_configuration_is_accepted() -> None:
    assert check_configuration(b"<config><haproxy/></config>", "x").tag == "config"
    with pytest.raises(BackupError, match="not XML"):
        check_configuration(b"<config>", "copy.xml")
    with pytest.raises(BackupError, match="its root is <html>"):
        check_configuration(b"<html/>", "copy.xml")


def test_a_configuration_declaring_entities_is_refused_not_expanded() -> None:
    """A backup or an appliance's answer is untrusted XML: an entity bomb is refused, not expanded."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE config [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<config>&b;</config>"
    )
    with pytest.raises(BackupError, match="not XML"):
        check_configuration(bomb, "copy.xml")


def test_secret_values_are_masked_in_the_restore_difference(tmp_path: Path) -> None:
    site = load_site(_site(tmp_path, "backup: {key_file: k, known_hosts: kh}\n"))
    assert site.backup is not None
    access = appliance_access(site, site.backup, ["lb1"])[0]
    current = (
        b"<config><heartbeat><password>old-hb-secret</password><vip>10.0.0.9</vip></heartbeat>"
        b"<haproxy><virtual><label>A</label></virtual></haproxy></config>"
    )
    saved = (
        b"<config><heartbeat><password>new-hb-secret</password></heartbeat>"
        b"<haproxy><virtual><label>A</label></virtual><virtual><label>B</label></virtual></haproxy></config>"
    )
    plan = plan_restore(access, current, saved, "copy.xml")
    text = "\n".join(plan.diff)
    assert "old-hb-secret" not in text and "new-hb-secret" not in text
    assert f"<password>{MASK}</password>" in text
    assert plan.secrets_differ == ["password"]
    assert any(line.startswith("+") and "<label>B</label>" in line for line in plan.diff)
    assert plan.reloads == ["haproxy", "ldirectord", "heartbeat"]
    assert plan.summary() == ["VIPs the restore brings back: B"]
    assert (
        mask_secrets('<snmp_community x="1">public</snmp_community>')
        == f'<snmp_community x="1">{MASK}</snmp_community>'
    )
    unchanged = plan_restore(access, saved, saved, "copy.xml")
    assert not unchanged.changes_anything and unchanged.reloads == ["haproxy", "ldirectord"]


def test_deploy_backs_up_both_nodes_of_each_lb_stack_it_deploys() -> None:
    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.commands.deploy import _stacks
    from eas_lb.operations.terraform.cdktf import PROJECT_ROOT

    deployment = load_deployment(PROJECT_ROOT / "examples" / "site-scenario1.yaml")
    assert _stacks(deployment, []) == (["scenario1-pair1-lb"], ["lb1", "lb2"])
    assert _stacks(deployment, ["scenario1-pair1-vms"]) == (["scenario1-pair1-vms"], [])
    with pytest.raises(ValueError, match="no stack other-lb in this site"):
        _stacks(deployment, ["other-lb"])


def test_deploy_without_a_backup_section_stops_and_names_the_opt_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eas_lb.cli import main as eas_main
    from eas_lb.operations.terraform.cdktf import PROJECT_ROOT

    site = tmp_path / "site.yaml"
    (tmp_path / "pools.txt").write_text(
        "POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\nHTTP-80 10.0.0.10 tcp 80 0 10.0.0.20\n"
    )
    site.write_text(
        "name: s\npools: pools.txt\npairs:\n  - name: p1\n    primary: {name: lb1, "
        "endpoint: 'https://10.0.0.1:9443', management_ip: 10.0.0.1/24}\n"
    )
    assert eas_main(["deploy", "--site", str(site), "--app-dir", str(PROJECT_ROOT)]) == 1
    err = capsys.readouterr().err
    assert "no `backup:` section" in err and "--no-backup" in err
