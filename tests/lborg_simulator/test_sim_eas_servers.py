"""The stand-in EAS servers' CLI and its control directory, as other processes use them."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from lborg_simulator.eas_servers import (
    HOLD_REQUEST,
    LISTEN_FILE,
    LISTENING_FILE,
    EasServerGroup,
    _sync_with_control_dir,
    eas_servers,
    parse_identity,
)
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


def _held(host: str, port: int) -> socket.socket:
    """A connection the stand-in keeps (`EAS-SIM hold`), its identity line read."""
    sock = socket.create_connection((host, port), timeout=5)
    sock.sendall(HOLD_REQUEST)
    assert parse_identity(sock.recv(512).decode())
    return sock


def _still_answers(sock: socket.socket) -> bool:
    try:
        sock.sendall(b"ping\n")
        return sock.recv(512).endswith(b"ping\n")
    except OSError:
        return False


def test_a_stopped_server_closes_its_established_connections_unless_told_to_keep_them(subnet: str) -> None:
    """As stopping or restarting the EAS does (an upgrade); the other servers keep theirs."""
    specs = [("eas-a", f"{subnet}.41", 0), ("eas-b", f"{subnet}.42", 0), ("eas-c", f"{subnet}.43", 0)]
    with eas_servers(specs) as group:
        held = {server.name: _held(server.host, server.port) for server in group.servers}
        wait_for(lambda: group["eas-a"].established == 1, what="eas-a holding its connection")
        group["eas-a"].stop()
        held["eas-a"].settimeout(5)
        assert held["eas-a"].recv(512) == b""  # closed by the server, at once
        assert _still_answers(held["eas-b"]) and _still_answers(held["eas-c"])
        group["eas-b"].stop(keep_connections=True)
        assert _still_answers(held["eas-b"])  # kept: only the listening socket closed
        with pytest.raises(OSError):
            socket.create_connection((group["eas-b"].host, group["eas-b"].port), timeout=2)
        for sock in held.values():
            sock.close()


def test_a_running_cli_serves_servers_added_to_its_control_directory(tmp_path: Path, subnet: str) -> None:
    """`listen.json` starts new stand-ins beside the running ones, which keep their connections;
    a `.stopped` file saying `keep` keeps the stopped server's connections."""
    control = tmp_path / "control"
    group = EasServerGroup([("eas-a", f"{subnet}.51", 0)])
    group.start()
    try:
        control.mkdir()
        _sync_with_control_dir(group, control)
        first = group["eas-a"]
        held = _held(first.host, first.port)
        (control / LISTEN_FILE).write_text(json.dumps([["eas-b", f"{subnet}.52", first.port, None]]))
        _sync_with_control_dir(group, control)
        listening = json.loads((control / LISTENING_FILE).read_text())
        assert listening == [f"{subnet}.51:{first.port}", f"{subnet}.52:{first.port}"]
        assert identity_via(f"{subnet}.52", first.port) == "eas-b"
        assert _still_answers(held)  # nothing that ran was restarted
        (control / "eas-a.stopped").write_text("keep")
        _sync_with_control_dir(group, control)
        assert (control / "eas-a.state").read_text() == "stopped"
        assert _still_answers(held)
        held.close()
    finally:
        group.stop()
