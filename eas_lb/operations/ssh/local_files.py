"""Local folders the SSH commands write into: backups live in owner-only (0700) folders.

The files themselves go through `lborg_support.files` (`write_private` for backups, `write_atomic`
for pools.txt), so a crash leaves the old file or the new one and the rename is made durable.
"""

from __future__ import annotations

import os
from pathlib import Path


def private_directory(path: Path) -> Path:
    """Create `path` (and parents) and make it owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path
