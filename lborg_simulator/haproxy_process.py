"""One HAProxy in master-worker mode, with checked graceful reloads.

Every file (configuration, master socket, pid file, log) lives in the process's own work
directory. A new configuration is checked with `haproxy -c` first; a rejected one raises
`HaproxyError` with HAProxy's own message and the running workers keep serving the old one.
A reload is HAProxy's soft one (SIGUSR2 to the master): the old worker stops listening and keeps
its established connections until they end; the master CLI still reaches it (`@!<pid>`), which
is how the Layer 4 stand-in cuts what IPVS would cut.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from lborg_support.files import write_atomic
from lborg_support.waiting import wait_until

_START_TIMEOUT = 20.0
# Layout alike eas_lb's sizing.py, planner.py, saved_plans.py (constants, error, dataclass); unrelated.
_RELOAD_TIMEOUT = 20.0
_STOP_TIMEOUT = 10.0


class HaproxyError(RuntimeError):
    """HAProxy refused a configuration or did not start or reload."""


@dataclass(frozen=True)
class ProcState:
    reloads: int
    failed: int
    workers: frozenset[int]
    #: Workers of earlier configurations still serving their established connections.
    old_workers: frozenset[int] = frozenset()


#: One line of `show sess`: the session's id, its backend and server.
_SESSION = re.compile(r"^(0x[0-9a-f]+): .*? be=(\S+) srv=(\S+) ", re.MULTILINE)


def haproxy_binary() -> str:
    found = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)
    if found is None:
        raise HaproxyError("haproxy is not installed (Debian package 'haproxy')")
    return found


def _alerts(output: str, config_path: Path | None = None) -> str:
    """HAProxy's alert lines without their prefixes and summary lines, joined into one message."""
    lines: list[str] = []
    for raw in output.splitlines():
        if "ALERT" not in raw and "error" not in raw.lower():
            continue
        line = _ALERT_PREFIX.sub("", raw.strip())
        if line.startswith(("Error(s) found in configuration file", "Fatal errors found")):
            continue
        if config_path is not None:
            line = line.replace(str(config_path), "haproxy.cfg")
        lines.append(line)
    return "; ".join(lines) if lines else output.strip()


_ALERT_PREFIX = re.compile(r"^\[(ALERT|WARNING|NOTICE)\]\s+\(\d+\)\s*:\s*(config\s*:\s*)?")


def _connect_unix(sock: socket.socket, path: Path) -> None:
    """Connect to a Unix socket; deep paths (over the ~107-byte limit) go through /proc."""
    if len(str(path).encode()) < 100:
        sock.connect(str(path))
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        sock.connect(f"/proc/self/fd/{dir_fd}/{path.name}")
    finally:
        os.close(dir_fd)


