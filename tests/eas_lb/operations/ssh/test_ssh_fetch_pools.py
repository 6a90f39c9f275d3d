"""`eas-lb fetch-pools` against two stand-in EAS servers behind a real OpenSSH server.

The stand-ins are chroots of one sshd on 127.15.2.1 and 127.15.2.2 (a third address, 127.15.2.3,
has nothing listening), each with its own /home/defcraft/files/pools.txt, the guide's path.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.operations.terraform.cdktf import PROJECT_ROOT
from tests.support.sshd import SshServer, running_sshd

EAS = ("127.15.2.1", "127.15.2.2")
DOWN = "127.15.2.3"
PORT = 2222
GUIDE_PATH = "home/defcraft/files/pools.txt"
ORIGINAL = (PROJECT_ROOT / "examples" / "pools-scenario1.txt").read_text()


@dataclass
class EasSite:
    server: SshServer
    directory: Path
    site: Path
    pools: Path
    known_hosts: Path

    def publish(self, text: str, *servers: str) -> None:
        """Write pools.txt on the given stand-in EAS servers (all by default)."""
        for address in servers or EAS:
            target = self.server.root(address) / GUIDE_PATH
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)

    def fetch(self, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = eas_main(["fetch-pools", "--site", str(self.site), *extra])
        captured = capsys.readouterr()
        return code, captured.out, captured.err


@pytest.fixture(scope="module")
def sshd() -> Iterator[SshServer]:
    with running_sshd(EAS, PORT) as server:
        yield server


def _site_text(hosts: list[str], user: str, key_file: Path) -> str:
    host_lines = "".join(f"    - {host}\n" for host in hosts)
    return (
        "name: fetchtest\npools: pools.txt\n"
        "pairs:\n  - name: pair1\n    primary:\n      name: lb1\n"
        "      endpoint: https://127.15.1.1:9443\n      management_ip: 127.15.1.1/24\n"
        f"eas:\n  hosts:\n{host_lines}  port: {PORT}\n  user: {user}\n"
        f"  key_file: {key_file}\n  known_hosts: ssh/known_hosts\n"
    )


@pytest.fixture
def eas_site(sshd: SshServer, tmp_path: Path) -> EasSite:
    (tmp_path / "ssh").mkdir()
    known_hosts = sshd.write_known_hosts(tmp_path / "ssh" / "known_hosts")
    site = tmp_path / "site.yaml"
    hosts = [f"{address}" for address in EAS]
    site.write_text(_site_text(hosts, sshd.user, sshd.key_file))
    pools = tmp_path / "pools.txt"
    pools.write_text(ORIGINAL)
    result = EasSite(sshd, tmp_path, site, pools, known_hosts)
    result.publish(ORIGINAL)
    return result


CHANGED = (
    ORIGINAL.replace(  # a third EAS server behind HTTP-80 (management)
        "HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116",
        "HTTP-80 10.225.37.227 tcp 80 2100 10.225.37.231 10.225.37.116 10.225.37.117",
    )
    .replace("IMAP-143 10.225.37.223 tcp 143 0", "IMAP-143 10.225.37.223 tcp 143 600")  # now sticky
    .replace("MVWEBPROV-8087 10.225.37.224 tcp 8087 86400 10.225.37.231 10.225.37.116\n", "")
    .replace(
        "# SERVICE\n",
        "SIP-5060 10.225.37.225 tcp 5060 0 10.225.37.231 10.225.37.116\n\n# SERVICE\n",
    )
    .replace("HTTPS-443 - tcp 443 2100 192.168.85.61 192.168.85.5", "HTTPS-443 - tcp 8443 2100 192.168.85.61")
)


def test_same_file_everywhere_is_status_0(eas_site: EasSite, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = eas_site.fetch(capsys)
    assert code == 0, err
    assert "is the same as /home/defcraft/files/pools.txt on 127.15.2.1, 127.15.2.2" in out
    # The site names no EAS server: the addresses to name are listed per layer, never paired.
    assert (
        "note: eas_servers: names no EAS server with these addresses (management: 10.225.37.231, "
        "10.225.37.116; service: 192.168.85.61, 192.168.85.5)" in err
    ), err


def test_a_changed_pools_txt_is_fetched_and_shown_in_pool_terms(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str]
) -> None:
    eas_site.publish(CHANGED)
    code, out, err = eas_site.fetch(capsys)
    assert code == 2, err
    lines = [line.strip() for line in out.splitlines()]
    assert "MGMT_HTTP-80: server 10.225.37.117 added" in lines
    assert "MGMT_IMAP-143: not sticky -> sticky 600 s" in lines
    assert any(line.startswith("MGMT_MVWEBPROV-8087: pool removed") for line in lines)
    assert any(line.startswith("MGMT_SIP-5060: pool added (10.225.37.225:5060, not sticky") for line in lines)
    assert "SERV_HTTPS-443: port 443 -> 8443" in lines
    assert "SERV_HTTPS-443: server 192.168.85.5 removed" in lines
    assert len([line for line in lines if line.startswith(("MGMT_", "SERV_"))]) == 6
    assert eas_site.pools.read_text() == ORIGINAL  # not written without --write

    code, out, _ = eas_site.fetch(capsys, "--write")
    assert code == 2 and f"wrote {eas_site.pools}" in out
    assert eas_site.pools.read_text() == CHANGED
    code, _, _ = eas_site.fetch(capsys)
    assert code == 0


def test_servers_that_disagree_are_named_and_nothing_is_written(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str]
) -> None:
    eas_site.publish(CHANGED, EAS[1])
    code, out, err = eas_site.fetch(capsys, "--write")
    assert code == 1
    assert "do not hold the same /home/defcraft/files/pools.txt" in err
    assert re.search(r"version [0-9a-f]{12}: 127\.15\.2\.1$", err, re.MULTILINE)
    assert re.search(r"version [0-9a-f]{12}: 127\.15\.2\.2$", err, re.MULTILINE)
    assert "127.15.2.2 differs from 127.15.2.1:" in out
    assert "server 10.225.37.117 added" in out
    assert eas_site.pools.read_text() == ORIGINAL


def test_an_unreachable_server_is_reported_and_can_be_required(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str]
) -> None:
    eas_site.site.write_text(_site_text([*EAS, DOWN], eas_site.server.user, eas_site.server.key_file))
    code, _, err = eas_site.fetch(capsys)
    assert code == 0
    assert f"{DOWN}: root@[{DOWN}]:{PORT}: cannot connect" in err
    code, _, _ = eas_site.fetch(capsys, "--require-all")
    assert code == 1


def test_nothing_reachable_is_status_1(eas_site: EasSite, capsys: pytest.CaptureFixture[str]) -> None:
    eas_site.site.write_text(_site_text([DOWN], eas_site.server.user, eas_site.server.key_file))
    code, _, err = eas_site.fetch(capsys, "--write")
    assert code == 1
    assert "could not fetch /home/defcraft/files/pools.txt from any EAS server" in err
    assert eas_site.pools.read_text() == ORIGINAL


def test_an_unknown_host_key_is_refused_with_the_line_to_add(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str]
) -> None:
    eas_site.known_hosts.write_text("")
    code, _, err = eas_site.fetch(capsys)
    assert code == 1
    assert "unknown host key ssh-ed25519 SHA256:" in err
    expected_line = f"[{EAS[0]}]:{PORT} {eas_site.server.host_public_key}"
    assert expected_line in err
    keyscan = f"ssh-keyscan -p {PORT} -t ed25519 {EAS[0]}"
    assert f"`{keyscan}`" in err
    scanned = subprocess.run(keyscan.split(), capture_output=True, text=True, timeout=30, check=False)
    assert expected_line in scanned.stdout.splitlines()  # the suggested command gives the same line
    # Accepting it is exactly adding the lines the message printed.
    added = [line.strip() for line in err.splitlines() if line.strip().startswith("[127.15.2.")]
    eas_site.known_hosts.write_text("\n".join(added) + "\n")
    code, _, err = eas_site.fetch(capsys)
    assert code == 0, err


def test_hashed_known_hosts_entries_are_recognized(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ssh-keyscan -H` / `ssh-keygen -H` write hashed host names; they verify the same way."""
    subprocess.run(
        ["ssh-keygen", "-q", "-H", "-f", str(eas_site.known_hosts)], check=True, capture_output=True
    )
    assert "127.15.2.1" not in eas_site.known_hosts.read_text()
    code, _, err = eas_site.fetch(capsys)
    assert code == 0, err


