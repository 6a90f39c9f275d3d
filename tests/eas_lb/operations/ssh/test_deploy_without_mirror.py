"""`eas_lb deploy`/`destroy` without the provider mirror stop before any backup or cdktf run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import eas_lb.operations.demo.deploy as demo_deploy
from eas_lb.cli import main as eas_main
from tests.support.paths import REPO_ROOT


@pytest.mark.parametrize("verb", ["deploy", "destroy"])
def test_without_the_mirror_nothing_runs_and_the_fix_is_named(
    verb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A site repository: its own cdktf.json and env.sh, and no checkout's CLI config to fall back on.
    for name in ("site-demo.yaml", "pools-demo.txt"):
        shutil.copy(REPO_ROOT / "examples" / name, tmp_path / name)
    (tmp_path / "cdktf.json").write_text("{}")
    (tmp_path / "env.sh").write_text("export TF_CLI_CONFIG_FILE=$PWD/build/terraformrc\n")
    monkeypatch.delenv("TF_CLI_CONFIG_FILE", raising=False)
    monkeypatch.setattr(demo_deploy, "PROJECT_ROOT", tmp_path)
    code = eas_main([verb, "--site", str(tmp_path / "site-demo.yaml"), "--app-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"{verb}: stopped before anything ran: TF_CLI_CONFIG_FILE is not set" in err
    assert "run `. ./env.sh` in the site's directory" in err
    assert "backing up" not in out and "cdktf" not in out
    assert not (tmp_path / "backups").exists()
