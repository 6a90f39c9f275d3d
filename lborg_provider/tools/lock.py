"""Write `.terraform.lock.hcl` entries for `local/lborg/lborg` from the filesystem mirror.

`terraform init` through a filesystem mirror records only a locally computed checksum and warns
that the lock is incomplete; `cdktf deploy` and `cdktf diff` then try `terraform providers lock`
against the provider's (unreachable) registry host and fail. Locking from the mirror first
gives them a complete entry, so neither needs `--skip-provider-lock`.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from lborg_provider import PROVIDER_SOURCE
from lborg_provider.tools.cli_config import MirrorNotFound, configured_mirror

#: Where `eas-lb provider install` puts the mirror when run without `--dir`.
INSTALL_DEFAULT_MIRROR = Path("build/terraform-mirror")


class LockError(RuntimeError):
    """`terraform providers lock` failed; the message carries Terraform's own words."""


def default_mirror() -> Path:
    """The mirror of `TF_CLI_CONFIG_FILE`, else `build/terraform-mirror` when it exists here."""
    try:
        return configured_mirror(os.environ)
    except MirrorNotFound as error:
        if INSTALL_DEFAULT_MIRROR.is_dir():
            return INSTALL_DEFAULT_MIRROR
        raise LockError(str(error)) from None


def terraform_platform(terraform: str = "terraform") -> str:
    out = subprocess.run([terraform, "version", "-json"], capture_output=True, text=True, check=True).stdout
    platform: str = json.loads(out)["platform"]
    return platform


def lock_directories(
    directories: Iterable[Path], mirror_dir: Path, terraform: str = "terraform"
) -> list[Path]:
    """Lock our provider in every directory whose configuration uses it; return those directories."""
    directories = list(directories)
    for directory in directories:
        if not directory.is_dir():
            raise LockError(
                f"{directory}: no such directory; give the synthesized stack directories, "
                "e.g. eas-lb provider lock cdktf.out/stacks/* (run `cdktf synth` first)"
            )
        if not (directory / "cdk.tf.json").exists() and not any(directory.glob("*.tf")):
            raise LockError(f"{directory}: no cdk.tf.json or *.tf here; is it a synthesized stack directory?")
    if not mirror_dir.is_dir():
        raise LockError(f"the provider mirror {mirror_dir} does not exist; run `eas-lb provider install`")
    try:
        platform = terraform_platform(terraform)
    except (OSError, subprocess.CalledProcessError) as error:
        raise LockError(f"cannot run `{terraform} version`: {error}; is Terraform on the PATH?") from None
    locked = []
    for directory in directories:
        config = directory / "cdk.tf.json"
        if config.exists() and PROVIDER_SOURCE not in config.read_text():
            continue  # e.g. a VM stack: nothing of ours to lock
        result = subprocess.run(
            [
                terraform,
                "providers",
                "lock",
                f"-fs-mirror={mirror_dir.resolve()}",
                f"-platform={platform}",
                PROVIDER_SOURCE,
            ],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise LockError(
                f"{directory}: terraform providers lock failed: {result.stderr.strip() or result.stdout}"
            )
        locked.append(directory)
    return locked
