"""Local files the SSH commands write: backups (owner-only) and pools.txt (for the repository).

Both go through `lborg_support.files.write_atomic`, so a crash leaves the old file or the new one,
never half of one, and the rename itself is made durable (the folder is synced too).
"""

from __future__ import annotations

import os
from pathlib import Path

from lborg_support.files import write_atomic, write_private

__all__ = ["private_directory", "write_private", "write_public"]


def write_public(path: Path, data: bytes) -> None:
    """A file for the repository (pools.txt): keeps the mode of the file it replaces, else 0644."""
    write_atomic(path, data)


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) and make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path
