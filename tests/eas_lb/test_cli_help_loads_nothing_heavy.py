"""`eas-lb ... --help` answers at once: showing a command's help imports none of what the command
needs to run (cdktf and the bindings, the site models, HTTP and SSH clients, the simulator).

Checked by what is in `sys.modules` after each `--help`, in one fresh interpreter, rather than by
a time: a module that gets imported again for help fails this test on any machine, however fast.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: What a command may load when it runs, never for its help (module names or their packages).
HEAVY = (
    "cdktf",
    "cdktn",
    "constructs",
    "jsii",
    "eas_lb.bindings",
    "eas_lb.bindings_cdktn",
    "eas_lb.synth.framework",
    "eas_lb.inputs.site",
    "eas_lb.inputs.pools",
    "pydantic",
    "yaml",
    "requests",
    "urllib3",
    "paramiko",
    "cryptography",
    "tf",
    "grpc",
    "lborg_provider.client",
    "lborg_provider.main",
    "lborg_simulator.appliance",
)

_PROBE = """
import contextlib, io, json, sys
from eas_lb import cli

heavy = tuple(json.loads(sys.argv[1]))
found = {}
for path in [[], *cli.command_paths()]:
    with contextlib.redirect_stdout(io.StringIO()) as shown:
        code = cli.main([*path, "--help"])
    loaded = sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy))
    found[" ".join(path)] = {"code": code, "example": "Example:" in shown.getvalue(), "heavy": loaded}
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def found() -> dict[str, dict[str, object]]:
    """Every command's help, in one fresh interpreter: what it returned, printed and loaded."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    found: dict[str, dict[str, object]] = json.loads(done.stdout)
    return found


def test_no_help_imports_what_its_command_needs_to_run(found: dict[str, dict[str, object]]) -> None:
    assert {"deploy", "plan-review", "lab up", "demo run", "provider install", "doctor"} <= set(found)
    assert {path: seen["heavy"] for path, seen in found.items() if seen["heavy"]} == {}


def test_every_help_answers_with_an_example(found: dict[str, dict[str, object]]) -> None:
    assert [path for path, seen in found.items() if seen["code"] != 0 or not seen["example"]] == []


def test_the_check_sees_a_heavy_import() -> None:
    """The check can fail: the module that runs `deploy` (not its declaration) loads what HEAVY names."""
    code = (
        "import json, sys; from eas_lb.operations.commands import deploy; heavy = json.loads(sys.argv[1]); "
        "print(sorted({h for h in heavy for m in sys.modules if m == h or m.startswith(h + '.')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(HEAVY)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "eas_lb.inputs.site" in done.stdout and "pydantic" in done.stdout
