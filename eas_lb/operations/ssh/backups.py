"""Copies of each appliance's lb_config.xml, taken over SFTP, kept as timestamped owner-only files.

API v2 has no backup or export action; the appliance's whole configuration is one file,
`/etc/loadbalancer.org/lb_config.xml`, and the vendor's own restore imports that file. A copy is
`DIRECTORY/APPLIANCE/lb_config-YYYYMMDDTHHMMSSZ.xml` (mode 0600, directories 0700): the file can
hold secrets of the appliance's own (HA and service passwords), so it is treated like a key. A
copy identical to the newest one is not written again, so `keep` counts distinct configurations.
The directory gets a `.gitignore` that ignores everything in it, as it usually sits in the site's
repository.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from eas_lb.inputs.site import Node, Site
from eas_lb.inputs.site_ssh import Backup
from eas_lb.operations.ssh.local_files import private_directory
from eas_lb.operations.ssh.session import SshError, SshTarget, read_remote, sftp_session
from lborg_support.files import write_private

COPY_PREFIX = "lb_config-"
COPY_SUFFIX = ".xml"


class BackupError(Exception):
    """A backup that could not be taken or a copy that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class ApplianceAccess:
    """How one appliance's configuration file is reached over SSH."""

    node: Node
    target: SshTarget
    config_path: str

    @property
    def name(self) -> str:
        return self.node.name


@dataclass(frozen=True)
class BackupCopy:
    appliance: str
    path: Path
    written: bool  # False: identical to the newest copy, which is `path`
    pruned: tuple[Path, ...] = ()


def site_nodes(site: Site) -> list[Node]:
    return [node for pair in site.pairs for node in pair.nodes]


def backup_settings(site: Site, source: Path) -> Backup:
    if site.backup is None:
        raise BackupError(
            f"{source}: no `backup:` section; add one, e.g.\n"
            "backup:\n  user: root\n  key_file: ssh/lb_ed25519\n  known_hosts: ssh/known_hosts\n"
            "  directory: backups\n  keep: 30"
        )
    return site.backup


def appliance_access(site: Site, backup: Backup, names: Iterable[str] | None = None) -> list[ApplianceAccess]:
    """The appliances to reach (all of the site's, or those named), with any per-appliance exception."""
    nodes = {node.name: node for node in site_nodes(site)}
    unknown = sorted(set(backup.appliances) - set(nodes))
    if unknown:
        raise BackupError(
            f"backup.appliances names {', '.join(unknown)}, not an appliance of this site "
            f"(known: {', '.join(nodes)})"
        )
    wanted = list(nodes) if names is None else list(names)
    result = []
    for name in wanted:
        if name not in nodes:
            raise BackupError(f"no appliance {name!r} in this site (known: {', '.join(nodes)})")
        node = nodes[name]
        exception = backup.appliances.get(name)
        host = (exception.host if exception else None) or urlsplit(node.endpoint).hostname or ""
        port = (exception.port if exception else None) or backup.port
        path = (exception.config_path if exception else None) or backup.config_path
        result.append(ApplianceAccess(node, SshTarget(host, port, backup), path))
    return result


def check_configuration(data: bytes, where: str) -> ET.Element:
    """An appliance configuration: XML whose root is `<config>`."""
    try:
        root: ET.Element = defused_fromstring(data)
    except (ParseError, DefusedXmlException) as error:
        raise BackupError(f"{where} is not an appliance configuration: not XML ({error})") from None
    if root.tag != "config":
        raise BackupError(
            f"{where} is not an appliance configuration: its root is <{root.tag}>, not <config>"
        )
    return root


def _age_key(path: Path) -> tuple[str, int]:
    """`lb_config-STAMP[-N].xml` -> (STAMP, N): a second copy in the same second sorts after the first."""
    stamp, _, counter = path.name.removeprefix(COPY_PREFIX).removesuffix(COPY_SUFFIX).partition("-")
    return stamp, int(counter) if counter.isdigit() else 1


def copies(directory: Path, appliance: str) -> list[Path]:
    """The appliance's copies, oldest first."""
    folder = directory / appliance
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(COPY_PREFIX) and p.name.endswith(COPY_SUFFIX)]
    return sorted(found, key=_age_key)


def _new_name(folder: Path, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    candidate = folder / f"{COPY_PREFIX}{stamp}{COPY_SUFFIX}"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{COPY_PREFIX}{stamp}-{counter}{COPY_SUFFIX}"
    return candidate


def store_copy(backup: Backup, appliance: str, data: bytes, now: datetime | None = None) -> BackupCopy:
    """Keep `data` as the newest copy of `appliance` (unless it is the newest already), then prune."""
    folder = private_directory(backup.directory / appliance)
    private_directory(backup.directory)
    ignore = backup.directory / ".gitignore"
    if not ignore.exists():  # copies can hold secrets: never committed by a careless `git add .`
        write_private(ignore, b"# lb_config.xml copies (eas-lb backup): never commit them\n*\n")
    existing = copies(backup.directory, appliance)
    if existing and existing[-1].read_bytes() == data:
        return BackupCopy(appliance, existing[-1], written=False)
    target = _new_name(folder, now or datetime.now(UTC))
    write_private(target, data)
    kept = copies(backup.directory, appliance)
    surplus = kept[: max(0, len(kept) - backup.keep)]
    for old in surplus:
        old.unlink()
    return BackupCopy(appliance, target, written=True, pruned=tuple(surplus))


def fetch_configuration(access: ApplianceAccess) -> bytes:
    with sftp_session(access.target) as sftp:
        data = read_remote(sftp, access.target, access.config_path)
    check_configuration(data, f"{access.target}:{access.config_path}")
    return data


def take_backup(backup: Backup, access: ApplianceAccess) -> BackupCopy:
    try:
        data = fetch_configuration(access)
    except SshError as error:
        raise BackupError(f"backup of {access.name} failed: {error}") from None
    except BackupError as error:
        raise BackupError(f"backup of {access.name} failed: {error}") from None
    try:
        return store_copy(backup, access.name, data)
    except OSError as error:
        raise BackupError(
            f"backup of {access.name} failed: cannot write to {backup.directory}: {error}"
        ) from None


def take_backups(backup: Backup, appliances: list[ApplianceAccess]) -> tuple[list[BackupCopy], list[str]]:
    """Back up every appliance; failures are collected (one per appliance), never stop the others."""
    done: list[BackupCopy] = []
    failed: list[str] = []
    for access in appliances:
        try:
            done.append(take_backup(backup, access))
        except BackupError as error:
            failed.append(str(error))
    return done, failed


def describe(copy: BackupCopy) -> str:
    if not copy.written:
        return f"{copy.appliance}: unchanged since {copy.path}"
    pruned = f" (removed {len(copy.pruned)} older)" if copy.pruned else ""
    return f"{copy.appliance}: saved {copy.path}{pruned}"
