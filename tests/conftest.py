"""Suite-wide settings: which tests may run side by side under pytest-xdist.

Each top folder of ``tests/`` owns its own loopback /16 and its own working folders, so two folders
never share an address or a file; tests inside one folder may (a simulator per module on fixed
addresses). ``--dist loadgroup`` keeps each folder on one worker and spreads folders over workers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

_TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.path)).relative_to(_TESTS).parts[0]
        item.add_marker(pytest.mark.xdist_group(folder))
