"""A real OpenSSH server for tests: its own configuration, host key, port and loopback addresses.

The server's files are the lab's (eas_lb/operations/demo/sshd.py); this fixture runs it in the
foreground of the test, with a client key of its own, and removes everything afterwards.

Each listening address is a separate "machine": a `Match LocalAddress` block chroots logins on
that address into its own directory and allows SFTP only, so a stand-in EAS server sees its own
`/home/defcraft/files/pools.txt` and a simulated appliance its own `/etc/loadbalancer.org/`
(which is the simulator's state directory). sshd refuses a chroot below a directory others can
write to (such as /tmp), so the roots live in a fresh root-owned directory under /run; it also
needs root to chroot at all, hence the skip for other users. Loopback range 127.15.0.0/16.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from eas_lb.operations.demo.sshd import ChrootSshd, SshServerUnavailable, keygen, sshd_binary


@dataclass
class SshServer:
    base: Path
    port: int
    addresses: tuple[str, ...]
    user: str
    key_file: Path
    host_public_key: str  # "ssh-ed25519 AAAA..."
    process: subprocess.Popen[str] | None = None
    log: list[str] = field(default_factory=list)

    def root(self, address: str) -> Path:
        """The file system the server at `address` shows (its chroot)."""
        return self.base / "roots" / address

    def known_hosts_lines(self) -> str:
        return "".join(f"[{address}]:{self.port} {self.host_public_key}\n" for address in self.addresses)

    def write_known_hosts(self, path: Path) -> Path:
        path.write_text(self.known_hosts_lines())
        return path

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_listening(server: SshServer, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    pending = set(server.addresses)
    while pending and time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            raise RuntimeError("sshd exited: " + " | ".join(server.log[-10:]))
        for address in list(pending):
            with socket.socket() as probe:
                probe.settimeout(0.2)
                if probe.connect_ex((address, server.port)) == 0:
                    pending.discard(address)
        time.sleep(0.05)
    if pending:
        raise RuntimeError(f"sshd did not listen on {sorted(pending)}: " + " | ".join(server.log[-10:]))


@contextmanager
def running_sshd(addresses: tuple[str, ...], port: int) -> Iterator[SshServer]:
    """Start `sshd -D -e -f CONFIG` serving one chroot per address; stop it and remove everything after."""
    try:
        sshd_binary()
    except SshServerUnavailable:
        pytest.fail("sshd is not installed: run `make setup` (Debian package openssh-server)")
    if os.geteuid() != 0:
        pytest.skip("the chrooted test sshd needs root (as in CI)")
    base = Path(tempfile.mkdtemp(prefix="eas-lb-test-sshd-", dir="/run"))
    try:
        chroots = ChrootSshd(base, tuple((address, port) for address in addresses), ("root",))
        client_key = base / "client_ed25519"
        keygen(client_key, "test-client")
        chroots.prepare([client_key.with_suffix(".pub").read_text()])
        server = SshServer(
            base=base,
            port=port,
            addresses=addresses,
            user="root",
            key_file=client_key,
            host_public_key=chroots.host_public_key(),
        )
        server.process = subprocess.Popen(
            chroots.argv(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        stderr = server.process.stderr
        assert stderr is not None
        reader = threading.Thread(
            target=lambda: server.log.extend(line.rstrip() for line in stderr), daemon=True
        )
        reader.start()
        try:
            _wait_listening(server)
            yield server
        finally:
            server.stop()
            reader.join(5)
    finally:
        shutil.rmtree(base, ignore_errors=True)
