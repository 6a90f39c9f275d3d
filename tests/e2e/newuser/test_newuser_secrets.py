"""A site repository never stages a secret: keys and backups where the README puts them stay out of
`git add -A` (fast; a real git repository, nothing deployed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main

#: Where the README and docs/site-file.md tell a user to put each secret, and files that must be
#: committed beside them.
SECRETS = [
    "ssh/eas_ed25519",  # eas.key_file
    "ssh/lb_ed25519",  # backup.key_file
    "ssh/id_rsa",
    "backups/lb1/lb_config-20261203T101500Z.xml",  # backup.directory
    "backups/lb2/lb_config-20261203T101500Z.xml",
    "secrets/lborg_api_key",  # api_key_file
    "lb1-api.key",
    ".env",
]
PUBLIC = ["ssh/known_hosts", "ssh/eas_ed25519.pub", "ca/appliance-ca.pem", "site.yaml", "pools.txt"]


def _git(site: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=site,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_git_add_all_stages_no_key_and_no_backup(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    site = tmp_path / "site"
    assert eas_main(["new-site", str(site), "--no-input", "--appliance", "127.14.60.1"]) == 0
    for name in [*SECRETS, *PUBLIC]:
        path = site / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n" if name in SECRETS else "public\n")
    _git(site, "init", "-q")
    _git(site, "add", "-A")
    staged = set(_git(site, "diff", "--cached", "--name-only").split())
    assert not staged & set(SECRETS), f"secrets staged: {sorted(staged & set(SECRETS))}"
    assert set(PUBLIC) <= staged
    assert ".gitignore" in staged and ".github/workflows/plan-review.yml" in staged
