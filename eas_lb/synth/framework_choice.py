"""Which CDK for Terraform an installation runs, where its CLI is and which Node.js runs both.

Light on purpose: it imports neither cdktf nor the bindings (about 0.8 s), so a command's `--help`,
the cdktf runner, `new-site` and the bindings generator can name the framework and its CLI without
loading it. `eas_lb.synth.framework` loads the chosen framework and re-exports these names.

Node.js: the checkout installs a pinned Node.js 22 beside CDK Terrain's CLI
(`cdktn-cli/node_modules/.bin/node`, `make node`). Both CLIs (their scripts start with
`#!/usr/bin/env node`) and jsii's Python runtime (which starts `JSII_NODE`, else `node` on PATH)
run on it when it is there, so no end-of-life notice of an older system Node.js reaches a user.
An installation without a checkout (a site's own venv) uses the `node` on its PATH.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import MutableMapping
from pathlib import Path
from typing import Final, Literal

from eas_lb import SetupError

#: The environment variable that chooses the framework of an installation or site repository.
SETTING: Final = "EAS_LB_FRAMEWORK"
FRAMEWORKS: Final = ("cdktf", "cdktn")
DEFAULT: Final = "cdktf"
#: The generated bindings of each framework (`eas-lb` regenerates them with the bindings tool).
BINDINGS: Final = {"cdktf": "eas_lb.bindings", "cdktn": "eas_lb.bindings_cdktn"}
#: What `pip install` needs for each framework, for the error that names it.
PACKAGES: Final = {"cdktf": "eas-lb (cdktf is a dependency)", "cdktn": 'the extra "eas-lb[cdktn]"'}

Framework = Literal["cdktf", "cdktn"]

#: The checkout this package runs from (`pip install -e .`); in a wheel, a folder with no CLIs.
PROJECT_ROOT: Final = Path(__file__).resolve().parents[2]
#: Where `make node` installs each framework's CLI in this checkout (cdktn's with its Node.js 22).
CLI_BIN: Final[dict[Framework, Path]] = {
    "cdktf": PROJECT_ROOT / "node_modules" / ".bin",
    "cdktn": PROJECT_ROOT / "cdktn-cli" / "node_modules" / ".bin",
}
#: The folder holding the pinned Node.js 22 (`node`, `npm`): cdktn's CLI folder.
NODE_BIN: Final = CLI_BIN["cdktn"]
#: Node.js 22's on-disk cache of compiled modules (`NODE_COMPILE_CACHE`): the cdktf CLI's bundle and
#: the jsii runtime are compiled once per checkout instead of at every start (about 1.5 s of CPU per
#: synth measured on a 2-core machine). Node.js keys each entry by the file's content and its own
#: version, so a changed file or Node.js is compiled afresh; `make clean` removes it with `build/`.
NODE_COMPILE_CACHE: Final = PROJECT_ROOT / "build" / "node-compile-cache"


class FrameworkError(SetupError):
    """The setting names no framework, or the one it names is not installed."""


def chosen(environ: MutableMapping[str, str] | None = None) -> Framework:
    """The framework `EAS_LB_FRAMEWORK` names (cdktf when unset or empty)."""
    value = (os.environ if environ is None else environ).get(SETTING, "").strip().lower() or DEFAULT
    if value == "cdktf":
        return "cdktf"
    if value == "cdktn":
        return "cdktn"
    raise FrameworkError(f"{SETTING}={value!r} names no framework: use cdktf (the default) or cdktn")


def node() -> Path | None:
    """The checkout's Node.js 22, when `make node` installed it."""
    path = NODE_BIN / "node"
    return path if path.exists() else None


def cli_bin_dir(cli: Framework) -> Path | None:
    """Where the framework's CLI is: the checkout's after `make setup`, else the one on PATH."""
    if (CLI_BIN[cli] / cli).exists():
        return CLI_BIN[cli]
    found = shutil.which(cli)
    return Path(found).parent if found else None


def use_supported_node(env: MutableMapping[str, str]) -> MutableMapping[str, str]:
    """Point jsii (`JSII_NODE`) and the CLIs (`node` first on PATH) at the checkout's Node.js 22,
    with its compile cache in the checkout's `build/` (see `NODE_COMPILE_CACHE`).

    A `JSII_NODE` or `NODE_COMPILE_CACHE` the user set is kept. Without the checkout's Node.js,
    nothing changes. Node.js 22 warns about APIs the cdktf CLI's bundle still calls (`util.isArray`,
    DEP0044): nothing a user can act on, so `--no-deprecation` keeps those lines out of every command's
    output.
    """
    found = node()
    if found is None:
        return env
    env.setdefault("JSII_NODE", str(found))
    env.setdefault("NODE_COMPILE_CACHE", str(NODE_COMPILE_CACHE))
    options = env.get("NODE_OPTIONS", "").split()
    if "--no-deprecation" not in options:
        options.append("--no-deprecation")
    # The cdktf CLI sets this heap size itself unless NODE_OPTIONS is set, and then warns (three
    # lines) that it is missing: give it, so setting NODE_OPTIONS costs nothing and says nothing.
    if not any(option.startswith("--max-old-space-size") for option in options):
        options.append("--max-old-space-size=4096")
    env["NODE_OPTIONS"] = " ".join(options)
    folders = env.get("PATH", "").split(os.pathsep)
    if str(NODE_BIN) not in folders:
        env["PATH"] = os.pathsep.join([str(NODE_BIN), *[folder for folder in folders if folder]])
    return env
