"""A new user's first hour, end to end (slow; loopback 127.14.0.0/16 only):

- the README's "Using it on your own site" block, run literally as a script with HOME in a
  temporary directory: `new-site --lab`, then the lab (`eas-lb lab up`) for its
  simulated appliances and EAS stand-ins, a deploy, verify and plan review, and the lab's `down`;
- a site scaffolded by `new-site` into a temporary directory, with eas-lb installed from a wheel
  into the site's own virtualenv (dependencies shared with the project's), deployed with the
  real cdktf CLI and terraform to a simulated HA pair, and verified.

Both check that state and `cdktf.out` live in the site's directory, never in this checkout.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lborg_simulator.testing import TEST_API_KEY, TEST_PASSWORD, TEST_USERNAME, running_simulator
from tests.support.paths import REPO_ROOT
from tests.support.processes import haproxy_processes_under

pytestmark = [pytest.mark.slow, pytest.mark.e2e]

REPO = REPO_ROOT
CDKTF_BIN = REPO / "node_modules" / ".bin"
GUIDE = {"l7.interval": "3000", "l4.checkinterval": "3", "l4.checktimeout": "3", "l4.failurecount": "2"}


def sh_block(readme: Path, heading: str) -> str:
    """The first ```sh block after `heading`, as it is written."""
    text = readme.read_text(encoding="utf-8")
    assert heading in text, f"{readme} has no section {heading!r}"
    after = text.split(heading, 1)[1]
    start = after.index("```sh\n") + len("```sh\n")
    return after[start : after.index("```", start)]


def _stop_group(pgid: int) -> None:
    """SIGTERM every process of a session the test started (simulators stop their HAProxy)."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(pgid, signal.SIGKILL)


def _not_in_checkout() -> set[str]:
    return {path.name for path in REPO.glob("terraform.my-site-*.tfstate")} | {
        path.name for path in REPO.glob("terraform.wheelsite-*.tfstate")
    }


@pytest.mark.skipif(not (CDKTF_BIN / "cdktf").exists(), reason="cdktf CLI not installed (npm ci)")
def test_readme_your_own_site_block_runs_as_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    own_site = sh_block(REPO / "README.md", "## Using it on your own site")
    script = tmp_path / "first-hour.sh"
    script.write_text("set -eo pipefail\n" + own_site, encoding="utf-8")
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(REPO),  # this checkout's code, whatever the shared virtualenv points at
        "LANG": "C.UTF-8",
    }
    before = _not_in_checkout()
    log = tmp_path / "first-hour.log"
    with log.open("w") as sink:  # a file, not a pipe: the background servers keep it open
        shell = subprocess.Popen(
            ["bash", str(script)],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            shell.wait(timeout=900)
        finally:
            _stop_group(shell.pid)
            _lab_down(home / "my-site", env)
    output = log.read_text(errors="replace")
    assert shell.returncode == 0, output[-6000:]
    assert "every check passed" in output, output[-4000:]
    assert "review written to review.md" in output
    site = home / "my-site"
    assert (site / "terraform.my-site-pair1-lb.tfstate").is_file()
    assert (site / "cdktf.out" / "stacks" / "my-site-pair1-lb" / ".terraform.lock.hcl").is_file()
    assert "## Plan review" in (site / "review.md").read_text() or (site / "review.md").stat().st_size > 0
    assert _not_in_checkout() == before
    assert "stopped lb1" in output and "stopped eas-servers" in output  # the block's own `down`
    assert not haproxy_processes_under(home)
    assert (site / "lab" / "ca" / "ca.pem").is_file()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@localhost"]
    subprocess.run([*git, "init", "-q"], cwd=site, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site, check=True)
    staged = subprocess.run(
        [*git, "diff", "--cached", "--name-only"], cwd=site, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "site.yaml" in staged
    assert not [name for name in staged if name.startswith("lab/")], staged  # the lab's credentials stay out


def _lab_down(site: Path, env: dict[str, str]) -> None:
    """The lab's processes run in sessions of their own: stop them even when the block failed."""
    if (site / "site.yaml").exists():
        subprocess.run(
            [sys.executable, "-m", "eas_lb.demo", "down", "--site", str(site / "site.yaml")],
            cwd=site,
            env=env,
            capture_output=True,
            check=False,
            timeout=120,
        )


def test_simulator_readme_pair_by_hand_answers_doctor(tmp_path: Path) -> None:
    """The simulator README's pair started by hand, as written, reads as a healthy pair."""
    home = tmp_path / "home"
    home.mkdir()
    block = sh_block(REPO / "lborg_simulator" / "README.md", "## Simulated appliances for your own site")
    script = tmp_path / "pair.sh"
    doctor = "eas-lb doctor --endpoint https://127.14.0.2:9443 --ca-file ~/lab/ca/ca.pem\n"
    script.write_text("set -eo pipefail\n" + block + doctor, encoding="utf-8")
    env = {"HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO)}
    log = tmp_path / "pair.log"
    with log.open("w") as sink:
        shell = subprocess.Popen(
            ["bash", str(script)],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            shell.wait(timeout=120)
        finally:
            _stop_group(shell.pid)
    output = log.read_text(errors="replace")
    assert shell.returncode == 0, output[-4000:]
    assert "Layer 7 globals: interval 3000: as the deployment guide says" in output, output[-4000:]
    assert (
        "Layer 4 globals: checkinterval 3, checktimeout 3, failurecount 2: as the deployment guide" in output
    )
    assert "The provider reads this appliance correctly" in output
    assert not haproxy_processes_under(home)


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Path]:
    """A simulated HA pair with the guide's global settings, sharing one CA; yields the CA file."""
    ca_dir = tmp_path / "ca"
    extra = ["--ca-dir", str(ca_dir)]
    with (
        running_simulator(
            tmp_path / "lb1", "127.14.10.1:14443", name="lb1", advanced=GUIDE, extra_args=extra
        ),
        running_simulator(
            tmp_path / "lb2", "127.14.10.2:14443", name="lb2", advanced=GUIDE, extra_args=extra
        ),
    ):
        yield ca_dir / "ca.pem"
    assert not haproxy_processes_under(tmp_path)


def _wheel(tmp_path: Path) -> Path:
    """Build the eas-lb wheel from a copy of this checkout (so the build leaves nothing here)."""
    source = tmp_path / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(
            ".git",
            ".venv",
            "node_modules",
            "build",
            "cdktf.out",
            ".demo",
            "tests",
            "*.egg-info",
            "__pycache__",
            ".mypy_cache",
            ".ruff_cache",
            ".pytest_cache",
            "*.tfstate*",
        ),
    )
    wheels = tmp_path / "wheels"
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
    (wheel,) = wheels.glob("eas_lb-*.whl")
    return wheel


