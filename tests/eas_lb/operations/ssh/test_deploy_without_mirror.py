"""`eas_lb deploy`/`destroy` without the provider mirror stop before any backup or cdktf run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import eas_lb.operations.terraform.cdktf as cdktf_runner
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
    monkeypatch.setattr(cdktf_runner, "PROJECT_ROOT", tmp_path)
    code = eas_main([verb, "--site", str(tmp_path / "site-demo.yaml"), "--app-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{verb}: stopped before anything ran: TF_CLI_CONFIG_FILE is not set" in err
    assert "run `. ./env.sh` in the site's directory" in err
    assert "backing up" not in out and "cdktf" not in out
    assert not (tmp_path / "backups").exists()


def test_with_the_primary_down_the_message_says_the_secondary_serves_and_deploy_catches_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from eas_lb.inputs.site import Node, load_deployment
    from eas_lb.operations.appliances import reachability as node_down

    def probe(node: Node, timeout: float) -> str | None:
        return "Connection refused" if node.name == "lb1" else None

    monkeypatch.setattr(node_down, "_probe", probe)
    deployment = load_deployment(REPO_ROOT / "examples" / "site-demo.yaml")
    silent = node_down.silent_nodes(deployment, ["demo-pair1-lb"])
    assert [(item.node.name, item.role) for item in silent] == [("lb1", "primary")]
    assert node_down.silent_nodes(deployment, ["demo-pair1-vms"]) == []  # only the stacks chosen
    message = node_down.refusal("deploy", silent)
    assert "deploy: lb1 (primary of pair pair1) does not answer at https://127.0.20.1" in message
    assert "lb2 serves the VIPs" in message and "not replicated to lb1" in message
    assert "run `eas-lb deploy` as soon as lb1 answers" in message
    assert "'One appliance down'" in message


def _site_repository(tmp_path: Path) -> Path:
    for name in ("site-demo.yaml", "pools-demo.txt"):
        shutil.copy(REPO_ROOT / "examples" / name, tmp_path / name)
    (tmp_path / "cdktf.json").write_text("{}")
    return tmp_path / "site-demo.yaml"


@pytest.mark.parametrize(
    ("verb", "effect"),
    [
        ("deploy", "a deploy from it would try to create every object again"),
        ("destroy", "a destroy from it would remove nothing from the appliances and report success"),
    ],
)
def test_a_state_file_emptied_by_a_killed_terraform_stops_the_run_with_the_backup_to_put_back(
    verb: str,
    effect: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import lborg_provider.tools.cli_config as cli_config

    site_file = _site_repository(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_config, "configured_mirror", lambda env: tmp_path / "mirror")
    state = tmp_path / "terraform.demo-pair1-lb.tfstate"
    state.write_text("")  # truncated, never rewritten: terraform was killed inside its write
    resources = [{"mode": "managed", "type": "lborg_layer7_vip", "name": f"v{i}"} for i in range(3)]
    (tmp_path / f"{state.name}.backup").write_text(json.dumps({"version": 4, "resources": resources}))

    code = eas_main([verb, "--site", str(site_file), "--app-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert f"{verb}: stopped before anything ran: {state.name} is empty" in err
    assert f"but {state.name}.backup holds 3 resources" in err
    assert effect in err
    assert f"cp {tmp_path}/{state.name}.backup {tmp_path}/{state.name}" in err
    assert "backing up" not in out and "cdktf" not in out
    assert not (tmp_path / "backups").exists()


def test_only_an_empty_state_beside_a_backup_with_resources_counts_as_emptied(tmp_path: Path) -> None:
    from eas_lb.inputs.site import load_deployment
    from eas_lb.operations.terraform.state import emptied_local_state

    site_file = _site_repository(tmp_path)
    site = load_deployment(site_file).site
    state = tmp_path / "terraform.demo-pair1-lb.tfstate"
    backup = tmp_path / f"{state.name}.backup"
    assert emptied_local_state(site_file, site, "demo-pair1-lb") is None  # nothing deployed yet
    state.write_text("")
    assert emptied_local_state(site_file, site, "demo-pair1-lb") is None  # no backup
    backup.write_text(json.dumps({"version": 4, "resources": []}))
    assert emptied_local_state(site_file, site, "demo-pair1-lb") is None  # nothing was lost
    backup.write_text(json.dumps({"version": 4, "resources": [{"type": "lborg_commit"}]}))
    emptied = emptied_local_state(site_file, site, "demo-pair1-lb")
    assert emptied is not None and (emptied.path, emptied.resources) == (state, 1)
    state.write_text(json.dumps({"version": 4, "resources": []}))  # a state Terraform wrote
    assert emptied_local_state(site_file, site, "demo-pair1-lb") is None


def test_the_cdktf_cli_is_told_not_to_look_up_its_newest_version(tmp_path: Path) -> None:
    # At a terminal the cdktf CLI runs `npm view cdktf-cli version` unless DISABLE_VERSION_CHECK
    # is set (cdktf-cli's bundle reads it): no command of ours may look anything up off the machine.
    env = cdktf_runner.cdktf_env(tmp_path / "site.yaml", {})
    assert env["DISABLE_VERSION_CHECK"] == "1" and env["CHECKPOINT_DISABLE"] == "1"
    bundle = REPO_ROOT / "node_modules" / "cdktf-cli" / "bundle" / "bin" / "cmds" / "handlers.js"
    if bundle.exists():  # the variable's name is the CLI's own
        assert "process.env.DISABLE_VERSION_CHECK" in bundle.read_text()
