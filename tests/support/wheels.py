"""An eas-lb wheel built from this checkout, and this environment's dependencies, for site tests.

A site's `wheels/` holds the eas-lb wheel and every dependency's wheel; a test has no package
index to download the dependencies from. `dependencies_dir` stands in for them: a folder of links
to this virtualenv's installed packages, eas-lb itself and pip's own tools left out, which a test
puts on PYTHONPATH so that `pip install --no-index` finds every dependency satisfied and installs
eas-lb from the wheel alone.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.support.paths import REPO_ROOT

_NOT_DEPENDENCIES = ("eas_lb", "__editable__", "pip", "setuptools", "_distutils_hack", "wheel", "__pycache__")


def build_wheel(work: Path, wheels: Path) -> Path:
    """`pip wheel --no-deps` of a copy of this checkout (the build leaves nothing here), offline."""
    source = work / "eas-lb-source"
    shutil.copytree(
        REPO_ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "cdktn-cli",
            "build",
            "cdktf.out",
            ".demo",
            "tests",
            "bench",
            "*.egg-info",
            "__pycache__",
            ".mypy_cache",
            ".ruff_cache",
            ".pytest_cache",
            "*.tfstate*",
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            str(source),
            "-w",
            str(wheels),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    shutil.rmtree(source)
    (wheel,) = wheels.glob("eas_lb-*.whl")
    return wheel


def dependencies_dir(work: Path) -> Path:
    """Links to every installed package of this environment but eas-lb and pip's own tools."""
    found = work / "dependencies"
    found.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if entry.name.startswith(_NOT_DEPENDENCIES) or entry.suffix == ".pth":
            continue
        (found / entry.name).symlink_to(entry)
    return found
