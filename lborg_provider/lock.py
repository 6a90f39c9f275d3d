"""Write `.terraform.lock.hcl` entries for `local/lborg/lborg` from the filesystem mirror.

`terraform init` through a filesystem mirror records only a locally computed checksum and warns
that the lock is incomplete; `cdktf deploy` and `cdktf diff` then try `terraform providers lock`
against the provider's (unreachable) registry host and fail. Locking from the mirror first
gives them a complete entry, so neither needs `--skip-provider-lock`.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

from lborg_provider import PROVIDER_SOURCE


class LockError(RuntimeError):
    """`terraform providers lock` failed; the message carries Terraform's own words."""


def terraform_platform(terraform: str = "terraform") -> str:
    out = subprocess.run([terraform, "version", "-json"], capture_output=True, text=True, check=True).stdout
    platform: str = json.loads(out)["platform"]
    return platform


def lock_directories(
    directories: Iterable[Path], mirror_dir: Path, terraform: str = "terraform"
) -> list[Path]:
    """Lock our provider in every directory whose configuration uses it; return those directories."""
    platform = terraform_platform(terraform)
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
