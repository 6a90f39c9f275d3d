"""The stand-in EAS servers' CLI and its control directory, as other processes use them."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from lborg_simulator.eas_servers import parse_identity
from tests.support.paths import REPO_ROOT
from tests.support.simulator_api import identity_via, wait_for


def test_cli_servers_answer_and_are_controlled_by_files(tmp_path: Path, subnet: str) -> None:
    control = tmp_path / "control"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lborg_simulator",
            "eas-servers",
            "--listen",
            f"{subnet}.21:14080",
            "--listen",
            f"{subnet}.22:14080",
            "--name",
            "eas-one",
            "--name",
            "eas-two",
            "--control-dir",
            str(control),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin"},
    )
    try:
        assert process.stdout is not None
        ready = [process.stdout.readline().strip() for _ in range(2)]
        assert [parse_identity(line)["name"] for line in ready] == ["eas-one", "eas-two"]
        assert identity_via(f"{subnet}.21", 14080) == "eas-one"
        assert requests.get(f"http://{subnet}.22:14080/", timeout=10).text.startswith(
            f"EAS-SIM name=eas-two addr={subnet}.22:14080 client=127."
        )
        (control / "eas-one.stopped").touch()
        wait_for(lambda: (control / "eas-one.state").read_text() == "stopped", what="eas-one stopped")
        with pytest.raises(OSError):
            identity_via(f"{subnet}.21", 14080, timeout=2)
        assert identity_via(f"{subnet}.22", 14080) == "eas-two"
        (control / "eas-one.stopped").unlink()
        wait_for(lambda: (control / "eas-one.state").read_text() == "running", what="eas-one running")
        assert identity_via(f"{subnet}.21", 14080) == "eas-one"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0


def test_plain_line_ends_with_newline(subnet: str) -> None:
    import socket

    from lborg_simulator.eas_servers import eas_servers

    with eas_servers([("eas-x", f"{subnet}.30", 0)]) as group:
        server = group["eas-x"]
        with socket.create_connection((server.host, server.port), timeout=10) as conn:
            client = "{}:{}".format(*conn.getsockname()[:2])
            data = b""
            while chunk := conn.recv(1024):
                data += chunk
    assert data == f"EAS-SIM name=eas-x addr={subnet}.30:{server.port} client={client}\n".encode()


def test_the_simulator_reads_no_site_file_and_names_the_command_that_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from lborg_simulator.cli import main as simulator_main

    assert simulator_main(["eas-servers", "--site", "site.yaml"]) == 3
    assert "eas-lb eas-servers --site SITE.yaml" in capsys.readouterr().err
