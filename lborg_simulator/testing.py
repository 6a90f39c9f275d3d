"""Run simulators from tests: `running_simulator(...)` starts the real CLI as a subprocess.

Other suites import exactly `running_simulator`, `SimulatorProcess`, `TEST_USERNAME`,
`TEST_PASSWORD` and `TEST_API_KEY`. The simulator is a separate process (as the appliance is a
separate machine), stopped with SIGTERM, which also stops its HAProxy.
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, TypedDict, Unpack

import requests

from lborg_simulator.cli import READY_PREFIX
from lborg_support.waiting import wait_until

TEST_USERNAME = "lbtest"
TEST_PASSWORD = "sim-password-not-a-secret"
TEST_API_KEY = "sim-api-key-not-a-secret"

_READY_TIMEOUT = 60.0
_STOP_TIMEOUT = 30.0


def api_headers(api_key: str = TEST_API_KEY) -> dict[str, str]:
    """The API key header as the appliance expects it (base64 of the key)."""
    return {"X-LB-APIKEY": base64.b64encode(api_key.encode()).decode()}


def lbcli_results(body: Any) -> list[dict[str, Any]]:
    """The result items from the `lbapi` → `itteration` → `lbcli` envelope."""
    results: list[dict[str, Any]] = body["lbapi"][0]["itteration"][0]["lbcli"]
    return results


class SimulatorProcess:
    """One `python -m lborg_simulator serve` process and how to talk to it."""

    def __init__(
        self,
        state_dir: Path,
        listen: str,
        *,
        name: str = "lb1",
        peer: str | None = None,
        advanced: dict[str, str] | None = None,
        extra_args: Sequence[str] = (),
        env: dict[str, str] | None = None,
        response_layout: str | None = None,
    ) -> None:
        self.state_dir = Path(state_dir)
        self.listen = listen
        self.name = name
        host, _, port = listen.rpartition(":")
        host = host.strip("[]")
        self.endpoint = f"https://{'[' + host + ']' if ':' in host else host}:{port}/api/v2/"
        self.ca_file = self.state_dir / "ca.pem"
        self._args = [sys.executable, "-m", "lborg_simulator", "serve", "--listen", listen]
        self._args += ["--state-dir", str(self.state_dir), "--name", name]
        if peer is not None:
            self._args += ["--peer", peer]
        for key, value in (advanced or {}).items():
            self._args += ["--advanced", f"{key}={value}"]
        if response_layout is not None:
            self._args += ["--response-layout", response_layout]
        self._args += list(extra_args)
        self._env = dict(os.environ)
        self._env.update(
            {"LBORG_USERNAME": TEST_USERNAME, "LBORG_PASSWORD": TEST_PASSWORD, "LBORG_API_KEY": TEST_API_KEY}
        )
        self._env.update(env or {})
        # The child imports this very package, installed or not.
        package_root = str(Path(__file__).resolve().parent.parent)
        self._env["PYTHONPATH"] = os.pathsep.join(
            part for part in (package_root, self._env.get("PYTHONPATH", "")) if part
        )
        self._process: subprocess.Popen[str] | None = None
        self._reader: threading.Thread | None = None
        self.output: list[str] = []

    @property
    def log_file(self) -> Path:
        return self.state_dir / "simulator.log"

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    def start(self) -> None:
        """Start (or restart with the same state) and wait for the ready line."""
        if self._process is not None and self._process.poll() is None:
            return
        self.state_dir.mkdir(parents=True, exist_ok=True)
        stderr = open(self.log_file, "a")  # noqa: SIM115 - handed to the child process
        try:
            self._process = subprocess.Popen(
                self._args,
                stdout=subprocess.PIPE,
                stderr=stderr,
                stdin=subprocess.DEVNULL,
                text=True,
                env=self._env,
            )
        finally:
            stderr.close()
        ready = threading.Event()
        assert self._process.stdout is not None
        self._reader = threading.Thread(
            target=self._read_output, args=(self._process.stdout, ready), daemon=True
        )
        self._reader.start()
        process = self._process
        wait_until(lambda: ready.is_set() or process.poll() is not None, _READY_TIMEOUT, interval=0.02)
        if not ready.is_set():  # exited, or not ready in time
            self.stop()
            raise RuntimeError(
                f"simulator {self.name} on {self.listen} did not become ready: {self._log_tail()}"
            )

    def _read_output(self, stream: IO[str], ready: threading.Event) -> None:
        for line in stream:
            self.output.append(line.rstrip("\n"))
            if line.startswith(READY_PREFIX):
                ready.set()

    def _log_tail(self) -> str:
        try:
            return " | ".join(self.log_file.read_text().splitlines()[-5:]) or "(no output)"
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        """SIGTERM and wait; the simulator stops its HAProxy before it exits."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._reader is not None:
            self._reader.join(timeout=5)

    def kill(self) -> None:
        """SIGKILL, as a crash would (its HAProxy is stopped at the next start)."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
            self._process = None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def post(
        self,
        body: Any,
        *,
        auth: tuple[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
    ) -> requests.Response:
        """A raw POST to the API with the test credentials (or those given)."""
        return requests.post(
            self.endpoint,
            json=body,
            auth=auth or (TEST_USERNAME, TEST_PASSWORD),
            headers=api_headers() if headers is None else headers,
            verify=str(self.ca_file),
            timeout=timeout,
        )

    def call(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one lbcli batch; return the result items (raises on a non-200 answer)."""
        response = self.post({"lbcli": actions})
        response.raise_for_status()
        return lbcli_results(response.json())

    def call_ok(self, actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Like `call`, but every result must be `success`."""
        results = self.call(actions)
        bad = [r for r in results if r.get("status") != "success"]
        if bad:
            raise AssertionError(f"simulator {self.name}: {bad}")
        return results


class SimulatorOptions(TypedDict, total=False):
    """The keywords `running_simulator` passes on to `SimulatorProcess` (which has their defaults)."""

    name: str
    peer: str | None
    advanced: dict[str, str] | None
    extra_args: Sequence[str]
    response_layout: str | None


@contextlib.contextmanager
def running_simulator(
    state_dir: Path, listen: str, **options: Unpack[SimulatorOptions]
) -> Iterator[SimulatorProcess]:
    """Start a simulator, yield it, and stop it (SIGTERM, then wait) however the block ends.

    `response_layout` answers reads in one of `lborg_simulator.layouts.LAYOUTS` (default `data`).
    """
    simulator = SimulatorProcess(state_dir, listen, **options)
    simulator.start()
    try:
        yield simulator
    finally:
        simulator.stop()
