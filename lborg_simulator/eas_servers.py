"""Stand-in EAS servers: small TCP/HTTP servers that answer with their own identity.

Each server listens on one IP:PORT. On a connection it waits up to 100 ms for data: an HTTP
request gets `HTTP/1.0 200 OK` with the body `EAS-SIM name=<name> addr=<ip>:<port>
client=<ip>:<port>`; a client that sends nothing (or something else) gets that line plus a
newline, and the connection closes. `client` is the address the connection came from as this
server sees it: the subscriber's own behind a Layer 4 NAT VIP, the appliance's behind a proxy.
A server may listen inside a network namespace (`--netns IP=NETNS`, the kernel-NAT lab).
A client that sends the line `EAS-SIM hold` gets that line too, and then keeps the connection: every
further line comes back prefixed with the server's name, until the client closes it (or after 10
minutes idle); verify's drain check holds an established connection so.
Health checks (connect and close) therefore succeed while a server runs, and fail once it is
stopped, because a stopped server closes its listening socket.

Stopping a server closes its listening socket and its established connections, as stopping or
restarting the EAS's own processes does: the lab then shows what an upgrade does to sessions.
`stop(keep_connections=True)` closes only the listening socket (the established connections go on
until their clients end them), for a test of what a load balancer does to them alone.

Control from another process (the CLI `python -m lborg_simulator eas-servers --control-dir DIR`):
create the file `DIR/<name>.stopped` to stop server `<name>` (with the text `keep` in it: its
established connections are kept), delete it to start it again; the CLI polls every 100 ms and
writes `DIR/<name>.state` (`running` or `stopped`) once it acted. Servers are added to a running
CLI with `DIR/listen.json` (a list of `[name, ip, port]`, or `[name, ip, port, netns]`); the CLI
starts those it does not serve yet, never stops one, and lists every address it serves in
`DIR/listening.json` (`["ip:port", ...]`) once it acted.
"""

from __future__ import annotations

import contextlib
import json
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from lborg_support.files import write_atomic
from lborg_support.netns_sockets import socket_in

IDENTITY_PREFIX = "EAS-SIM"
#: How long a connection may stay silent before it gets the identity line. A client that speaks
#: first (curl, an HTTP health check, verify's hold request) sends within a millisecond of its
#: connect on loopback; every silent probe (verify's, a TCP health check) waits this long, and
#: verify opens about five connections per VIP.
_WAIT_FOR_DATA = 0.1
#: The first line of a connection that asks the server to keep it (see the module's docstring).
HOLD_REQUEST = b"EAS-SIM hold\n"
_HOLD_IDLE = 600.0
_HTTP_METHODS = (b"GET ", b"HEAD ", b"POST ", b"PUT ", b"DELETE ", b"OPTIONS ", b"PATCH ")


def format_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def identity_line(name: str, host: str, port: int, client: tuple[str, int] | None = None) -> str:
    """The contract other tools parse: `EAS-SIM name=<name> addr=<ip>:<port>`, then
    ` client=<ip>:<port>` when the line answers a connection."""
    seen = f" client={format_address(client[0], client[1])}" if client is not None else ""
    return f"{IDENTITY_PREFIX} name={name} addr={format_address(host, port)}{seen}"


def parse_identity(text: str) -> dict[str, str]:
    """`{'name': ..., 'addr': ...}` from a response body or line; empty if it is not one."""
    for line in text.splitlines():
        start = line.find(IDENTITY_PREFIX + " ")
        if start >= 0:
            pairs = (part.partition("=") for part in line[start:].split()[1:])
            return {key: value for key, sep, value in pairs if sep}
    return {}


