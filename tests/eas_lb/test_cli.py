"""`eas-lb`: one program lists every operator task, answers `--help` with an example, maps usage
errors to their own exit code, and the old `python -m` forms name the new command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from eas_lb import cli

EVERY_TASK = [
    "check",
    "synth",
    "deploy",
    "destroy",
    "verify",
    "plan-review",
    "drift",
    "servers",
    "new-site",
    "adopt",
    "fetch-pools",
    "backup",
    "restore",
    "migrate-labels",
    "doctor",
    "provider",
    "lab",
    "demo",
]


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*argv], capture_output=True, text=True, timeout=120, check=False)


def test_the_console_script_lists_every_operator_task() -> None:
    script = Path(sys.executable).parent / "eas-lb"
    done = _run(str(script), "--help")
    assert done.returncode == 0, done.stderr
    commands = done.stdout.split("Commands:")[1].splitlines()
    listed = [line.split()[0] for line in commands if line.startswith("  ") and not line.startswith("   ")]
    assert [name for name in EVERY_TASK if name not in listed] == []
    assert "Example: eas-lb" in done.stdout


def test_python_dash_m_is_the_same_program(capsys: pytest.CaptureFixture[str]) -> None:
    done = _run(sys.executable, "-m", "eas_lb", "--help")
    assert done.returncode == 0 and done.stdout.startswith("Usage: eas-lb")


@pytest.mark.parametrize("name", [command.name for command in cli.COMMANDS])
def test_every_command_helps_with_an_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([name, "--help"]) == 0
    assert "Example: eas-lb " + name in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["demo", "run", "--help"], "--disruptive"),
        (["lab", "up", "--help"], "--no-ssh"),
        (["provider", "install", "--help"], "--cli-config"),
        (["provider", "lock", "--help"], "DIRECTORIES"),
        (["doctor", "--help"], "--endpoint"),
    ],
)
def test_group_subcommands_reach_their_program(
    argv: list[str], shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(argv) == 0
    assert shown in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["no-such-command"], ["check", "--no-such-option"], ["synth", "--bogus"]])
def test_usage_errors_have_their_own_exit_code(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == cli.EXIT_USAGE == 3
    assert "Traceback" not in capsys.readouterr().err


def test_a_failed_check_exits_1(tmp_path: Path) -> None:
    pools = tmp_path / "pools.txt"
    pools.write_text("# MANAGEMENT\nnot a pool line\n")
    done = _run(sys.executable, "-m", "eas_lb", "check", str(pools))
    assert done.returncode == 1, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("argv", "notice"),
    [
        (["-m", "eas_lb.demo", "--help"], "use `eas-lb demo run|verify|down` or `eas-lb lab up|down`"),
        (["-m", "lborg_provider", "install", "--help"], "use `eas-lb provider install`"),
        (["-m", "lborg_provider", "doctor", "--help"], "use `eas-lb doctor`"),
    ],
)
def test_the_old_forms_still_run_and_name_the_new_command(argv: list[str], notice: str) -> None:
    done = _run(sys.executable, *argv)
    assert done.returncode == 0, done.stderr
    assert notice in done.stderr and len(done.stderr.splitlines()) == 1
    assert "Node" not in done.stderr and "b'" not in done.stderr


def test_the_provider_serve_stays_silent() -> None:
    done = _run(sys.executable, "-m", "lborg_provider", "serve", "--help")
    assert "deprecated" not in done.stderr


def test_words_after_a_double_dash_reach_the_command_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """`eas-lb deploy --site S -- --auto-approve`: deploy passes what follows `--` to cdktf."""
    from eas_lb.operations.commands import deploy

    seen: list[object] = []

    def run(options: object) -> int:
        seen.append(getattr(options, "cdktf_args", None))
        return 0

    monkeypatch.setattr(deploy, "run", run)
    assert cli.main(["deploy", "--site", "site.yaml", "--", "--auto-approve"]) == 0
    assert seen == [["--auto-approve"]]


def test_shell_completion_reaches_subcommands_and_their_options() -> None:
    """docs/command-line.md's completion: the group's subcommands, a declared command's options."""
    script = str(Path(sys.executable).parent / "eas-lb")

    def complete(words: str) -> list[str]:
        word = len(words.split()) - (0 if words.endswith(" ") else 1)  # the word being completed
        env = {
            **os.environ,
            "COMP_WORDS": words,
            "COMP_CWORD": str(word),
            "_EAS_LB_COMPLETE": "bash_complete",
        }
        done = subprocess.run([script], env=env, capture_output=True, text=True, timeout=60, check=True)
        return [line.split(",", 1)[1] for line in done.stdout.splitlines()]

    assert complete("eas-lb lab ") == ["down", "status", "up"]
    assert {"--stack", "--no-backup", "--reviewed"} <= set(complete("eas-lb deploy --"))