def test_a_changed_host_key_is_refused(
    eas_site: EasSite, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    other = tmp_path / "other_host_key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    fake = " ".join(other.with_suffix(".pub").read_text().split()[:2])
    eas_site.known_hosts.write_text(f"[{EAS[0]}]:{PORT} {fake}\n[{EAS[1]}]:{PORT} {fake}\n")
    code, _, err = eas_site.fetch(capsys)
    assert code == 1
    assert "the host key CHANGED" in err
    assert f"ssh-keygen -R '[{EAS[0]}]:{PORT}'" in err


def test_the_private_key_never_appears_in_output(eas_site: EasSite) -> None:
    """Run as users do (a new process), failing and succeeding, and look for the key in everything."""
    key_text = eas_site.server.key_file.read_text()
    key_body = "".join(line for line in key_text.splitlines() if not line.startswith("-----"))
    outputs = []
    for known_hosts in ("", eas_site.server.known_hosts_lines()):
        eas_site.known_hosts.write_text(known_hosts)
        result = subprocess.run(
            [sys.executable, "-m", "eas_lb", "fetch-pools", "--site", str(eas_site.site), "--json"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        outputs.append(result.stdout + result.stderr)
    assert '"outcome": "not-fetched"' in outputs[0] and '"outcome": "same"' in outputs[1]
    for output in outputs:
        assert key_body[:40] not in output and key_body[-40:] not in output
        assert "PRIVATE KEY" not in output


def test_a_site_without_eas_section_says_what_to_add(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site.yaml"
    site.write_text(_site_text(["127.15.2.1"], "root", tmp_path / "key").split("eas:")[0])
    assert eas_main(["fetch-pools", "--site", str(site)]) == 1
    assert "no `eas:` section" in capsys.readouterr().err
