"""Suite-wide settings: which tests may run side by side under pytest-xdist, and in which order.

`make test` runs the suite on several workers (``-n``). Two tests may run at the same time only if
they never share a loopback address or a file:
- most folders own one loopback /16 with fixed addresses per module (the simulator suite's
  127.1, conformance's 127.10, the new-user suite's 127.14, ...): such a folder is one unit of work
  and runs on one worker, its modules one after another, as in a serial run; a module with a /16
  of its own inside such a folder (`_OWN_UNITS`) is a unit by itself;
- the provider and reliability suites take each simulator's addresses from ``next_subnet()``
  (``tests/support/terraform.py``), which gives every worker its own /16, so each of their
  modules is a unit.

Units start longest first (costs measured on the project's 2-core machine), so the last unit to
finish is a short one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

#: Folders whose modules may run side by side with each other.
_MODULE_UNITS = frozenset({"tests/lborg_provider", "tests/reliability"})
#: Modules on a loopback range of their own inside a folder that shares one: a unit each, so a long
#: one does not hold its folder's worker (the day-two sessions: 127.26; the rest of tests/e2e: 127.5).
_OWN_UNITS = frozenset({"tests/e2e/test_day_two_sessions.py"})

#: The provider's fixtures (a simulated appliance, terraform with the provider mirror), shared by the
#: provider and reliability suites.
pytest_plugins = ["tests.support.provider_fixtures"]

#: Seconds a unit took in a serial run (only the order of units depends on these figures).
_COST = {
    "tests/reliability/test_rel_interrupts.py": 85,
    "tests/reliability/test_rel_faults.py": 81,
    "tests/e2e/newuser": 80,
    "tests/e2e": 150,
    "tests/e2e/test_day_two_sessions.py": 180,
    "tests/e2e/twopairs": 130,
    "tests/e2e/reviewed": 180,
    "tests/lborg_simulator": 100,
    "tests/eas_lb/operations/adopt": 40,
    "tests/eas_lb/operations/plan_review": 42,
    "tests/eas_lb/operations/drift": 45,
    "tests/eas_lb/operations/servers": 110,
    "tests/eas_lb/synth": 70,
    "tests/eas_lb/operations/labels": 70,
    "tests/bench": 33,
    "tests/lborg_provider/test_provider_takeover.py": 33,
    "tests/eas_lb/operations/ssh": 30,
    "tests/e2e/team": 26,
    "tests/lborg_provider/test_provider_commit_depends_on.py": 45,
    "tests/lborg_provider/test_provider_ha_state.py": 23,
    "tests/reliability/test_rel_redeploy.py": 22,
    "tests/reliability/test_rel_drift.py": 20,
    "tests/lborg_provider/test_provider_layouts.py": 19,
    "tests/lborg_provider/test_provider_lifecycle.py": 18,
}


def unit_of(nodeid: str) -> str:
    """The unit of work a test belongs to: its folder, or its module for `_MODULE_UNITS`."""
    module = nodeid.split("::", 1)[0]
    folder = Path(module).parent.as_posix()
    return module if folder in _MODULE_UNITS or module in _OWN_UNITS else folder


#: Fixtures that start a real process (a simulated appliance with its HAProxy, an OpenSSH server):
#: a test that uses one is `slow`, so `make unit` stays in-process and quick.
_PROCESS_FIXTURES = frozenset({"sim", "simulator", "appliance", "sshd"})


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark tests that start processes as slow; longest units first (a stable sort keeps each
    module's own order)."""
    for item in items:
        if _PROCESS_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    items.sort(key=lambda item: -_COST.get(unit_of(item.nodeid), 0))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Hand out whole units (see the module docstring), in collection order."""
    from xdist.scheduler import LoadScopeScheduling

    class UnitScheduling(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return unit_of(nodeid)

    config.option.loadscopereorder = False
    return UnitScheduling(config, log)
