"""A real PostgreSQL server for tests: a fresh cluster in a temporary directory, on loopback.

`initdb` and `postgres` refuse to run as root; when the tests run as root (as CI does) the
server runs as the `postgres` user the Debian package creates, through `runuser`. The client
programs (`createdb`, `psql`) run as whoever runs the tests and log in over TCP with a password
(scram-sha-256), as Terraform does. Loopback range of the team-state tests: 127.17.0.0/16.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

SERVER_USER = "postgres"  # the system user of Debian's postgresql package, used only as root


def _bin_dir() -> Path:
    """The newest installed PostgreSQL's programs (Debian keeps them out of PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3].split(".")[0])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb is None:
        pytest.fail("PostgreSQL is not installed: run `make setup` (Debian package postgresql)")
    return Path(initdb).parent


def free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class PostgresServer:
    host: str
    port: int
    user: str
    password: str
    database: str
    bin_dir: Path

    def url(self, *, with_password: bool = False) -> str:
        secret = f":{self.password}" if with_password else ""
        return f"postgres://{self.user}{secret}@{self.host}:{self.port}/{self.database}?sslmode=disable"

    def client_env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": self.password, "PGCONNECT_TIMEOUT": "10"}

    def sql(self, query: str) -> list[list[str]]:
        """Rows of a query, run with psql as the test user."""
        result = subprocess.run(
            [
                *(str(self.bin_dir / "psql"), "-X", "-q", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1"),
                *("-h", self.host, "-p", str(self.port), "-U", self.user, "-d", self.database, "-c", query),
            ],
            env=self.client_env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        return [line.split("\t") for line in result.stdout.splitlines()]


@contextmanager
def running_postgres(
    host: str, *, user: str = "eas_state", database: str = "tfstate"
) -> Iterator[PostgresServer]:
    bin_dir = _bin_dir()
    as_root = os.geteuid() == 0
    if as_root:
        try:
            account = pwd.getpwnam(SERVER_USER)
        except KeyError:
            pytest.fail(f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as")
    base = Path(tempfile.mkdtemp(prefix="eas-pg-"))
    password = "pg-test-password-" + os.urandom(6).hex()
    # setpriv execs the program itself (runuser would stay as a parent that swallows SIGINT).
    prefix = (
        ["setpriv", f"--reuid={SERVER_USER}", f"--regid={SERVER_USER}", "--init-groups"] if as_root else []
    )
    (base / "pwfile").write_text(password + "\n")
    if as_root:
        for path in (base, base / "pwfile"):
            os.chown(path, account.pw_uid, account.pw_gid)
    data = base / "data"
    port = free_port(host)
    process: subprocess.Popen[str] | None = None
    log = base / "postgres.log"
    try:
        subprocess.run(
            [
                *(
                    *prefix,
                    str(bin_dir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    user,
                    f"--pwfile={base / 'pwfile'}",
                ),
                *("--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--no-instructions"),
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
        )
        settings = {
            "listen_addresses": host,
            "port": str(port),
            "unix_socket_directories": str(base),
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "40",
            "shared_buffers": "16MB",
        }
        argv = [*prefix, str(bin_dir / "postgres"), "-D", str(data)]
        for key, value in settings.items():
            argv += ["-c", f"{key}={value}"]
        with open(log, "w") as stream:
            process = subprocess.Popen(argv, stdout=stream, stderr=subprocess.STDOUT, text=True)
        server = PostgresServer(host, port, user, password, database, bin_dir)
        _wait_ready(server, process, log)
        subprocess.run(
            [str(bin_dir / "createdb"), "-h", host, "-p", str(port), "-U", user, database],
            env=server.client_env(),
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        yield server
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGINT)  # fast shutdown: disconnect clients, stop
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        shutil.rmtree(base, ignore_errors=True)


def _wait_ready(server: PostgresServer, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"postgres exited: {log.read_text()[-2000:]}")
        ready = subprocess.run(
            [str(server.bin_dir / "pg_isready"), "-q", "-h", server.host, "-p", str(server.port)],
            check=False,
        )
        if ready.returncode == 0:
            return
        time.sleep(0.2)
    pytest.fail(f"postgres did not become ready: {log.read_text()[-2000:]}")
