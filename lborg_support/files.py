"""Atomic file writes, with one guarantee everywhere: after a crash the file is whole, old or new.

The data is written to a temporary file in the same folder, flushed and fsynced, renamed over the
target, and then the folder itself is fsynced, so the rename survives a power loss too (rename alone
is atomic but not durable: see rename(2) and fsync(2) on directories). The temporary file is created
with the final mode, so a private file is never readable by others, not even for a moment.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

#: Mode of a new file that is not private: readable by all, as a file in a repository would be.
PUBLIC_MODE = 0o644
#: Mode of a file holding anything sensitive (keys, journals, backups): owner only.
PRIVATE_MODE = 0o600


def write_atomic(path: Path, data: bytes, *, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` so a crash leaves the old content or the new, never a mix.

    ``mode`` defaults to the mode of the file being replaced, else :data:`PUBLIC_MODE`. The parent
    folder is created when missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = PUBLIC_MODE
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        os.fchmod(descriptor, mode)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def write_private(path: Path, data: bytes) -> None:
    """An owner-only (0600) file, written atomically: keys, backups, journals."""
    write_atomic(path, data, mode=PRIVATE_MODE)


def fsync_directory(folder: Path) -> None:
    """Make the entries of ``folder`` (a rename, a new file) durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
