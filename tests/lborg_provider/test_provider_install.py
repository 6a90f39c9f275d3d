"""`eas-lb provider install`: an offline mirror Terraform accepts, whose provider is the
current code (the schema Terraform sees is the one Python builds), and that reinstalls cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from lborg_provider.provider import DATA_SOURCES, RESOURCES
from tests.support.paths import REPO_ROOT
from tests.support.terraform import Terraform, base_env

pytestmark = pytest.mark.slow
REPO = REPO_ROOT


def _install(cwd: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "lborg_provider", "install", "--dir", "m", "--cli-config", "rc/terraformrc"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    last = result.stdout.strip().splitlines()[-1]
    assert last == str(cwd / "rc" / "terraformrc")
    return Path(last)


def test_mirror_serves_current_schema_and_reinstall_keeps_locks_valid(tmp_path: Path) -> None:
    cli_config = _install(tmp_path)
    rc = cli_config.read_text()
    assert f'path    = "{tmp_path / "m"}"' in rc and 'exclude = ["local/lborg/lborg"]' in rc
    home = tmp_path / "home"
    home.mkdir()
    terraform = Terraform(tmp_path / "work", base_env(home, cli_config))
    terraform.write('provider "lborg" {}\n')
    terraform.init()
    lock = (terraform.workdir / ".terraform.lock.hcl").read_text()

    shown = json.loads(terraform.run("providers", "schema", "-json").stdout)
    schemas = shown["provider_schemas"]["local/lborg/lborg"]
    for klass in RESOURCES:
        seen = schemas["resource_schemas"]["lborg" + klass.get_name()]["block"]["attributes"]
        assert set(seen) == {a.name for a in klass.get_schema().attributes}
    for klass in DATA_SOURCES:
        seen = schemas["data_source_schemas"]["lborg" + klass.get_name()]["block"]["attributes"]
        assert set(seen) == {a.name for a in klass.get_schema().attributes}
    provider = schemas["provider"]["block"]["attributes"]
    assert provider["password"]["sensitive"] and provider["api_key"]["sensitive"]

    # Reinstalling keeps the package checksum, so existing lock files stay valid; the lock command
    # users need for cdktf works against the mirror.
    _install(tmp_path)
    terraform.run("init", "-input=false", "-no-color")
    assert (terraform.workdir / ".terraform.lock.hcl").read_text() == lock
    terraform.run(
        "providers", "lock", f"-fs-mirror={tmp_path / 'm'}", "-platform=linux_amd64", "local/lborg/lborg"
    )
    assert "local/lborg/lborg" in (terraform.workdir / ".terraform.lock.hcl").read_text()


def _installed_launcher(tmp_path: Path) -> Path:
    """The executable the mirror's zip holds, as Terraform unpacks it, after an install."""
    _install(tmp_path)
    archive = next((tmp_path / "m").rglob("*.zip"))
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "launcher")
    launcher = next((tmp_path / "launcher").iterdir())
    launcher.chmod(0o755)
    return launcher


def test_ctrl_c_while_the_provider_starts_leaves_it_serving(tmp_path: Path) -> None:
    """A terminal's Ctrl-C reaches Terraform and its providers at once; Terraform decides (it asks
    the provider to stop). A provider that died of SIGINT while Python imported, before its
    handshake, made Terraform report a plugin "not compiled for this architecture"."""
    launcher = _installed_launcher(tmp_path)
    home = tmp_path / "home"
    home.mkdir()
    provider = subprocess.Popen(
        [str(launcher)],
        env={"PATH": "/usr/bin:/bin", "HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, which the SIGINTs below go to
    )
    try:
        for _ in range(10):  # Ctrl-C again and again through the start (imports take ~0.5 s)
            time.sleep(0.05)
            os.killpg(provider.pid, signal.SIGINT)
        handshake = provider.stdout.readline() if provider.stdout else ""
        assert handshake.startswith("1|6|unix|"), (handshake, provider.poll())
        assert provider.poll() is None
    finally:
        provider.terminate()  # SIGTERM: the provider stops serving and exits
        _, errors = provider.communicate(timeout=30)
    assert "KeyboardInterrupt" not in errors


def test_the_launcher_ignores_the_stacks_files_and_offers_the_cached_certificate(tmp_path: Path) -> None:
    """Terraform starts the provider in the stack's folder: a file there named like a module the
    provider imports must not replace it. The handshake offers the certificate the cache holds,
    the same one at the next start."""
    launcher = _installed_launcher(tmp_path)
    stack = tmp_path / "stack"
    stack.mkdir()
    (stack / "grpc.py").write_text("raise SystemExit('the stack folder shadowed grpc')\n")
    home = tmp_path / "home"
    offered = []
    for _ in range(2):
        provider = subprocess.Popen(
            [str(launcher)],
            cwd=stack,
            env={"PATH": "/usr/bin:/bin", "HOME": str(home)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            handshake = provider.stdout.readline() if provider.stdout else ""
        finally:
            provider.terminate()
            _, errors = provider.communicate(timeout=30)
        assert handshake.startswith("1|6|unix|"), (handshake, errors)
        offered.append(handshake.strip().split("|")[-1])
    cached = json.loads((home / ".cache" / "lborg-provider" / "plugin-certificate.json").read_text())
    assert offered[0] == offered[1] == cached["cert_der"].rstrip("=")
