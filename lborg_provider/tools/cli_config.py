"""Find the provider's filesystem mirror from the Terraform CLI config in `TF_CLI_CONFIG_FILE`.

`install` writes that config; reading the mirror's path back from it means `lock` (and the site
app's automatic locking) works from any directory, not only where `install` ran.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from lborg_provider import PROVIDER_SOURCE

_MIRROR_BLOCK = re.compile(r"filesystem_mirror\s*\{(?P<body>[^}]*)\}", re.S)
_PATH = re.compile(r'path\s*=\s*"(?P<path>(?:[^"\\]|\\.)*)"')

INSTALL_HINT = "run `eas-lb provider install` and export TF_CLI_CONFIG_FILE=<the path it prints last>"


class MirrorNotFound(LookupError):
    """No CLI config installs the provider from a filesystem mirror; the message says what to run."""


def mirror_from_cli_config(text: str) -> Path | None:
    """The `path` of the filesystem mirror that includes our provider, if the config has one."""
    for block in _MIRROR_BLOCK.finditer(text):
        body = block.group("body")
        if PROVIDER_SOURCE not in body:
            continue
        found = _PATH.search(body)
        if found:
            return Path(found.group("path").replace('\\"', '"').replace("\\\\", "\\"))
    return None


def configured_mirror(env: Mapping[str, str]) -> Path:
    """The mirror Terraform will use for `local/lborg/lborg`, or `MirrorNotFound` saying how to fix it."""
    config = env.get("TF_CLI_CONFIG_FILE")
    if not config:
        raise MirrorNotFound(
            f"TF_CLI_CONFIG_FILE is not set, so Terraform cannot find {PROVIDER_SOURCE}: " + INSTALL_HINT
        )
    try:
        text = Path(config).read_text(encoding="utf-8")
    except OSError as error:
        raise MirrorNotFound(
            f"TF_CLI_CONFIG_FILE={config}: cannot read it ({error.strerror}): " + INSTALL_HINT
        ) from None
    mirror = mirror_from_cli_config(text)
    if mirror is None:
        raise MirrorNotFound(
            f"TF_CLI_CONFIG_FILE={config} has no filesystem_mirror for {PROVIDER_SOURCE}: " + INSTALL_HINT
        )
    if not mirror.is_dir():
        raise MirrorNotFound(f"the provider mirror {mirror} (from {config}) does not exist: " + INSTALL_HINT)
    return mirror