class HaproxyProcess:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.config_file = workdir / "haproxy.cfg"
        self.master_socket = workdir / "master.sock"
        self.pid_file = workdir / "haproxy.pid"
        self.log_file = workdir / "haproxy.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def check(self, text: str) -> Path:
        """Write `text` next to the live configuration and run `haproxy -c` on it."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        candidate = self.workdir / "haproxy.cfg.new"
        candidate.write_text(text)
        result = subprocess.run(
            [haproxy_binary(), "-c", "-f", str(candidate)],
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        if result.returncode != 0:
            raise HaproxyError(
                "haproxy rejected the configuration: " + _alerts(result.stdout + result.stderr)
            )
        return candidate

    def apply(self, text: str) -> None:
        """Check `text`, then start HAProxy with it or gracefully reload the running one."""
        candidate = self.check(text)
        previous = self.config_file.read_text() if self.config_file.exists() else None
        os.replace(candidate, self.config_file)
        try:
            if self.running:
                self._reload()
            else:
                self._start()
        except HaproxyError:
            if previous is not None:
                write_atomic(self.config_file, previous.encode())
            raise

    def _start(self) -> None:
        self.stop_stale()
        self.master_socket.unlink(missing_ok=True)
        log = open(self.log_file, "ab")  # noqa: SIM115 - handed to the child process
        try:
            self._process = subprocess.Popen(
                [
                    haproxy_binary(),
                    "-W",
                    "-S",
                    f"unix@{self.master_socket.name},mode,600",
                    "-f",
                    str(self.config_file),
                    "-p",
                    str(self.pid_file),
                ],
                stdin=subprocess.DEVNULL,
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        process = self._process

        def serving() -> bool:
            if process.poll() is not None:
                self._process = None
                raise HaproxyError("haproxy exited at start: " + self._log_tail())
            state = self._proc_state()
            return state is not None and bool(state.workers)

        if wait_until(serving, _START_TIMEOUT, interval=0.05) is None:
            raise HaproxyError("haproxy did not start within 20 s: " + self._log_tail())

    def _reload(self) -> None:
        before = self._proc_state()
        assert self._process is not None
        self._process.send_signal(signal.SIGUSR2)

        def reloaded() -> bool:
            state = self._proc_state()
            if state is None or before is None:
                return False
            if state.failed > before.failed:
                raise HaproxyError("haproxy reload failed, old configuration kept: " + self._log_tail())
            return state.reloads > before.reloads and bool(state.workers - before.workers)

        if wait_until(reloaded, _RELOAD_TIMEOUT, interval=0.05) is None:
            raise HaproxyError("haproxy reload did not complete within 20 s: " + self._log_tail())

    def _log_tail(self) -> str:
        try:
            lines = self.log_file.read_text(errors="replace").splitlines()[-8:]
        except OSError:
            return "(no log)"
        return _alerts("\n".join(lines))

    def command(self, line: str, *, worker: bool = True) -> str:
        """A command on the master CLI; with `worker`, sent on to the current worker (`@1`)."""
        payload = (f"@1 {line}" if worker else line).encode() + b"\n"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(5)
            _connect_unix(sock, self.master_socket)
            sock.sendall(payload)
            sock.shutdown(socket.SHUT_WR)
            chunks: list[bytes] = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode(errors="replace")

    def current_config(self) -> str | None:
        """The configuration the current worker was started with, or None when none runs."""
        if not self.running or not self.config_file.exists():
            return None
        return self.config_file.read_text()

    def worker_pids(self, *, old_only: bool = False) -> frozenset[int]:
        state = self._proc_state()
        if state is None:
            return frozenset()
        return state.old_workers if old_only else state.workers | state.old_workers

    def session_counts(self) -> Counter[tuple[str, str]]:
        """(proxy, server) → the sessions every worker holds to it, old workers' included: what a
        reload keeps is still open (`show sess`, which every worker answers)."""
        counts: Counter[tuple[str, str]] = Counter()
        for pid in sorted(self.worker_pids()):
            try:
                listing = self.command(f"@!{pid} show sess", worker=False)
            except OSError:
                continue
            counts.update((match.group(2), match.group(3)) for match in _SESSION.finditer(listing))
        return counts

    def shutdown_sessions(self, proxy: str, server: str, pids: frozenset[int]) -> None:
        """End every session of `proxy`/`server` in the workers `pids`.

        `shutdown sessions server` is refused by an old worker (its proxies are stopped), so each
        session is ended by its id from `show sess`, which every worker answers.
        """
        for pid in sorted(pids):
            try:
                listing = self.command(f"@!{pid} show sess", worker=False)
            except OSError:
                continue
            for match in _SESSION.finditer(listing):
                if (match.group(2), match.group(3)) == (proxy, server):
                    with contextlib.suppress(OSError):  # ended meanwhile
                        self.command(f"@!{pid} shutdown session {match.group(1)}", worker=False)

    def _proc_state(self) -> ProcState | None:
        try:
            text = self.command("show proc", worker=False)
        except OSError:
            return None
        reloads = failed = 0
        workers: set[int] = set()
        old_workers: set[int] = set()
        section = ""
        for line in text.splitlines():
            if line.startswith("# "):
                section = line[2:].strip()
                continue
            parts = line.split()
            if len(parts) < 3 or not parts[0].isdigit():
                continue
            if parts[1] == "master":
                reloads = int(parts[2])
                if "[failed:" in line:
                    failed = int(line.split("[failed:")[1].split("]")[0])
            elif parts[1] == "worker" and section == "workers":
                workers.add(int(parts[0]))
            elif parts[1] == "worker" and section == "old workers":
                old_workers.add(int(parts[0]))
        return ProcState(reloads, failed, frozenset(workers), frozenset(old_workers))

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.master_socket.unlink(missing_ok=True)

    def stop_stale(self) -> None:
        """Stop an HAProxy left behind by a simulator that was killed before it could clean up."""
        try:
            pid = int(self.pid_file.read_text().split()[0])
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except (OSError, ValueError, IndexError):
            return
        if "haproxy" not in cmdline or str(self.config_file) not in cmdline:
            return
        try:
            os.killpg(pid, signal.SIGTERM)
        except OSError:
            return
        wait_until(lambda: not Path(f"/proc/{pid}").exists(), _STOP_TIMEOUT, interval=0.05)
