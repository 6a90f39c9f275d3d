"""The light framework module: it loads no cdktf, and it puts the checkout's Node.js 22 under jsii
and both CLIs, so Node 20's end-of-life notice never reaches a user."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from eas_lb.synth import framework_choice


def test_naming_the_framework_loads_no_cdktf() -> None:
    code = "import sys, eas_lb.synth.framework_choice; print(sorted(m for m in sys.modules if 'cdkt' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.skipif(framework_choice.node() is None, reason="make node installs the pinned Node.js 22")
def test_jsii_and_the_clis_run_on_the_pinned_node_22() -> None:
    env = framework_choice.use_supported_node({"PATH": os.environ["PATH"]})
    assert env["JSII_NODE"] == str(framework_choice.NODE_BIN / "node")
    assert "--no-deprecation" in env["NODE_OPTIONS"].split()
    assert "--max-old-space-size=4096" in env["NODE_OPTIONS"].split()  # else cdktf warns it is missing
    first = shutil.which("node", path=env["PATH"])
    version = subprocess.run([str(first), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("v22."), version
    kept = framework_choice.use_supported_node({"PATH": "", "JSII_NODE": "/opt/node/bin/node"})
    assert kept["JSII_NODE"] == "/opt/node/bin/node"  # the user's own choice stays


@pytest.mark.skipif(framework_choice.node() is None, reason="make node installs the pinned Node.js 22")
def test_the_cli_is_compiled_once_into_the_compile_cache(tmp_path: Path) -> None:
    """Node.js 22 keeps the compiled cdktf bundle where `NODE_COMPILE_CACHE` says: by default the
    checkout's build folder, or the user's own choice."""
    default = framework_choice.use_supported_node({"PATH": os.environ["PATH"]})
    assert default["NODE_COMPILE_CACHE"] == str(framework_choice.NODE_COMPILE_CACHE)
    mine = {"PATH": os.environ["PATH"], "NODE_COMPILE_CACHE": str(tmp_path)}
    env = framework_choice.use_supported_node(mine)
    assert env["NODE_COMPILE_CACHE"] == str(tmp_path)
    cli = framework_choice.cli_bin_dir("cdktf")
    assert cli is not None
    env = {**os.environ, **env, "CHECKPOINT_DISABLE": "1", "DISABLE_VERSION_CHECK": "1"}
    version = [str(cli / "cdktf"), "--version"]
    done = subprocess.run(version, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert [path for path in tmp_path.rglob("*") if path.is_file()], "no compiled module was cached"


def test_loading_the_framework_prints_no_node_notice_or_bytes_literal() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("JSII_NODE", "NODE_OPTIONS")}
    code = (
        "from eas_lb.synth.framework import App, TerraformStack; TerraformStack(App(outdir=sys.argv[1]), 's')"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import sys; " + code, "/nonexistent-outdir"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "end-of-life" not in done.stderr and "b'" not in done.stderr, done.stderr
