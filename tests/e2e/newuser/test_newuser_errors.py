"""The errors a new user meets first each say what to do (loopback 127.14.0.0/16 only).

Fast: no terraform, no cdktf; the few tests that need an appliance start one simulator.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from eas_lb.cli import main as eas_main
from eas_lb.inputs.pools import PoolsFileError, parse_pools
from eas_lb.inputs.site import SiteFileError, load_deployment, load_site
from eas_lb.operations.verify.command import verify
from eas_lb.operations.verify.hooks import Hooks
from eas_lb.operations.verify.live import LiveOutput
from eas_lb.operations.verify.report import Outcome, Report, Row
from eas_lb.synth.stamp import write_stamp
from lborg_provider.client import ApiCredentials, ApplianceClient
from lborg_provider.client.errors import ApplianceUnreachable
from lborg_simulator.testing import (
    TEST_API_KEY,
    TEST_PASSWORD,
    TEST_USERNAME,
    SimulatorProcess,
    running_simulator,
)
from tests.support.certificates import unrelated_ca
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
POOLS = """POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT
HTTP-80 127.14.30.1 tcp 14080 2100 127.14.31.1 127.14.31.2
IMAP-143 127.14.30.1 tcp 14143 90 127.14.31.1 127.14.31.2
"""


def _site(
    directory: Path, endpoint: str = "https://127.14.0.9:14999", ca_file: str = "", extra: str = ""
) -> Path:
    (directory / "pools.txt").write_text(POOLS)
    ca = f", ca_file: {ca_file}" if ca_file else ""
    path = directory / "site.yaml"
    path.write_text(
        "name: newuser\npools: pools.txt\n"
        "credentials: {username_env: LB14_USER, password_env: LB14_PASSWORD, api_key_env: LB14_KEY}\n"
        "pairs:\n  - name: pair1\n"
        f'    primary: {{name: lb1, endpoint: "{endpoint}", management_ip: 127.14.0.1/24{ca}}}\n' + extra
    )
    return path


@pytest.fixture
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LB14_USER", TEST_USERNAME)
    monkeypatch.setenv("LB14_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("LB14_KEY", TEST_API_KEY)


@pytest.fixture(scope="module")
def appliance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimulatorProcess]:
    with running_simulator(tmp_path_factory.mktemp("sim") / "lb1", "127.14.1.1:14443") as sim:
        yield sim


# -- pools.txt and site file -------------------------------------------------------------------


def test_a_misspelt_section_marker_is_one_error_naming_the_marker() -> None:
    text = POOLS + "# SERVICES\nHTTP-80 - tcp 80 2100 127.14.41.1\n"
    with pytest.raises(PoolsFileError) as caught:
        parse_pools(text, "pools.txt")
    assert [str(p) for p in caught.value.problems] == [
        "pools.txt:4:1: '# SERVICES' is not a section marker; write '# SERVICE' on a line of its own "
        "(the markers are '# MANAGEMENT' and '# SERVICE')"
    ]


def test_ordinary_comments_are_not_taken_for_markers() -> None:
    pools = parse_pools("# TODO\n# the management network of site A\n" + POOLS + "# Services follow\n")
    assert len(pools.management) == 2 and not pools.service


def test_an_unknown_site_key_names_the_closest_valid_key(tmp_path: Path) -> None:
    path = _site(tmp_path, extra="    servce_vip: 127.14.40.1\n")
    text = path.read_text().replace("password_env", "pasword_env")
    path.write_text(text)
    with pytest.raises(SiteFileError) as caught:
        load_site(path)
    messages = [p.message for p in caught.value.problems]
    assert any("unknown key 'pasword_env'; did you mean 'password_env'?" in m for m in messages), messages
    assert any("unknown key 'servce_vip'; did you mean 'service_vip'?" in m for m in messages), messages
    assert all("docs/site-file.md" in m for m in messages)
    assert (REPO / "docs" / "site-file.md").is_file()


# -- check ---------------------------------------------------------------------------------------


def test_check_takes_the_pools_file_from_the_site_and_warns_about_sticky_minutes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    assert eas_main(["check", "--site", str(site)]) == 0
    out, err = capsys.readouterr()
    assert "MGMT_IMAP-143" in out and "scenario 2: 2 management" in out
    assert "pools.txt:3: warning: MGMT_IMAP-143: sticky 90 s is not a whole number of minutes" in err
    assert "rounded up to 2 min" in err
    monkeypatch.setenv("EAS_SITE", str(site))
    assert eas_main(["check"]) == 0
    assert "MGMT_HTTP-80" in capsys.readouterr().out


def test_check_without_any_file_says_what_to_give(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EAS_SITE", raising=False)
    assert eas_main(["check"]) == 3  # a usage error
    assert "give a pools file" in capsys.readouterr().err


# -- lock ----------------------------------------------------------------------------------------


def test_lock_of_a_missing_directory_is_a_sentence() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "eas_lb", "provider", "lock", "/nonexistent"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("/nonexistent: no such directory; give the synthesized stack directories")


# -- verify --------------------------------------------------------------------------------------


def test_verify_with_a_missing_ca_file_says_which_and_where(
    tmp_path: Path, credentials: None, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path, ca_file="ca/nope.pem")
    assert eas_main(["verify", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert f"ca_file {tmp_path / 'ca' / 'nope.pem'} does not exist" in err
    assert "pairs[0].primary.ca_file" in err and "Traceback" not in err
    (tmp_path / "ca").mkdir()
    (tmp_path / "ca" / "nope.pem").write_text("not a certificate\n")
    assert eas_main(["verify", "--site", str(site)]) == 1
    assert "holds no PEM certificate" in capsys.readouterr().err


def test_verify_with_a_wrong_ca_file_fails_the_api_row_with_the_fix(
    tmp_path: Path, credentials: None, appliance: SimulatorProcess, capsys: pytest.CaptureFixture[str]
) -> None:
    other = unrelated_ca(tmp_path / "other.pem")
    site = _site(tmp_path, endpoint="https://127.14.1.1:14443", ca_file=str(other))
    assert eas_main(["verify", "--site", str(site), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    api = [row for row in rows if row["test"] == "api"]
    assert len(api) == 1 and "TLS verification failed using CA file" in api[0]["detail"]
    assert "Point ca_file" in api[0]["detail"]


def test_verify_auth_failure_names_the_variable_never_the_value(
    tmp_path: Path,
    credentials: None,
    appliance: SimulatorProcess,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    wrong = "wrong-password-1414"
    monkeypatch.setenv("LB14_PASSWORD", wrong)
    site = _site(tmp_path, endpoint="https://127.14.1.1:14443", ca_file=str(appliance.ca_file))
    monkeypatch.setenv("EAS_SITE", str(site))  # honoured without --site
    assert eas_main(["verify"]) == 1
    out, err = capsys.readouterr()
    assert "authentication failed (HTTP 401)" in out
    assert "the password in environment variable LB14_PASSWORD" in out
    assert wrong not in out + err


def test_a_refused_connection_is_said_in_plain_words() -> None:
    client = ApplianceClient("https://127.14.0.9:14999", ApiCredentials("u", "p", "k"), retries=0)
    with pytest.raises(ApplianceUnreachable) as caught:
        client.nodestatus()
    message = str(caught.value)
    assert "connection refused: nothing listens at that address and port" in message
    assert "HTTPSConnection" not in message and "Errno" not in message


def test_disruptive_without_hooks_skips_with_the_reason_and_rows_stream(
    tmp_path: Path, credentials: None
) -> None:
    deployment = load_deployment(_site(tmp_path))
    seen: list[int] = []
    report = Report(site="newuser")
    report.on_row = lambda row: seen.append(len(report.rows))
    verify(deployment, disruptive=True, hooks=Hooks(), report=report)
    assert seen == list(range(1, len(report.rows) + 1))  # each row announced as it was added
    skipped = [row for row in report.rows if row.test == "health-check"]
    assert skipped and all(row.outcome is Outcome.SKIP for row in skipped)
    assert "give --server-stop-cmd and --server-start-cmd" in skipped[0].detail


def test_live_output_prints_rows_at_once_and_a_progress_line_only_on_a_terminal() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    out, progress = io.StringIO(), Terminal()
    live = LiveOutput(out, progress, [6, 10, 8, 6, 0])
    live.status("connecting to MGMT_X")
    live.row(Row("MGMT_X", "127.14.0.1:1", "connect", Outcome.PASS, "ok"))
    assert out.getvalue().splitlines()[-1].startswith("MGMT_X  127.14.0.1:1  connect   PASS    ok")
    assert "connecting to MGMT_X ..." in progress.getvalue() and "\r" in progress.getvalue()
    quiet = io.StringIO()
    LiveOutput(io.StringIO(), quiet, [1, 1, 1, 1, 0]).status("x")
    assert quiet.getvalue() == ""


# -- plan-review ---------------------------------------------------------------------------------


def test_plan_review_refuses_a_synth_older_than_the_pools_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site(tmp_path)
    out = tmp_path / "cdktf.out"
    (out / "stacks" / "newuser-pair1-lb").mkdir(parents=True)
    (out / "stacks" / "newuser-pair1-lb" / "cdk.tf.json").write_text("{}")
    write_stamp(out, load_deployment(site))
    pools = tmp_path / "pools.txt"
    pools.write_text(pools.read_text().replace("14143 90", "14143 120"))
    assert eas_main(["plan-review", "--synth-dir", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{pools} changed since the last synth" in err and "run `cdktf synth` again" in err
    write_stamp(out, load_deployment(site))
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("EAS_SITE", str(_site(other)))
    assert eas_main(["plan-review", "--synth-dir", str(out)]) == 1
    assert f"was synthesized from {site}, but EAS_SITE is" in capsys.readouterr().err


def _help(main: Callable[[list[str]], int], argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What `--help` or `--version` prints; the old programs may exit, `eas-lb`'s main returns 0."""
    try:
        code: object = main(argv)
    except SystemExit as exited:
        code = exited.code
    assert code == 0, argv
    return capsys.readouterr().out


