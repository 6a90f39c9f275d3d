"""Paths that site repositories and the README use keep working after the move into layers.

Old import paths are aliases that warn with the new path; the documented `python -m` entry
points run the same commands as before, with the same usage line.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import warnings

import pytest


def _import_fresh(name: str) -> tuple[object, list[warnings.WarningMessage]]:
    sys.modules.pop(name, None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(name)
    return module, list(caught)


@pytest.mark.parametrize(
    ("old", "new", "names"),
    [
        ("eas_lb.site_app", "eas_lb.synth.site_app", ["run_site_app"]),
        ("eas_lb.site", "eas_lb.inputs.site", ["load_site", "load_deployment", "Site"]),
        (
            "eas_lb.constructs",
            "eas_lb.synth.constructs",
            ["EasManagementPool", "EasServicePool", "Appliance", "HaPair", "ApplianceVm"],
        ),
    ],
)
def test_old_import_paths_warn_and_give_the_same_objects(old: str, new: str, names: list[str]) -> None:
    module, caught = _import_fresh(old)
    moved = [w for w in caught if issubclass(w.category, DeprecationWarning) and new in str(w.message)]
    assert moved, f"importing {old} should warn that it moved to {new}"
    target = importlib.import_module(new)
    for name in names:
        assert getattr(module, name) is getattr(target, name)


@pytest.mark.parametrize(
    ("entry", "usage"),
    [
        ("eas_lb.plan_review", "usage: python -m eas_lb.plan_review"),
        ("eas_lb.demo", "usage: python -m eas_lb.demo"),
    ],
)
def test_documented_module_entry_points_still_run(entry: str, usage: str) -> None:
    done = subprocess.run(
        [sys.executable, "-W", "error::DeprecationWarning", "-m", entry, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(usage)
