"""Where the repository is, for tests that read its examples, docs and templates."""

from __future__ import annotations

from pathlib import Path

#: The repository's root: tests/support/paths.py is two folders below it.
REPO_ROOT = Path(__file__).resolve().parents[2]