def _site_venv(tmp_path: Path, wheel: Path) -> Path:
    """A virtualenv for the site: eas-lb from the wheel, its dependencies shared with ours."""
    venv = tmp_path / "site-venv"
    subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=300)  # type: ignore[attr-defined]
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "shared-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return venv


@pytest.mark.skipif(not (CDKTF_BIN / "cdktf").exists(), reason="cdktf CLI not installed (npm ci)")
def test_new_site_installed_from_a_wheel_deploys_and_verifies(tmp_path: Path, lab: Path) -> None:
    venv = _site_venv(tmp_path, _wheel(tmp_path))
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "PATH": os.pathsep.join([str(venv / "bin"), str(CDKTF_BIN), os.environ.get("PATH", "/usr/bin:/bin")]),
        "LBORG_USERNAME": TEST_USERNAME,
        "LBORG_PASSWORD": TEST_PASSWORD,
        "LBORG_API_KEY": TEST_API_KEY,
        "CHECKPOINT_DISABLE": "1",
        "LANG": "C.UTF-8",
    }
    site = tmp_path / "wheelsite"

    def run(*argv: str, cwd: Path = site, timeout: float = 600) -> str:
        result = subprocess.run(
            list(argv), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert result.returncode == 0, f"{' '.join(argv)}\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        return result.stdout + result.stderr

    located = run(
        "python",
        "-c",
        "import eas_lb, lborg_provider; print(eas_lb.__file__, lborg_provider.__file__)",
        cwd=tmp_path,
    )
    assert located.count(str(venv)) == 2, located  # the installed package, not this checkout
    run(
        "python",
        "-m",
        "eas_lb",
        "new-site",
        str(site),
        "--no-input",
        "--scenario",
        "1",
        "--appliance",
        "127.14.10.1:14443",
        "--appliance",
        "127.14.10.2:14443",
        "--service-ip",
        "127.14.11.240/25",
        "--service-ip",
        "127.14.11.241/25",
        "--service-vip",
        "127.14.12.150",
        "--eas-service-subnet",
        "127.14.11.0/25",
        "--service-gateway",
        "127.14.11.10",
        "--ca-file",
        str(lab),
        cwd=tmp_path,
    )
    (site / "pools.txt").write_text(
        "POOL POOL IP PROTO PORT STICKY SERVER IPS # MANAGEMENT\n"
        "HTTP-18080 127.14.13.1 tcp 18080 2100 127.14.14.1 127.14.14.2\n"
        "IMAP-10143 127.14.13.2 tcp 10143 0 127.14.14.1 127.14.14.2\n"
        "# SERVICE\n"
        "HTTP-18080 - tcp 18080 2100 127.14.11.61 127.14.11.5\n"
        "IMAP-10143 - tcp 10143 0 127.14.11.61 127.14.11.5\n"
    )
    main_py = (site / "main.py").read_text()
    assert "from eas_lb.synth.site_app import run_site_app" in main_py and len(main_py.splitlines()) < 12
    text = (site / "site.yaml").read_text()
    backup = text[text.index("backup:") : text.index("backend:")]
    assert "TODO" not in text.replace(backup, "")  # every answer given: only the SSH login is left to fill in
    (site / "site.yaml").write_text(text.replace(backup, ""))  # cdktf deploys here, without backups

    installed = run("eas-lb", "provider", "install")
    cli_config = installed.strip().splitlines()[-1]
    assert cli_config == str(site / "build" / "terraformrc")
    env["TF_CLI_CONFIG_FILE"] = cli_config
    env["EAS_SITE"] = str(site / "site.yaml")
    launcher = next((site / "build" / "terraform-mirror").rglob("*.zip"))
    assert launcher.is_file()
    run("eas-lb", "check")
    run("cdktf", "synth")
    servers = subprocess.Popen(
        ["python", "-m", "eas_lb", "eas-servers", "--site", "site.yaml"],
        cwd=site,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deployed = run("cdktf", "deploy", "wheelsite-pair1-lb", "--auto-approve", "--skip-synth")
        assert "Apply complete" in deployed, deployed[-3000:]
        verified = run("eas-lb", "verify")
        assert "every check passed" in verified, verified
    finally:
        _stop_group(servers.pid)
    assert (site / "terraform.wheelsite-pair1-lb.tfstate").is_file()
    assert not list(REPO.glob("terraform.wheelsite-*.tfstate"))