def test_every_command_has_a_description_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    from eas_lb.cli import COMMANDS
    from eas_lb.operations.demo.__main__ import main as demo_main
    from lborg_provider.tools.cli import main as provider_main
    from lborg_simulator.cli import main as simulator_main

    for main, commands in (
        (eas_main, [command.name for command in COMMANDS]),
        (provider_main, ["install", "lock", "docs", "serve"]),
        (simulator_main, ["serve", "eas-servers", "wait"]),
        (demo_main, ["up", "lab", "down", "run", "verify", "server", "appliance"]),
    ):
        assert "0.1.0" in _help(main, ["--version"], capsys)
        for command in commands:
            assert "0.1.0" in _help(main, [command, "--version"], capsys), command
            shown = _help(main, [command, "--help"], capsys)
            description = shown.split("\n\n")[1]
            assert not description.lstrip().startswith(("options:", "positional")), (command, shown)


def test_the_site_file_schema_and_reference_are_current() -> None:
    from eas_lb.tools.site_schema import main as site_schema

    assert site_schema(["--check"]) == 0, "run: python -m eas_lb.tools.site_schema"
    schema = json.loads((REPO / "docs" / "site-file.schema.json").read_text())
    assert schema["additionalProperties"] is False and "pairs" in schema["required"]
    reference = (REPO / "docs" / "site-file.md").read_text()
    assert "| `pairs[].primary.ca_file` | path | - |" in reference


