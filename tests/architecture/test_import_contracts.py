"""The import contracts of `.importlinter` catch what they promise, on a copy of the packages.

Each planted import below is one a maintainer could write by accident: a feature of
`eas_lb.operations` reaching sideways into another, the shared floor reaching up into a feature,
a production command importing the demo, `eas_lb` reaching into the provider's runtime, or a
part other than the lab importing the simulated appliance. `lint-imports` must name every one,
and must pass on the same copy without them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

PACKAGES = ("lborg_support", "lborg_provider", "lborg_simulator", "eas_lb")
FEATURES = ("adopt", "commands", "drift", "new_site", "plan_review", "servers", "verify")

#: (module planted, the import it makes): one per feature (sideways), the floor upward, and the
#: package-level rules.
PLANTED = [
    *(
        (
            f"eas_lb.operations.{feature}._planted",
            f"eas_lb.operations.{FEATURES[(index + 1) % len(FEATURES)]}",
        )
        for index, feature in enumerate(FEATURES)
    ),
    ("eas_lb.operations.appliances._planted", "eas_lb.operations.verify"),
    ("eas_lb.operations.plans._planted", "eas_lb.operations.plan_review"),
    ("eas_lb.operations.commands._planted_demo", "eas_lb.operations.demo"),
    ("eas_lb.operations.drift._planted_runtime", "lborg_provider.runtime"),
    ("eas_lb.operations.verify._planted_simulator", "lborg_simulator"),
]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "copy"
    root.mkdir()
    for package in PACKAGES:
        shutil.copytree(
            REPO_ROOT / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "*.tgz")
        )
    shutil.copy(REPO_ROOT / ".importlinter", root / ".importlinter")
    return root


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--no-logo", "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_every_planted_sideways_upward_or_forbidden_import_breaks_a_contract(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    clean = _lint(root)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    for module, target in PLANTED:
        path = root / Path(*module.split(".")).with_suffix(".py")
        path.write_text(f'"""Planted by a test."""\n\nimport {target}  # noqa: F401\n')
    broken = _lint(root)
    output = " ".join(broken.stdout.split())  # lint-imports folds long lines
    assert broken.returncode != 0
    missed = [f"{module} -> {target}" for module, target in PLANTED if f"{module} -> {target}" not in output]
    assert not missed, f"no contract caught: {missed}\n{broken.stdout}"