@dataclass
class EasServer:
    name: str
    host: str
    port: int
    netns: str | None = None  # the network namespace it listens in (None: this process's own)
    connections: int = 0
    _listener: socket.socket | None = field(default=None, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: The connections it has accepted and not closed yet.
    _open: set[socket.socket] = field(default_factory=set, repr=False)

    @property
    def identity(self) -> str:
        return identity_line(self.name, self.host, self.port)

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        """Bind and serve; a second start while running does nothing."""
        with self._lock:
            if self._listener is not None:
                return
            family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
            listener = socket_in(self.netns, family)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                listener.bind((self.host, self.port))
                listener.listen(128)
            except OSError:
                listener.close()
                raise
            if self.port == 0:
                self.port = listener.getsockname()[1]
            self._listener = listener
            self._thread = threading.Thread(
                target=self._accept_loop, args=(listener,), name=f"eas-{self.name}", daemon=True
            )
            self._thread.start()

    @property
    def established(self) -> int:
        """How many accepted connections are still open."""
        with self._lock:
            return len(self._open)

    def stop(self, *, keep_connections: bool = False) -> None:
        """Close the listening socket so new connections (and health checks) are refused, and the
        established connections too, as a stopped EAS does, unless `keep_connections`."""
        with self._lock:
            listener, self._listener = self._listener, None
            thread, self._thread = self._thread, None
            established = [] if keep_connections else list(self._open)
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
            if thread is not None:
                thread.join(timeout=5)
        for conn in established:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)  # the peer sees the end at once; _answer closes it

    def _accept_loop(self, listener: socket.socket) -> None:
        while True:
            try:
                conn, peer = listener.accept()
            except OSError:
                return
            self.connections += 1
            with self._lock:
                self._open.add(conn)
            threading.Thread(target=self._answer, args=(conn, peer[:2]), daemon=True).start()

    def _answer(self, conn: socket.socket, peer: tuple[str, int]) -> None:
        identity = identity_line(self.name, self.host, self.port, peer)
        try:
            self._serve(conn, identity)
        finally:
            with self._lock:
                self._open.discard(conn)
            conn.close()

    def _serve(self, conn: socket.socket, identity: str) -> None:
        try:
            conn.settimeout(_WAIT_FOR_DATA)
            try:
                data = conn.recv(4096)
            except TimeoutError:
                data = b""
            if data.startswith(HOLD_REQUEST):
                self._hold(conn, data[len(HOLD_REQUEST) :], identity)
            elif data.startswith(_HTTP_METHODS):
                conn.settimeout(2.0)
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                body = identity.encode()
                head = (
                    "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n"
                    f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                ).encode()
                conn.sendall(head if data.startswith(b"HEAD ") else head + body)
            else:
                conn.sendall(identity.encode() + b"\n")
        except OSError:
            return

    def _hold(self, conn: socket.socket, rest: bytes, identity: str) -> None:
        """Answer with the identity, then echo every line with the name until the client leaves."""
        conn.sendall(identity.encode() + b"\n")
        conn.settimeout(_HOLD_IDLE)
        pending = rest.lstrip(b"\r\n")
        while True:
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                conn.sendall(self.name.encode() + b" " + line + b"\n")
            chunk = conn.recv(4096)
            if not chunk:
                return
            pending += chunk


class EasServerGroup:
    """Several stand-in servers started and stopped together; a context manager."""

    def __init__(self, specs: Sequence[tuple[str, str, int]], netns: dict[str, str] | None = None) -> None:
        """`netns`: the namespace each server address listens in (the kernel-NAT lab's EAS servers)."""
        self.servers = [EasServer(name, host, port, (netns or {}).get(host)) for name, host, port in specs]

    def __getitem__(self, name: str) -> EasServer:
        for server in self.servers:
            if server.name == name:
                return server
        raise KeyError(f"no stand-in EAS server named '{name}'")

    def start(self) -> None:
        for server in self.servers:
            server.start()

    def stop(self, *, keep_connections: bool = False) -> None:
        for server in self.servers:
            server.stop(keep_connections=keep_connections)

    def __enter__(self) -> EasServerGroup:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def eas_servers(specs: Sequence[tuple[str, str, int]]) -> Iterator[EasServerGroup]:
    """`with eas_servers([("eas-1", "127.1.5.1", 18080)]) as group: ...`"""
    with EasServerGroup(specs) as group:
        yield group