def test_eas_site_is_the_default_of_every_site_option(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from eas_lb.operations.command_line import declare, site_option
    from lborg_support.command_line import parse_options

    command = declare("x", lambda _options: 0, (site_option("the site file"),), summary="x", example="-")
    monkeypatch.setenv("EAS_SITE", "lab/site.yaml")
    assert parse_options(command, [], "x").site == Path("lab/site.yaml")
    assert parse_options(command, ["--site", "x.yaml"], "x").site == Path("x.yaml")
    monkeypatch.delenv("EAS_SITE")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as usage:
        parse_options(command, [], "x")  # no $EAS_SITE and no ./site.yaml: --site is required
    assert usage.value.code == 3


def test_synth_locks_the_provider_or_says_which_command_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from eas_lb.synth.site_app import lock_stacks
    from lborg_provider.tools.install import install

    stack = tmp_path / "out" / "stacks" / "lab-pair1-lb"
    stack.mkdir(parents=True)
    (stack / "cdk.tf.json").write_text(
        json.dumps(
            {
                "terraform": {
                    "required_providers": {"lborg": {"source": "local/lborg/lborg", "version": "0.1.0"}}
                }
            }
        )
    )
    monkeypatch.delenv("TF_CLI_CONFIG_FILE", raising=False)
    message = lock_stacks(tmp_path / "out")
    assert message is not None
    assert "TF_CLI_CONFIG_FILE is not set" in message and "eas-lb provider install" in message
    assert "could not connect to local" in message and "stopped before Terraform runs" in message
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed")
    installed = install(tmp_path / "mirror", tmp_path / "terraformrc")
    monkeypatch.setenv("TF_CLI_CONFIG_FILE", str(installed.cli_config))
    assert lock_stacks(tmp_path / "out") is None
    assert 'provider "local/lborg/lborg"' in (stack / ".terraform.lock.hcl").read_text()
