"""Put a saved lb_config.xml back on an appliance and make its services use it.

What the vendor's WebUI restore does ("Upload XML file & Restore"), done over SSH and the API:
the file replaces `/etc/loadbalancer.org/lb_config.xml` (written beside it and renamed over it,
so the appliance never reads half a file), then `reload-haproxy` and `reload-ldirectord` apply its
Layer 7 and Layer 4 services, and `reload-heartbeat` its floating IPs when they differ. The file
being replaced is saved as a backup first, so a restore can itself be undone.

The difference shown before asking is the file's text, with the values of elements whose names
say they hold a secret (password, secret, key, community, token) replaced by `********`.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

from eas_lb.operations.ssh.backups import ApplianceAccess, check_configuration

MASK = "********"
_SECRET_ELEMENT = re.compile(
    r"<(?P<tag>[\w.-]*(?:pass|secret|community|token|key)[\w.-]*)(?P<attrs>\s[^>]*)?>(?P<value>[^<]+)</(?P=tag)>",
    re.IGNORECASE,
)
SERVICE_SECTIONS = {"haproxy": "haproxy", "ldirectord": "ldirectord", "heartbeat": "heartbeat"}


@dataclass(frozen=True)
class RestorePlan:
    """What a restore would change: the masked text difference and the services to reload."""

    diff: list[str]
    secrets_differ: list[str]  # element names whose (hidden) values differ
    reloads: list[str]
    vips: dict[str, list[str]]  # "back" / "gone" / "changed" -> VIP labels

    def summary(self) -> list[str]:
        words = {
            "back": "VIPs the restore brings back",
            "gone": "VIPs it removes",
            "changed": "VIPs it changes",
        }
        return [f"{words[key]}: {', '.join(labels)}" for key, labels in self.vips.items() if labels]

    @property
    def changes_anything(self) -> bool:
        return bool(self.diff) or bool(self.secrets_differ)


def _display_lines(data: bytes) -> list[str]:
    """The configuration as lines to compare: pretty-printed when it is XML, else as it is."""
    try:
        root = defused_fromstring(data)
    except (ParseError, DefusedXmlException):
        return data.decode("utf-8", errors="replace").splitlines()
    for element in root.iter():
        if element.text is not None and not element.text.strip():
            element.text = None
        element.tail = None
    ET.indent(root)
    return ET.tostring(root, encoding="unicode").splitlines()


def mask_secrets(line: str) -> str:
    return _SECRET_ELEMENT.sub(lambda m: f"<{m['tag']}{m['attrs'] or ''}>{MASK}</{m['tag']}>", line)


def _secret_values(lines: list[str]) -> list[tuple[str, str]]:
    return [(m["tag"], m["value"]) for line in lines for m in _SECRET_ELEMENT.finditer(line)]


def _section(data: bytes, name: str) -> bytes | None:
    try:
        root = defused_fromstring(data)
    except (ParseError, DefusedXmlException):
        return None
    found = root.find(name)
    return b"" if found is None else ET.tostring(found)


def _virtuals(data: bytes) -> dict[str, bytes]:
    """VIP label -> its canonical XML, over both layers (empty when the file is not XML)."""
    try:
        root = defused_fromstring(data)
    except (ParseError, DefusedXmlException):
        return {}
    found = {}
    for section in ("haproxy", "ldirectord"):
        for virtual in root.findall(f"{section}/virtual"):
            label = (virtual.findtext("label") or "").strip()
            found[label] = ET.tostring(virtual)
    return found


def plan_restore(access: ApplianceAccess, current: bytes, saved: bytes, saved_name: str) -> RestorePlan:
    """Compare the appliance's file with the saved copy (which must be a configuration)."""
    check_configuration(saved, saved_name)
    before, after = _display_lines(current), _display_lines(saved)
    diff = list(
        difflib.unified_diff(
            [mask_secrets(line) for line in before],
            [mask_secrets(line) for line in after],
            fromfile=f"{access.name}:{access.config_path} (on the appliance now)",
            tofile=f"{saved_name} (to restore)",
            lineterm="",
        )
    )
    old_secrets, new_secrets = _secret_values(before), _secret_values(after)
    secrets_differ = sorted(
        {tag for tag, _ in old_secrets} ^ {tag for tag, _ in new_secrets}
        | {
            tag
            for tag in {t for t, _ in old_secrets} & {t for t, _ in new_secrets}
            if [v for t, v in old_secrets if t == tag] != [v for t, v in new_secrets if t == tag]
        }
    )
    reloads = ["haproxy", "ldirectord"]
    if _section(current, "heartbeat") != _section(saved, "heartbeat"):
        reloads.append("heartbeat")
    old_vips, new_vips = _virtuals(current), _virtuals(saved)
    vips = {
        "back": sorted(set(new_vips) - set(old_vips)),
        "gone": sorted(set(old_vips) - set(new_vips)),
        "changed": sorted(
            label for label in set(old_vips) & set(new_vips) if old_vips[label] != new_vips[label]
        ),
    }
    return RestorePlan(diff, secrets_differ, reloads, vips)