#: In the control directory: the servers a running CLI should serve besides its own, and its answer.
LISTEN_FILE = "listen.json"
LISTENING_FILE = "listening.json"


def _added_specs(control_dir: Path) -> list[tuple[str, str, int, str | None]]:
    """The servers `listen.json` asks for (none when it is missing or unreadable)."""
    try:
        raw = json.loads((control_dir / LISTEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    specs = []
    for item in raw if isinstance(raw, list) else ():
        if isinstance(item, list) and len(item) in (3, 4):
            netns = str(item[3]) if len(item) == 4 and item[3] else None
            specs.append((str(item[0]), str(item[1]), int(item[2]), netns))
    return specs


def _serve_added(group: EasServerGroup, control_dir: Path) -> None:
    """Start the servers `listen.json` names that the group does not serve yet; never stop one."""
    served = {(server.host, server.port) for server in group.servers}
    added = False
    for name, host, port, netns in _added_specs(control_dir):
        if (host, port) in served:
            continue
        server = EasServer(name, host, port, netns)
        try:
            server.start()
        except OSError as error:
            print(f"eas-servers: {name} cannot listen on {host}:{port}: {error}", file=sys.stderr, flush=True)
            continue
        group.servers.append(server)
        served.add((host, port))
        added = True
        print(f"eas-servers ready {server.identity}", flush=True)
    listening = control_dir / LISTENING_FILE
    if added or not listening.exists():
        listed = [format_address(server.host, server.port) for server in group.servers if server.running]
        write_atomic(listening, json.dumps(listed).encode())


def _sync_with_control_dir(group: EasServerGroup, control_dir: Path) -> None:
    _serve_added(group, control_dir)
    for server in group.servers:
        marker = control_dir / f"{server.name}.stopped"
        want_stopped = marker.exists()
        state_file = control_dir / f"{server.name}.state"
        if want_stopped and server.running:
            keep = marker.read_text(errors="replace").strip() == "keep"
            server.stop(keep_connections=keep)
        elif not want_stopped and not server.running:
            try:
                server.start()
            except OSError as error:
                print(f"eas-servers: {server.name} cannot listen again: {error}", file=sys.stderr, flush=True)
                continue
        state = "running" if server.running else "stopped"
        if not state_file.exists() or state_file.read_text() != state:
            write_atomic(state_file, state.encode())


def run_cli(
    listens: Sequence[tuple[str, int]],
    names: Sequence[str],
    control_dir: Path | None,
    *,
    specs: Sequence[tuple[str, str, int]] = (),
    netns: dict[str, str] | None = None,
) -> int:
    """Serve until SIGTERM: `specs` (name, ip, port) when given, else one server per `--listen`."""
    if names and len(names) != len(listens):
        print(
            f"eas-servers: {len(names)} --name for {len(listens)} --listen; give one per --listen",
            file=sys.stderr,
        )
        return 2
    if not specs:
        specs = [
            (names[i] if names else f"eas-{i + 1}", host, port) for i, (host, port) in enumerate(listens)
        ]
    group = EasServerGroup(specs, netns)
    try:
        group.start()
    except OSError as error:
        group.stop()
        print(f"eas-servers: cannot listen: {error}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if control_dir is not None:
        control_dir.mkdir(parents=True, exist_ok=True)
        (control_dir / LISTENING_FILE).unlink(missing_ok=True)  # an earlier run's answer
        _sync_with_control_dir(group, control_dir)
    for server in group.servers:
        print(f"eas-servers ready {server.identity}", flush=True)
    try:
        while not stop.wait(0.1):
            if control_dir is not None:
                _sync_with_control_dir(group, control_dir)
    finally:
        group.stop()
    return 0
